import Diagnostics

/// The right edge of a Merkle tree: the roots of the perfect subtrees that make up the first `size`
/// leaves (one per set bit of `size`, largest first). Appending a leaf costs one hash per carry, so the
/// root after a batch is found without rehashing the tree; persisted with the log between appends.
public struct CompactRange: Sendable, Equatable {
    /// Number of leaves covered.
    public private(set) var size: Int64
    /// Subtree roots, leftmost (largest) first.
    public private(set) var hashes: [[UInt8]]

    /// An empty range.
    public init() { size = 0; hashes = [] }

    /// Restores a range from its persisted form; the number of hashes must equal the set bits of `size`.
    public init(size: Int64, hashes: [[UInt8]]) throws {
        guard size >= 0, size.nonzeroBitCount == hashes.count, hashes.allSatisfy({ $0.count == 32 }) else {
            throw AuditLogError.corrupted(reason: LocalizedText(de: "der gespeicherte Baumrand (Größe \(size), \(hashes.count) Hashes) ist in sich widersprüchlich", en: "stored tree frontier (size \(size), \(hashes.count) hashes) is inconsistent"))
        }
        self.size = size
        self.hashes = hashes
    }

    /// Appends one leaf hash.
    public mutating func append(_ leafHash: [UInt8], hasher: MerkleHasher) {
        var h = leafHash
        var s = size
        // Each trailing 1-bit of the old size is a complete subtree of equal height to merge with.
        while s & 1 == 1 {
            h = hasher.nodeHash(hashes.removeLast(), h)
            s >>= 1
        }
        hashes.append(h)
        size += 1
    }

    /// The RFC 9162 root of the covered leaves (the empty-tree hash for size 0).
    public func root(hasher: MerkleHasher) -> [UInt8] {
        guard var h = hashes.last else { return MerkleHasher.emptyRoot }
        for left in hashes.dropLast().reversed() { h = hasher.nodeHash(left, h) }
        return h
    }

    /// The hashes concatenated (32 bytes each), for storage.
    public var serialized: [UInt8] { hashes.flatMap { $0 } }

    /// Restores from `serialized` bytes.
    public init(size: Int64, serialized: [UInt8]) throws {
        guard serialized.count % 32 == 0 else {
            throw AuditLogError.corrupted(reason: LocalizedText(de: "der gespeicherte Baumrand hat \(serialized.count) Bytes, kein Vielfaches von 32", en: "stored tree frontier has \(serialized.count) bytes, not a multiple of 32"))
        }
        try self.init(size: size, hashes: stride(from: 0, to: serialized.count, by: 32).map { Array(serialized[$0..<$0 + 32]) })
    }
}
