/// The same right edge of a Merkle tree as `CompactRange`, over inline `Digest32` values: appending a
/// leaf allocates nothing (the hash stack holds at most 64 entries and is reserved once). Used by the
/// hot loops of `verify` and `append`; converts to and from the public `CompactRange`.
struct DigestRange {
    /// Number of leaves covered.
    private(set) var size: Int64 = 0
    /// Subtree roots, leftmost (largest) first: one per set bit of `size`.
    private var hashes: [Digest32] = []

    /// An empty range.
    init() { hashes.reserveCapacity(64) }

    /// The range `compact` describes.
    init(_ compact: CompactRange) {
        self.init()
        size = compact.size
        // CompactRange guarantees 32-byte hashes.
        hashes.append(contentsOf: compact.hashes.map { Digest32($0)! })
    }

    /// The public form (for persisting the frontier).
    var compactRange: CompactRange {
        // The invariant (one 32-byte hash per set bit) holds by construction.
        try! CompactRange(size: size, hashes: hashes.map(\.bytes))
    }

    /// Appends one leaf hash: one node hash per trailing 1-bit of the old size.
    mutating func append(_ leaf: Digest32, hasher: InlineMerkleHasher) {
        var h = leaf
        var s = size
        while s & 1 == 1 {
            h = hasher.node(hashes.removeLast(), h)
            s >>= 1
        }
        hashes.append(h)
        size += 1
    }

    /// The RFC 9162 root of the covered leaves (the empty-tree hash for size 0).
    func root(hasher: InlineMerkleHasher) -> Digest32 {
        guard var h = hashes.last else { return InlineMerkleHasher.emptyRoot }
        var i = hashes.count - 2
        while i >= 0 {
            h = hasher.node(hashes[i], h)
            i -= 1
        }
        return h
    }
}
