import Foundation

/// How `verify` shares the per-row work between the thread that reads SQLite and the second thread.
enum VerifyWorkSplit: Sendable, Equatable {
    /// The reading thread checks rows itself in a share it adjusts chunk by chunk: more when it had to wait
    /// for the second thread, less when the second thread had nothing to do. The machine decides the share.
    case adaptive
    /// The reading thread checks this share of the rows itself (0 … 1); tests drive both paths with it.
    case fixed(Double)
}

/// Runs a `TreeRecomputer` on its own serial queue, fed with chunks of rows, so that the work of `verify`
/// is split over two cores. Checking a row means hashing its entry (RFC 6962 leaf) and comparing its index
/// columns with the entry (`EntryColumnMatcher`). The reading thread checks a share of the rows in place, in
/// the row buffer SQLite lends (no copy), and copies the others (entry and index columns) into the chunk for
/// this queue to check; this queue also checks the index order, builds the tree (one node hash per leaf on
/// average) and checks the roots at each checkpoint. Stepping SQLite and reading the columns costs about
/// as much as the rest together, so the share is adjusted as the run goes (`VerifyWorkSplit.adaptive`).
/// Rows are checked in index order either way, so the first problem of the tree is the one reported; rows
/// whose columns did not plainly match are collected for a closer look once the tree holds. The first
/// error stops further work and is rethrown by `finish`. Each thread also adds the rows it checks to the
/// index fingerprints (`AuditIndexFingerprints`). Chunks are recycled. `@unchecked Sendable`: the
/// recomputer, `error`, `copiedSuspects` and `copiedFingerprints` are only touched on `queue`; `finish` waits
/// on it; the free list and `pending` are guarded by `lock`; `share` and `credit` belong to the reading thread.
final class PipelinedTreeRecomputer: @unchecked Sendable {
    /// Consecutive rows: each either checked by the reader (its leaf hash and whether it matched the stored
    /// one) or copied (its entry and index columns, and the stored leaf hash, for this queue to check).
    struct Chunk: Sendable {
        var indices: [Int64] = []
        /// The computed leaf hash (checked rows) or the stored one (copied rows).
        var leaves: [Digest32] = []
        /// Checked rows: whether the computed hash matched the stored one. Copied rows: whether the stored
        /// hash was 32 bytes at all (if not, the entry counts as changed).
        var matches: [Bool] = []
        /// Copied rows: the end offset in `bytes` of the row's entry followed by its seven column texts
        /// (starting where the previous copied row ended); checked rows: -1.
        var ends: [Int] = []
        /// Copied rows, eight numbers each: the entry's length, then the seven texts' lengths (-1: NULL).
        var lengths: [Int32] = []
        /// Copied rows: the `released` column.
        var released: [Int64?] = []
        /// Copied rows: whether the columns' storage classes were valid (`IndexColumnValues`).
        var storageClassesValid: [Bool] = []
        var bytes: [UInt8] = []

        /// An empty chunk with room for `rowsPerChunk` rows.
        static func reserved() -> Chunk {
            var c = Chunk()
            c.indices.reserveCapacity(rowsPerChunk)
            c.leaves.reserveCapacity(rowsPerChunk)
            c.matches.reserveCapacity(rowsPerChunk)
            c.ends.reserveCapacity(rowsPerChunk)
            c.lengths.reserveCapacity(rowsPerChunk * 8)
            c.released.reserveCapacity(rowsPerChunk)
            c.storageClassesValid.reserveCapacity(rowsPerChunk)
            c.bytes.reserveCapacity(rowsPerChunk * 1024)
            return c
        }

        var count: Int { indices.count }

        /// Empties the chunk, keeping its buffers.
        mutating func clear() {
            indices.removeAll(keepingCapacity: true)
            leaves.removeAll(keepingCapacity: true)
            matches.removeAll(keepingCapacity: true)
            ends.removeAll(keepingCapacity: true)
            lengths.removeAll(keepingCapacity: true)
            released.removeAll(keepingCapacity: true)
            storageClassesValid.removeAll(keepingCapacity: true)
            bytes.removeAll(keepingCapacity: true)
        }

        /// Adds a row whose entry the reader hashed with `hasher` (its columns the reader compares itself).
        mutating func appendChecked(index: Int64, entry: UnsafeRawBufferPointer, storedLeaf: UnsafeRawBufferPointer,
                                    hasher: InlineMerkleHasher) {
            indices.append(index)
            let leaf = hasher.leaf(entry)
            leaves.append(leaf)
            matches.append(leaf.matches(storedLeaf))
            ends.append(-1)
        }

        /// Adds a copy of a row (entry and index columns) for the tree's queue to check.
        mutating func appendCopied(index: Int64, entry: UnsafeRawBufferPointer, storedLeaf: UnsafeRawBufferPointer,
                                   columns: some IndexColumnValues) {
            indices.append(index)
            storageClassesValid.append(columns.storageClassesValid)
            let stored = Digest32(storedLeaf)
            leaves.append(stored ?? Digest32())
            matches.append(stored != nil)
            bytes.append(contentsOf: entry)
            lengths.append(Int32(entry.count))
            for i in 0..<7 {
                if let text = columns.text(i) {
                    bytes.append(contentsOf: text)
                    lengths.append(Int32(text.count))
                } else {
                    lengths.append(-1)
                }
            }
            released.append(columns.released)
            ends.append(bytes.count)
        }
    }

