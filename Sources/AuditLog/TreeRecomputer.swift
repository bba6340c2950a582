import Foundation

/// Recomputes the tree from entries in index order and checks it against the signed checkpoints (and an
/// optional trusted one) as each checkpoint's size is reached. Used by `verify`, on one thread at a time.
final class TreeRecomputer {
    /// Allocation-free hashing: a `[UInt8]` per leaf and node cost as much as hashing the entry.
    private let hasher = InlineMerkleHasher()
    private var range = DigestRange()
    private let roots: [(size: Int64, root: Digest32?)]
    private let trusted: (size: Int64, root: Digest32?)?
    private var nextCheckpoint = 0
    private var lastGood: Int64 = 0

    /// A signed root that is not 32 bytes can match no recomputed root (it stays nil and is reported as a mismatch).
    init(roots: [(size: Int64, root: [UInt8])], trusted: Checkpoint?) throws {
        self.roots = roots.map { ($0.size, Digest32($0.root)) }
        self.trusted = trusted.map { ($0.size, Digest32($0.rootHash)) }
        // A stored or trusted checkpoint of size 0 is checked before any entry.
        try checkRoots()
    }

    /// Number of entries added.
    var size: Int64 { range.size }

    /// The root of the entries added so far.
    var rootHash: [UInt8] { range.root(hasher: hasher).bytes }

    /// Adds the next entry by its leaf hash, computed by the caller from the stored bytes: its index must
    /// follow on, and `matchesStored` says whether that hash equals the leaf hash stored with the entry.
    func add(index: Int64, leaf: Digest32, matchesStored: Bool) throws {
        let expected = range.size
        guard index == expected else { throw AuditLogError.tampered(.entryMissing(index: expected, nextStored: index)) }
        guard matchesStored else { throw AuditLogError.tampered(.entryChanged(index: index)) }
        range.append(leaf, hasher: hasher)
        try checkRoots()
    }

    private func checkRoots() throws {
        while nextCheckpoint < roots.count, roots[nextCheckpoint].size == range.size {
            let (size, root) = roots[nextCheckpoint]
            if range.root(hasher: hasher) != root {
                throw AuditLogError.tampered(.checkpointMismatch(firstIndex: lastGood, size: size))
            }
            lastGood = size
            nextCheckpoint += 1
        }
        if let trusted, trusted.size == range.size, range.root(hasher: hasher) != trusted.root {
            throw AuditLogError.tampered(.rewritten(trustedSize: trusted.size))
        }
    }
}

/// Runs a `TreeRecomputer` on its own serial queue, fed with chunks of rows, so that the work of `verify`
/// is split over two cores. Leaf hashing is shared: the thread reading SQLite hashes one entry in three in
/// place, in the row buffer SQLite lends (no copy), and copies the others into the chunk for this queue to
/// hash; this queue also checks the index order, builds the tree (one node hash per leaf on average) and
/// checks the roots at each checkpoint. (Stepping SQLite costs about half as much as hashing an entry, a
/// node hash about a third; this split keeps both threads about equally busy.) Rows are checked in index
/// order either way, so the first problem is the one reported. The first error stops further work and is
/// rethrown by `finish`. Chunks are recycled. `@unchecked Sendable`: the recomputer and `error` are only
/// touched on `queue`; `finish` waits on it; the free list is guarded by `lock`.
final class PipelinedTreeRecomputer: @unchecked Sendable {
    /// Consecutive rows: each either hashed by the reader (its leaf hash and whether it matched the stored
    /// one) or copied (its bytes, and the stored leaf hash in `leaves`, for this queue to hash and compare).
    struct Chunk: Sendable {
        var indices: [Int64] = []
        /// The computed leaf hash (hashed rows) or the stored one (copied rows).
        var leaves: [Digest32] = []
        /// Hashed rows: whether the computed hash matched the stored one. Copied rows: whether the stored
        /// hash was 32 bytes at all (if not, the entry counts as changed).
        var matches: [Bool] = []
        /// Copied rows: the end offset of the row's bytes in `bytes` (starting where the previous copied row
        /// ended); hashed rows: -1.
        var ends: [Int] = []
        var bytes: [UInt8] = []

        /// An empty chunk with room for `rowsPerChunk` rows.
        static func reserved() -> Chunk {
            var c = Chunk()
            c.indices.reserveCapacity(rowsPerChunk)
            c.leaves.reserveCapacity(rowsPerChunk)
            c.matches.reserveCapacity(rowsPerChunk)
            c.ends.reserveCapacity(rowsPerChunk)
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
            bytes.removeAll(keepingCapacity: true)
        }

        /// Adds one row: hashed here with `hasher` (RFC 6962 leaf), or, when `copy`, copied for the tree's queue.
        mutating func append(index: Int64, entry: UnsafeRawBufferPointer, storedLeaf: UnsafeRawBufferPointer,
                             copy: Bool, hasher: InlineMerkleHasher) {
            indices.append(index)
            if copy {
                let stored = Digest32(storedLeaf)
                leaves.append(stored ?? Digest32())
                matches.append(stored != nil)
                bytes.append(contentsOf: entry)
                ends.append(bytes.count)
            } else {
                let leaf = hasher.leaf(entry)
                leaves.append(leaf)
                matches.append(leaf.matches(storedLeaf))
                ends.append(-1)
            }
        }
    }

    static let rowsPerChunk = 4096
    /// Chunks in circulation: one being filled, at most `inFlight` waiting or being processed.
    private static let inFlight = 3
    private let queue = DispatchQueue(label: "consentgate.audit.verify")
    private let slots = DispatchSemaphore(value: inFlight)
    private let lock = NSLock()
    private var free: [Chunk] = []
    private let recomputer: TreeRecomputer
    /// Hashes the copied rows (used on `queue` only).
    private let hasher = InlineMerkleHasher()
    private var error: (any Error)?

    init(_ recomputer: TreeRecomputer) { self.recomputer = recomputer }

    /// An empty chunk to fill: a recycled one when available.
    func emptyChunk() -> Chunk {
        lock.lock()
        defer { lock.unlock() }
        return free.popLast() ?? Chunk.reserved()
    }

    /// Queues a chunk for the tree; blocks while `inFlight` chunks are already waiting.
    func submit(_ chunk: Chunk) {
        slots.wait()
        queue.async { [self] in
            defer { slots.signal() }
            guard error == nil else { return }
            do {
                try chunk.bytes.withUnsafeBytes { bytes in
                    var start = 0
                    for i in 0..<chunk.count {
                        let end = chunk.ends[i]
                        if end < 0 {
                            try recomputer.add(index: chunk.indices[i], leaf: chunk.leaves[i], matchesStored: chunk.matches[i])
                        } else {
                            let leaf = hasher.leaf(UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
                            start = end
                            try recomputer.add(index: chunk.indices[i], leaf: leaf, matchesStored: chunk.matches[i] && leaf == chunk.leaves[i])
                        }
                    }
                }
            } catch {
                self.error = error
            }
            var used = chunk
            used.clear()
            lock.lock()
            free.append(used)
            lock.unlock()
        }
    }

    /// Waits for all chunks and returns the recomputer, or throws the first error.
    func finish() throws -> TreeRecomputer {
        try queue.sync {
            if let error { throw error }
            return recomputer
        }
    }
}
