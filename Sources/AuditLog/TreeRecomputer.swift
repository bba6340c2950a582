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

    /// Adds the next entry: its index must follow on, its bytes must hash to the stored leaf hash.
    func add(index: Int64, entry: UnsafeRawBufferPointer, storedLeaf: UnsafeRawBufferPointer) throws {
        let expected = range.size
        guard index == expected else { throw AuditLogError.tampered(.entryMissing(index: expected, nextStored: index)) }
        let leaf = hasher.leaf(entry)
        guard leaf.matches(storedLeaf) else { throw AuditLogError.tampered(.entryChanged(index: index)) }
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

/// Runs a `TreeRecomputer` on its own serial queue, fed with chunks of copied rows, so that reading
/// SQLite and hashing overlap on two cores. The first error stops further hashing and is rethrown by `finish`.
/// Chunks are recycled: a fresh multi-megabyte buffer per chunk cost a page fault per 4 KiB written.
/// `@unchecked Sendable`: the recomputer and `error` are only touched on `queue`; `finish` waits on it;
/// the free list is guarded by `lock`.
final class PipelinedTreeRecomputer: @unchecked Sendable {
    /// Rows copied out of SQLite: entry bytes back to back, with offsets, and the stored leaf hashes.
    struct Chunk: Sendable {
        var indices: [Int64] = []
        var offsets: [Int] = [0]
        var bytes: [UInt8] = []
        var leaves: [UInt8] = []

        /// An empty chunk with room reserved for `rowsPerChunk` typical rows, so filling it rarely reallocates.
        static func reserved() -> Chunk {
            var c = Chunk()
            c.indices.reserveCapacity(rowsPerChunk)
            c.offsets.reserveCapacity(rowsPerChunk + 1)
            c.bytes.reserveCapacity(rowsPerChunk * 1024)
            c.leaves.reserveCapacity(rowsPerChunk * 32)
            return c
        }

        /// Empties the chunk, keeping its buffers.
        mutating func clear() {
            indices.removeAll(keepingCapacity: true)
            offsets.removeAll(keepingCapacity: true)
            offsets.append(0)
            bytes.removeAll(keepingCapacity: true)
            leaves.removeAll(keepingCapacity: true)
        }

        /// Appends one row.
        mutating func append(index: Int64, entry: UnsafeRawBufferPointer, storedLeaf: UnsafeRawBufferPointer) {
            indices.append(index)
            bytes.append(contentsOf: entry)
            offsets.append(bytes.count)
            // A malformed stored hash is copied as 32 bytes that cannot match (the entry counts as changed).
            if storedLeaf.count == 32 { leaves.append(contentsOf: storedLeaf) } else { leaves.append(contentsOf: repeatElement(0xFF, count: 32)) }
        }
    }

    static let rowsPerChunk = 2048
    /// Chunks in circulation: one being filled, at most `inFlight` waiting or being hashed.
    private static let inFlight = 3
    private let queue = DispatchQueue(label: "consentgate.audit.verify")
    private let slots = DispatchSemaphore(value: inFlight)
    private let lock = NSLock()
    private var free: [Chunk] = []
    private let recomputer: TreeRecomputer
    private var error: (any Error)?

    init(_ recomputer: TreeRecomputer) { self.recomputer = recomputer }

    /// An empty chunk to fill: a recycled one when available.
    func emptyChunk() -> Chunk {
        lock.lock()
        defer { lock.unlock() }
        return free.popLast() ?? Chunk.reserved()
    }

    /// Queues a chunk for hashing; blocks while `inFlight` chunks are already waiting.
    func submit(_ chunk: Chunk) {
        slots.wait()
        queue.async { [self] in
            defer { slots.signal() }
            guard error == nil else { return }
            do {
                try chunk.bytes.withUnsafeBytes { bytes in
                    try chunk.leaves.withUnsafeBytes { leaves in
                        for i in 0..<chunk.indices.count {
                            try recomputer.add(index: chunk.indices[i],
                                               entry: UnsafeRawBufferPointer(rebasing: bytes[chunk.offsets[i]..<chunk.offsets[i + 1]]),
                                               storedLeaf: UnsafeRawBufferPointer(rebasing: leaves[i * 32..<i * 32 + 32]))
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
