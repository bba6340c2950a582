/// RFC 9162 §2.1 Merkle tree computations over a list of leaf hashes: the root of any prefix,
/// inclusion proofs (§2.1.3.1) and consistency proofs (§2.1.4.1). Proof hashes are ordered from the
/// leaf level upwards, as the RFC's verification algorithms expect.
public enum MerkleTree {
    /// The largest power of two smaller than `n` (n ≥ 2): the split point `k` of RFC 9162.
    static func split(_ n: Int) -> Int {
        precondition(n >= 2)
        return 1 << (Int.bitWidth - (n - 1).leadingZeroBitCount - 1)
    }

    /// MTH(D[n]) of the given leaf hashes.
    public static func root(_ leaves: ArraySlice<[UInt8]>, hasher: MerkleHasher) -> [UInt8] {
        var range = CompactRange()
        for l in leaves { range.append(l, hasher: hasher) }
        return range.root(hasher: hasher)
    }

    /// PATH(m, D[n]): the inclusion proof for leaf `index` in the tree of all `leaves`.
    public static func inclusionProof(index: Int, leaves: ArraySlice<[UInt8]>, hasher: MerkleHasher) -> [[UInt8]] {
        precondition(index >= 0 && index < leaves.count)
        var proof: [[UInt8]] = []
        path(index, leaves, hasher, &proof)
        return proof
    }

    private static func path(_ m: Int, _ d: ArraySlice<[UInt8]>, _ h: MerkleHasher, _ out: inout [[UInt8]]) {
        let n = d.count
        guard n > 1 else { return }
        let k = split(n)
        let s = d.startIndex
        if m < k {
            path(m, d[s..<s + k], h, &out)
            out.append(root(d[(s + k)...], hasher: h))
        } else {
            path(m - k, d[(s + k)...], h, &out)
            out.append(root(d[s..<s + k], hasher: h))
        }
    }

    /// PROOF(m, D[n]): the consistency proof between the first `oldSize` leaves and all `leaves`.
    public static func consistencyProof(oldSize: Int, leaves: ArraySlice<[UInt8]>, hasher: MerkleHasher) -> [[UInt8]] {
        precondition(oldSize >= 0 && oldSize <= leaves.count)
        guard oldSize > 0, oldSize < leaves.count else { return [] }
        var proof: [[UInt8]] = []
        subproof(oldSize, leaves, true, hasher, &proof)
        return proof
    }

    private static func subproof(_ m: Int, _ d: ArraySlice<[UInt8]>, _ b: Bool, _ h: MerkleHasher, _ out: inout [[UInt8]]) {
        let n = d.count
        if m == n {
            if !b { out.append(root(d, hasher: h)) }
            return
        }
        let k = split(n)
        let s = d.startIndex
        if m <= k {
            subproof(m, d[s..<s + k], b, h, &out)
            out.append(root(d[(s + k)...], hasher: h))
        } else {
            subproof(m - k, d[(s + k)...], false, h, &out)
            out.append(root(d[s..<s + k], hasher: h))
        }
    }
}
