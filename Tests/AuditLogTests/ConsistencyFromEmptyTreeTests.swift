import Foundation
import Testing
@testable import AuditLog

/// RFC 9162 §2.1.4 defines consistency proofs for 0 < m < n only. `verifyConsistency` answered `true` for m = 0
/// whatever the claimed old root, so `ConsistencyProof(firstSize: 0, firstRoot: <anything>, …).verify()` vouched for a
/// "tree of size 0" with an arbitrary root hash. Now m = 0 is defined: the empty tree, whose root is SHA-256 of
/// no bytes (RFC 9162 §2.1.1), is a prefix of every tree, with an empty proof; any other old root fails.
@Suite struct ConsistencyFromEmptyTreeTests {
    let hasher = MerkleHasher()

    func leaves(_ n: Int) -> [[UInt8]] { (0..<n).map { hasher.leafHash(Array("entry \($0)".utf8)) } }

    @Test(arguments: [1, 2, 5, 8])
    func anOldRootOtherThanTheEmptyTreeHashFails(size: Int) {
        let root = MerkleTree.root(leaves(size)[...], hasher: hasher)
        let bogus = [UInt8](repeating: 0xAB, count: 32)
        #expect(!MerkleProofVerifier.verifyConsistency(oldSize: 0, newSize: Int64(size), oldRoot: bogus, newRoot: root,
                                                       proof: [], hasher: hasher))
        #expect(!ConsistencyProof(firstSize: 0, secondSize: Int64(size), firstRoot: root, secondRoot: root, hashes: []).verify())
        #expect(MerkleProofVerifier.verifyConsistency(oldSize: 0, newSize: Int64(size), oldRoot: MerkleHasher.emptyRoot,
                                                      newRoot: root, proof: [], hasher: hasher))
        // A proof from the empty tree has no hashes.
        #expect(!MerkleProofVerifier.verifyConsistency(oldSize: 0, newSize: Int64(size), oldRoot: MerkleHasher.emptyRoot,
                                                       newRoot: root, proof: [root], hasher: hasher))
    }

    @Test func theEmptyTreeAgainstItself() {
        #expect(MerkleProofVerifier.verifyConsistency(oldSize: 0, newSize: 0, oldRoot: MerkleHasher.emptyRoot,
                                                      newRoot: MerkleHasher.emptyRoot, proof: [], hasher: hasher))
        let bogus = [UInt8](repeating: 1, count: 32)
        #expect(!MerkleProofVerifier.verifyConsistency(oldSize: 0, newSize: 0, oldRoot: bogus, newRoot: bogus,
                                                       proof: [], hasher: hasher))
    }
}