    static let rowsPerChunk = 4096
    /// Chunks in circulation: one being filled, at most `inFlight` waiting or being processed.
    private static let inFlight = 3
    /// How much the adaptive share moves per chunk.
    private static let shareStep = 1.0 / 16
    private let queue = DispatchQueue(label: "consentgate.audit.verify")
    private let slots = DispatchSemaphore(value: inFlight)
    private let lock = NSLock()
    private var free: [Chunk] = []
    private var pending = 0
    private let recomputer: TreeRecomputer
    /// Hashes the copied rows (used on `queue` only).
    private let hasher = InlineMerkleHasher()
    private var error: (any Error)?
    /// Copied rows whose columns did not plainly match their entry (on `queue` only).
    private var copiedSuspects: [Int64] = []
    /// The index fingerprints of the copied rows (on `queue` only).
    private var copiedFingerprints = AuditIndexFingerprints()
    private let fingerprintKey: IndexFingerprintKey
    private let adaptive: Bool
    /// The share of rows the reading thread checks itself, and its running credit towards the next one.
    private var share: Double
    private var credit = 0.0

    init(_ recomputer: TreeRecomputer, fingerprintKey: IndexFingerprintKey, split: VerifyWorkSplit = .adaptive) {
        self.recomputer = recomputer
        self.fingerprintKey = fingerprintKey
        switch split {
        case .adaptive: adaptive = true; share = 0.25
        case .fixed(let s): adaptive = false; share = min(max(s, 0), 1)
        }
    }

    /// Whether the reading thread checks the next row itself (else it copies it into the chunk).
    func readerChecksNextRow() -> Bool {
        credit += share
        guard credit >= 1 else { return false }
        credit -= 1
        return true
    }

    /// An empty chunk to fill: a recycled one when available.
    func emptyChunk() -> Chunk {
        lock.lock()
        defer { lock.unlock() }
        return free.popLast() ?? Chunk.reserved()
    }

    /// Queues a chunk for the tree; blocks while `inFlight` chunks are already waiting.
    func submit(_ chunk: Chunk) {
        lock.lock()
        let waiting = pending
        pending += 1
        lock.unlock()
        if adaptive {
            // All slots taken: the reader is about to wait, so it checks more rows itself. Nothing waiting:
            // the second thread is idle, so the reader leaves it more.
            if waiting >= Self.inFlight { share = min(1, share + Self.shareStep) } else if waiting == 0 { share = max(0, share - Self.shareStep) }
        }
        slots.wait()
        queue.async { [self] in
            defer {
                slots.signal()
                var used = chunk
                used.clear()
                lock.lock()
                pending -= 1
                free.append(used)
                lock.unlock()
            }
            guard error == nil else { return }
            do { try check(chunk) } catch { self.error = error }
        }
    }

    /// Checks a chunk's copied rows and adds every row to the tree, in order (on `queue`).
    private func check(_ chunk: Chunk) throws {
        try chunk.bytes.withUnsafeBytes { bytes in
            try chunk.lengths.withUnsafeBufferPointer { lengths in
                var start = 0, copied = 0
                for i in 0..<chunk.count {
                    let end = chunk.ends[i]
                    if end < 0 {
                        try recomputer.add(index: chunk.indices[i], leaf: chunk.leaves[i], matchesStored: chunk.matches[i])
                        continue
                    }
                    let rowLengths = UnsafeBufferPointer(rebasing: lengths[(copied * 8)..<(copied * 8 + 8)])
                    let entryEnd = start + Int(rowLengths[0])
                    let entry = UnsafeRawBufferPointer(rebasing: bytes[start..<entryEnd])
                    let leaf = hasher.leaf(entry)
                    let columns = CopiedColumns(base: (bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!) + entryEnd,
                                                lengths: UnsafeBufferPointer(rebasing: rowLengths[1...]), released: chunk.released[copied],
                                                storageClassesValid: chunk.storageClassesValid[copied])
                    if EntryColumnMatcher.verdict(entry: entry, columns: columns) != .match { copiedSuspects.append(chunk.indices[i]) }
                    copiedFingerprints.add(row: chunk.indices[i], columns: columns, using: fingerprintKey)
                    start = end
                    copied += 1
                    try recomputer.add(index: chunk.indices[i], leaf: leaf, matchesStored: chunk.matches[i] && leaf == chunk.leaves[i])
                }
            }
        }
    }

    /// Waits for all chunks; returns the recomputer, the copied rows whose columns need a closer look and
    /// the copied rows' index fingerprints, or throws the first error.
    func finish() throws -> (recomputer: TreeRecomputer, columnSuspects: [Int64], fingerprints: AuditIndexFingerprints) {
        try queue.sync {
            if let error { throw error }
            return (recomputer, copiedSuspects, copiedFingerprints)
        }
    }
}
