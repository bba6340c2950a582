#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Finds the rows of a list whose case id appeared on an earlier row, in memory that does not grow with the
/// list: each (case-id hash, line) pair goes into a buffer of `bufferEntries`; a full buffer is sorted and
/// appended to a temporary file as one sorted run; `finish()` merges the runs with what is left in the
/// buffer and returns, for every later occurrence of a hash, the line of its first. Same answer as a hash
/// table of every id (`RegistrationValidator`'s), without holding every id: the export's first pass uses it,
/// and the result is its second pass's `knownDuplicates`.
///
/// The temporary file (12 bytes per row; unlinked as soon as it is open, so nothing is left behind even
/// if the process is killed) lives in `directory`. A write error is kept and thrown by `finish()`.
/// Used by one thread at a time (the validator that owns it), hence `@unchecked Sendable`.
final class DuplicateCaseIDFinder: @unchecked Sendable {
    /// One noted row.
    struct Entry {
        var hash: UInt64
        var line: UInt32
        static func precedes(_ a: Entry, _ b: Entry) -> Bool { a.hash != b.hash ? a.hash < b.hash : a.line < b.line }
    }

    private var buffer: [Entry] = []
    private let bufferEntries: Int
    private let directory: String
    /// The run file's descriptor (-1 until the first run is written) and each run's (first entry, count).
    private var fd: Int32 = -1
    /// The run file's path (unlinked once open; kept for error messages).
    private var path = ""
    private var runs: [(start: Int, count: Int)] = []
    private var written = 0
    private var failure: (any Error)?
    /// Bytes per stored entry.
    static let entryBytes = 12

    /// `bufferEntries`: rows held before a run is written (16 bytes each in memory).
    init(bufferEntries: Int = 1 << 17, directory: String = NSTemporaryDirectory()) {
        self.bufferEntries = max(2, bufferEntries)
        self.directory = directory
        buffer.reserveCapacity(min(self.bufferEntries, 1 << 12))
    }

    deinit { if fd >= 0 { close(fd) } }

    /// Notes a row's case-id hash.
    func note(hash: UInt64, line: UInt32) {
        guard failure == nil else { return }
        buffer.append(Entry(hash: hash, line: line))
        if buffer.count >= bufferEntries {
            do { try spill() } catch { failure = error }
        }
    }

    /// How many sorted runs went to the temporary file (for tests).
    var runCount: Int { runs.count }

    /// line → line of the first occurrence, for every row whose hash an earlier row had.
    func finish() throws -> [UInt32: UInt32] {
        if let failure { throw failure }
        buffer.sort(by: Entry.precedes)
        var sources: [RunSource] = runs.map { RunSource(fd: fd, path: path, start: $0.start, count: $0.count) }
        var heads: [Entry?] = try sources.indices.map { try sources[$0].next() }
        var memoryIndex = 0
        var duplicates: [UInt32: UInt32] = [:]
        var current: (hash: UInt64, first: UInt32)? = nil
        while true {
            // The smallest head among the runs and the in-memory rest (k is small: a linear scan).
            var best: Entry? = memoryIndex < buffer.count ? buffer[memoryIndex] : nil
            var from = -1
            for (k, head) in heads.enumerated() {
                guard let head else { continue }
                if best.map({ Entry.precedes(head, $0) }) ?? true { best = head; from = k }
            }
            guard let entry = best else { break }
            if from < 0 { memoryIndex += 1 } else { heads[from] = try sources[from].next() }
            if let c = current, c.hash == entry.hash {
                duplicates[entry.line] = c.first
            } else {
                current = (entry.hash, entry.line)
            }
        }
        buffer = []
        return duplicates
    }

    /// Sorts the buffer and appends it to the run file.
    private func spill() throws {
        if fd < 0 {
            path = (directory as NSString).appendingPathComponent("consentgate-case-ids-\(getpid())-\(UUID().uuidString)")
            fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            guard fd >= 0 else { throw DriveExportError.io(path: path, operation: "create temporary file", errno: errno) }
            unlink(path)
        }
        buffer.sort(by: Entry.precedes)
        var bytes = [UInt8](repeating: 0, count: buffer.count * Self.entryBytes)
        for (i, e) in buffer.enumerated() {
            let o = i * Self.entryBytes
            withUnsafeBytes(of: e.hash.littleEndian) { bytes.replaceSubrange(o..<o + 8, with: $0) }
            withUnsafeBytes(of: e.line.littleEndian) { bytes.replaceSubrange(o + 8..<o + 12, with: $0) }
        }
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { pwrite(fd, $0.baseAddress! + done, bytes.count - done, off_t(written * Self.entryBytes + done)) }
            guard n > 0 else { throw DriveExportError.io(path: path, operation: "write temporary file (duplicate case-id check)", errno: errno) }
            done += n
        }
        runs.append((written, buffer.count))
        written += buffer.count
        buffer.removeAll(keepingCapacity: true)
    }

    /// Reads one sorted run back in blocks.
    private struct RunSource {
        let fd: Int32
        let path: String
        var position: Int
        let end: Int
        var block: [Entry] = []
        var index = 0
        static let blockEntries = 4096

        init(fd: Int32, path: String, start: Int, count: Int) {
            self.fd = fd; self.path = path; self.position = start; self.end = start + count
        }

        mutating func next() throws -> Entry? {
            if index == block.count {
                guard position < end else { return nil }
                let n = min(Self.blockEntries, end - position)
                var bytes = [UInt8](repeating: 0, count: n * DuplicateCaseIDFinder.entryBytes)
                var done = 0
                while done < bytes.count {
                    let r = bytes.withUnsafeMutableBytes {
                        pread(fd, $0.baseAddress! + done, $0.count - done, off_t(position * DuplicateCaseIDFinder.entryBytes + done))
                    }
                    guard r > 0 else { throw DriveExportError.io(path: path, operation: "read temporary file (duplicate case-id check)", errno: errno) }
                    done += r
                }
                block = (0..<n).map { i in
                    let o = i * DuplicateCaseIDFinder.entryBytes
                    return bytes.withUnsafeBytes { b in
                        Entry(hash: UInt64(littleEndian: b.loadUnaligned(fromByteOffset: o, as: UInt64.self)),
                              line: UInt32(littleEndian: b.loadUnaligned(fromByteOffset: o + 8, as: UInt32.self)))
                    }
                }
                index = 0
                position += n
            }
            defer { index += 1 }
            return block[index]
        }
    }
}
