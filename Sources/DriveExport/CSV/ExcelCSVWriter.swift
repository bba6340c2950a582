#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Signing

/// Writes a CSV file for German Excel as CONTRACTS §7 fixes it: UTF-8 with BOM, `;` separator, CRLF
/// line ends, RFC 4180 quoting (a cell is quoted when it contains `;`, `"`, CR or LF), every cell
/// neutralised against formula injection (`SpreadsheetCell.neutralized`). Streams through a 64 KiB
/// buffer, computing the file's SHA-256 and counting records as it goes; `finish()` fsyncs and closes.
///
/// Creates the file exclusively (`O_EXCL`): it never overwrites. Not `Sendable` (one writer, one task).
public final class ExcelCSVWriter {
    /// The file's path.
    public let path: String
    /// Cells per row (the header's count); rows of another width are a programming error.
    public let columnCount: Int
    private var fd: Int32
    private var out: [UInt8] = []
    private let hasher = SHA256Hasher()
    private var bytes = 0
    /// Data rows written (the header is not counted).
    public private(set) var recordCount = 0
    private static let separator = UInt8(ascii: ";")

    /// Creates `path` (mode 0640 before umask) and writes the BOM and the header row.
    public init(path: String, header: [String]) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o640)
        guard fd >= 0 else { throw DriveExportError.io(path: path, operation: "create", errno: errno) }
        self.fd = fd
        self.path = path
        self.columnCount = header.count
        out.reserveCapacity(1 << 16 + 4096)
        out.append(contentsOf: [0xEF, 0xBB, 0xBF])
        try appendRow(header)
        recordCount = 0
    }

    deinit { if fd >= 0 { close(fd) } }

    /// Writes one data row (`cells.count` must equal the header's).
    public func write(_ cells: [String]) throws {
        try appendRow(cells)
    }

    /// Writes `count` data rows already encoded with `encodeRow` (rows encoded on another thread, in order).
    public func write(encodedRows bytes: [UInt8], count: Int) throws {
        precondition(fd >= 0, "ExcelCSVWriter used after finish()")
        out.append(contentsOf: bytes)
        recordCount += count
        if out.count >= 1 << 16 { try flush() }
    }

    /// Appends one row as this writer writes it (neutralised, quoted where needed, CRLF) to `buf`.
    public static func encodeRow(_ cells: [String], to buf: inout [UInt8]) {
        for (i, cell) in cells.enumerated() {
            if i > 0 { buf.append(separator) }
            let safe = SpreadsheetCell.needsNeutralizing(cell) ? "'" + cell : cell
            SpreadsheetCell.appendEncoded(safe, separator: separator, to: &buf)
        }
        buf.append(0x0D); buf.append(0x0A)
    }

    private func appendRow(_ cells: [String]) throws {
        precondition(cells.count == columnCount, "row has \(cells.count) cells, header \(columnCount)")
        precondition(fd >= 0, "ExcelCSVWriter used after finish()")
        Self.encodeRow(cells, to: &out)
        recordCount += 1
        if out.count >= 1 << 16 { try flush() }
    }

    private func flush() throws {
        guard !out.isEmpty else { return }
        hasher.update(out)
        try out.withUnsafeBytes { try FileIO.writeAll(fd, $0, path: path) }
        bytes += out.count
        out.removeAll(keepingCapacity: true)
    }

    /// Flushes, fsyncs and closes the file; returns its name, size, SHA-256 and record count.
    public func finish() throws -> WrittenFile {
        try flush()
        guard fsync(fd) == 0 else { throw DriveExportError.io(path: path, operation: "fsync", errno: errno) }
        close(fd)
        fd = -1
        let name = path.split(separator: "/").last.map(String.init) ?? path
        return WrittenFile(name: name, bytes: bytes, sha256: Hex.encode(hasher.finalize()), records: recordCount)
    }
}

/// A file written into a run: what the manifest lists about it.
public struct WrittenFile: Sendable, Equatable, Hashable, Codable {
    /// The file name inside the run folder.
    public var name: String
    /// Its size in bytes.
    public var bytes: Int
    /// Its SHA-256 as lower-case hex (what `sha256sum` prints).
    public var sha256: String
    /// Data records (rows after the header) it holds.
    public var records: Int

    /// A description of a written file.
    public init(name: String, bytes: Int, sha256: String, records: Int) {
        self.name = name; self.bytes = bytes; self.sha256 = sha256; self.records = records
    }
}

/// Small POSIX helpers with errors that name the path.
enum FileIO {
    static func writeAll(_ fd: Int32, _ data: UnsafeRawBufferPointer, path: String) throws {
        var offset = 0
        while offset < data.count {
            let n = write(fd, data.baseAddress! + offset, data.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw DriveExportError.io(path: path, operation: "write", errno: errno)
            }
            offset += n
        }
    }

    /// Writes `bytes` to a new file at `path` (exclusive create), fsyncs and closes it.
    static func writeNewFile(_ path: String, _ bytes: [UInt8], mode: mode_t = 0o640) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw DriveExportError.io(path: path, operation: "create", errno: errno) }
        defer { close(fd) }
        try bytes.withUnsafeBytes { try writeAll(fd, $0, path: path) }
        guard fsync(fd) == 0 else { throw DriveExportError.io(path: path, operation: "fsync", errno: errno) }
    }

    /// fsyncs a directory, so a rename or a new entry in it is durable.
    static func fsyncDirectory(_ path: String) throws {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw DriveExportError.io(path: path, operation: "open directory", errno: errno) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw DriveExportError.io(path: path, operation: "fsync directory", errno: errno) }
    }
}
