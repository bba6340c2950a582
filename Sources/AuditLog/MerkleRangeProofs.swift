/// RFC 9162 §2.1.3.1 and §2.1.4.1 proofs over index ranges of a tree whose leaves are not in memory: wherever the
/// algorithms need MTH of a part of the tree, they ask `rootOf` for the root of that range of leaves (which the audit
/// log computes by streaming its stored leaf hashes, or takes from its frontier). The ranges asked for are disjoint,
/// so a proof over n leaves reads each leaf at most once, and holds only the O(log n) hashes of the proof. The root of
/// the whole tree falls out of the same recursion, so it costs no second pass. The results are those of
/// `MerkleTree.inclusionProof` / `consistencyProof` over the full list of leaf hashes, hash for hash.
enum MerkleRangeProofs {
    /// The root of the leaves in a range of indices (never empty).
    typealias RootOf = (Range<Int64>) throws -> [UInt8]

    /// PATH(index, D[0:size]) and MTH(D[0:size]), given the leaf hash of `index`.
    static func inclusion(index: Int64, size: Int64, leafHash: [UInt8], hasher: MerkleHasher,
                          rootOf: RootOf) throws -> (path: [[UInt8]], root: [UInt8]) {
        precondition(index >= 0 && index < size)
        var path: [[UInt8]] = []
        let root = try inclusion(index, 0, size, leafHash, hasher, rootOf, &path)
        return (path, root)
    }

    /// Appends PATH(m, D[lo:hi]) to `out` (leaf level first) and returns MTH(D[lo:hi]).
    private static func inclusion(_ m: Int64, _ lo: Int64, _ hi: Int64, _ leaf: [UInt8], _ h: MerkleHasher, _ rootOf: RootOf,
                                  _ out: inout [[UInt8]]) throws -> [UInt8] {
        let n = hi - lo
        guard n > 1 else { return leaf }
        let k = Int64(MerkleTree.split(Int(n)))
        if m < k {
            let left = try inclusion(m, lo, lo + k, leaf, h, rootOf, &out)
            let right = try rootOf(lo + k..<hi)
            out.append(right)
            return h.nodeHash(left, right)
        }
        let right = try inclusion(m - k, lo + k, hi, leaf, h, rootOf, &out)
        let left = try rootOf(lo..<lo + k)
        out.append(left)
        return h.nodeHash(left, right)
    }

    /// PROOF(oldSize, D[0:size]) with MTH(D[0:oldSize]) and MTH(D[0:size]); 1 ≤ oldSize ≤ size.
    static func consistency(oldSize: Int64, size: Int64, hasher: MerkleHasher,
                            rootOf: RootOf) throws -> (proof: [[UInt8]], oldRoot: [UInt8], root: [UInt8]) {
        precondition(oldSize >= 1 && oldSize <= size)
        if oldSize == size {
            let root = try rootOf(0..<size)
            return ([], root, root)
        }
        var proof: [[UInt8]] = []
        let (old, new) = try subproof(oldSize, 0, size, true, hasher, rootOf, &proof)
        return (proof, old, new)
    }

    /// Appends SUBPROOF(m, D[lo:hi], b) to `out`; returns MTH of the first m leaves of the range and MTH of the range.
    private static func subproof(_ m: Int64, _ lo: Int64, _ hi: Int64, _ b: Bool, _ h: MerkleHasher, _ rootOf: RootOf,
                                 _ out: inout [[UInt8]]) throws -> (old: [UInt8], new: [UInt8]) {
        let n = hi - lo
        if m == n {
            let root = try rootOf(lo..<hi)
            if !b { out.append(root) }
            return (root, root)
        }
        let k = Int64(MerkleTree.split(Int(n)))
        if m <= k {
            let (old, left) = try subproof(m, lo, lo + k, b, h, rootOf, &out)
            let right = try rootOf(lo + k..<hi)
            out.append(right)
            return (old, h.nodeHash(left, right))
        }
        // m > k: the old tree is the whole left subtree (perfect, k leaves) and the first m - k leaves of the right.
        let (oldRight, right) = try subproof(m - k, lo + k, hi, false, h, rootOf, &out)
        let left = try rootOf(lo..<lo + k)
        out.append(left)
        return (h.nodeHash(left, oldRight), h.nodeHash(left, right))
    }
}
