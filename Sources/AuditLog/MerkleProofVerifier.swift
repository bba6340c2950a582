/// Verification of RFC 9162 proofs exactly as §2.1.3.2 (inclusion) and §2.1.4.2 (consistency) describe.
public enum MerkleProofVerifier {
    /// Whether `proof` shows that `leafHash` is leaf `index` of the tree of `treeSize` with `root`.
    public static func verifyInclusion(index: Int64, treeSize: Int64, leafHash: [UInt8], proof: [[UInt8]],
                                       root: [UInt8], hasher: MerkleHasher) -> Bool {
        guard index >= 0, index < treeSize else { return false }
        var fn = index
        var sn = treeSize - 1
        var r = leafHash
        for p in proof {
            if sn == 0 { return false }
            if fn & 1 == 1 || fn == sn {
                r = hasher.nodeHash(p, r)
                if fn & 1 == 0 {
                    repeat { fn >>= 1; sn >>= 1 } while fn & 1 == 0 && fn != 0
                }
            } else {
                r = hasher.nodeHash(r, p)
            }
            fn >>= 1
            sn >>= 1
        }
        return sn == 0 && r == root
    }

    /// Whether `proof` shows that the tree of `oldSize` with `oldRoot` is a prefix of the tree of `newSize` with `newRoot`.
    ///
    /// RFC 9162 §2.1.4 defines proofs for 0 < `oldSize` < `newSize`. The edges are defined here as follows: equal
    /// sizes need an empty proof and equal roots; the empty tree (`oldSize` 0) is a prefix of every tree, with an
    /// empty proof, but only under its own root, SHA-256 of no bytes (RFC 9162 §2.1.1), never under any other hash.
    public static func verifyConsistency(oldSize: Int64, newSize: Int64, oldRoot: [UInt8], newRoot: [UInt8],
                                         proof: [[UInt8]], hasher: MerkleHasher) -> Bool {
        guard oldSize >= 0, oldSize <= newSize else { return false }
        if oldSize == 0, oldRoot != MerkleHasher.emptyRoot { return false }
        if oldSize == newSize { return proof.isEmpty && oldRoot == newRoot }
        if oldSize == 0 { return proof.isEmpty }
        guard !proof.isEmpty else { return false }
        var path = proof
        // If the old size is a power of two, its root is the first node of the path.
        if oldSize & (oldSize - 1) == 0 { path.insert(oldRoot, at: 0) }
        var fn = oldSize - 1
        var sn = newSize - 1
        while fn & 1 == 1 { fn >>= 1; sn >>= 1 }
        var fr = path[0]
        var sr = path[0]
        for c in path.dropFirst() {
            if sn == 0 { return false }
            if fn & 1 == 1 || fn == sn {
                fr = hasher.nodeHash(c, fr)
                sr = hasher.nodeHash(c, sr)
                if fn & 1 == 0 {
                    repeat { fn >>= 1; sn >>= 1 } while fn & 1 == 0 && fn != 0
                }
            } else {
                sr = hasher.nodeHash(sr, c)
            }
            fn >>= 1
            sn >>= 1
        }
        return fr == oldRoot && sr == newRoot && sn == 0
    }
}
