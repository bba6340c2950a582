import Foundation
import Testing
@testable import AuditLog

/// Known answers from the Certificate Transparency test suite, plus every size 1…64 against a naive
/// recursive reference written from RFC 9162 §2.1.1 in this file.
@Suite("RFC 6962/9162 Merkle tree")
struct MerkleTreeTests {
    struct Vectors: Decodable {
        struct Inclusion: Decodable { var index: Int; var size: Int; var path: [String] }
        struct Consistency: Decodable { var size1: Int; var size2: Int; var path: [String] }
        var leaves: [String]
        var roots: [String]
        var inclusion: [Inclusion]
        var consistency: [Consistency]
    }

    static let vectors: Vectors = {
        let url = TestSupport.fixtures.appendingPathComponent("rfc6962_vectors.json")
        return try! JSONDecoder().decode(Vectors.self, from: Data(contentsOf: url))
    }()

    let hasher = MerkleHasher()
    var leaves: [[UInt8]] { Self.vectors.leaves.map { hasher.leafHash(TestSupport.hex($0)) } }

    /// MTH by the RFC's recursive definition, independent of CompactRange.
    func referenceRoot(_ d: ArraySlice<[UInt8]>) -> [UInt8] {
        if d.isEmpty { return MerkleHasher.emptyRoot }
        if d.count == 1 { return d.first! }
        var k = 1
        while k * 2 < d.count { k *= 2 }
        return hasher.nodeHash(referenceRoot(d.prefix(k)), referenceRoot(d.dropFirst(k)))
    }

    @Test("Roots of the CT test leaves for sizes 0…8", arguments: 0...8)
    func knownRoots(size: Int) {
        let expected = TestSupport.hex(Self.vectors.roots[size])
        #expect(MerkleTree.root(leaves[..<size], hasher: hasher) == expected)
        var range = CompactRange()
        for l in leaves.prefix(size) { range.append(l, hasher: hasher) }
        #expect(range.root(hasher: hasher) == expected)
    }

    @Test("Known inclusion proofs", arguments: vectors.inclusion.indices)
    func knownInclusion(i: Int) {
        let v = Self.vectors.inclusion[i]
        let proof = MerkleTree.inclusionProof(index: v.index, leaves: leaves[..<v.size], hasher: hasher)
        #expect(proof == v.path.map(TestSupport.hex))
        #expect(MerkleProofVerifier.verifyInclusion(index: Int64(v.index), treeSize: Int64(v.size), leafHash: leaves[v.index],
                                                    proof: proof, root: TestSupport.hex(Self.vectors.roots[v.size]), hasher: hasher))
    }

    @Test("Known consistency proofs", arguments: vectors.consistency.indices)
    func knownConsistency(i: Int) {
        let v = Self.vectors.consistency[i]
        let proof = MerkleTree.consistencyProof(oldSize: v.size1, leaves: leaves[..<v.size2], hasher: hasher)
        #expect(proof == v.path.map(TestSupport.hex))
        #expect(MerkleProofVerifier.verifyConsistency(oldSize: Int64(v.size1), newSize: Int64(v.size2),
                                                      oldRoot: TestSupport.hex(Self.vectors.roots[v.size1]),
                                                      newRoot: TestSupport.hex(Self.vectors.roots[v.size2]), proof: proof, hasher: hasher))
    }

    /// An index at or past the tree's size is no leaf of it, whatever the proof: with leaf 0 and leaf 1's hash as the
    /// proof, "index 2 of a tree of 2" hashes to the root (found by mutation testing, session 35: `index <= treeSize`
    /// passed every test).
    @Test("An inclusion proof for an index at or past the tree size fails", arguments: [2, 3, 4])
    func indexPastTheTree(index: Int) {
        let d = Array(Self.bigLeaves[..<2])
        let root = MerkleTree.root(d[...], hasher: hasher)
        #expect(MerkleProofVerifier.verifyInclusion(index: 0, treeSize: 2, leafHash: d[0], proof: [d[1]], root: root, hasher: hasher))
        #expect(!MerkleProofVerifier.verifyInclusion(index: Int64(index), treeSize: 2, leafHash: d[0], proof: [d[1]], root: root, hasher: hasher))
    }

    /// 64 leaves: the 8 CT inputs, then 56 more byte strings.
    static let bigLeaves: [[UInt8]] = {
        let h = MerkleHasher()
        let base = vectors.leaves.map(TestSupport.hex)
        return (0..<64).map { i in h.leafHash(i < 8 ? base[i] : Array("leaf-\(i)".utf8)) }
    }()

    @Test("Every size 1…64: root, all inclusion proofs and all consistency proofs verify; altered proofs fail", arguments: 1...64)
    func allSizes(size: Int) {
        let d = Self.bigLeaves[..<size]
        let root = MerkleTree.root(d, hasher: hasher)
        #expect(root == referenceRoot(d))
        for m in 0..<size {
            let proof = MerkleTree.inclusionProof(index: m, leaves: d, hasher: hasher)
            #expect(MerkleProofVerifier.verifyInclusion(index: Int64(m), treeSize: Int64(size), leafHash: d[m], proof: proof, root: root, hasher: hasher))
            // Wrong index, wrong size, a flipped bit: each must fail.
            if size > 1 {
                #expect(!MerkleProofVerifier.verifyInclusion(index: Int64((m + 1) % size), treeSize: Int64(size), leafHash: d[m], proof: proof, root: root, hasher: hasher))
                var bad = proof
                bad[0][0] ^= 1
                #expect(!MerkleProofVerifier.verifyInclusion(index: Int64(m), treeSize: Int64(size), leafHash: d[m], proof: bad, root: root, hasher: hasher))
            }
            // A proof for the wrong leaf hash fails.
            var otherLeaf = d[m]
            otherLeaf[0] ^= 1
            #expect(!MerkleProofVerifier.verifyInclusion(index: Int64(m), treeSize: Int64(size), leafHash: otherLeaf, proof: proof, root: root, hasher: hasher))
        }
        for old in 1...size {
            let proof = MerkleTree.consistencyProof(oldSize: old, leaves: d, hasher: hasher)
            let oldRoot = referenceRoot(d.prefix(old))
            #expect(MerkleProofVerifier.verifyConsistency(oldSize: Int64(old), newSize: Int64(size), oldRoot: oldRoot, newRoot: root, proof: proof, hasher: hasher))
            if old < size {
                var badRoot = oldRoot
                badRoot[31] ^= 1
                #expect(!MerkleProofVerifier.verifyConsistency(oldSize: Int64(old), newSize: Int64(size), oldRoot: badRoot, newRoot: root, proof: proof, hasher: hasher))
            }
        }
    }

    @Test("A compact range survives being stored and restored")
    func compactRangeRestore() throws {
        var range = CompactRange()
        for l in Self.bigLeaves.prefix(45) { range.append(l, hasher: hasher) }
        var restored = try CompactRange(size: range.size, serialized: range.serialized)
        for l in Self.bigLeaves[45...] { restored.append(l, hasher: hasher) }
        #expect(restored.root(hasher: hasher) == referenceRoot(Self.bigLeaves[...]))
        #expect(throws: AuditLogError.self) { try CompactRange(size: 45, serialized: Array(range.serialized.dropLast(32))) }
    }
}
