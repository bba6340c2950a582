import Foundation
import GRDB
import Signing
import TestFolders
import Testing
@testable import AuditLog

/// Inclusion and consistency proofs computed from streamed leaf ranges and the stored frontier (`LeafRangeRoots`,
/// `MerkleRangeProofs`) are byte for byte those of the implementation before 2026-12-06, kept here as the reference:
/// every leaf hash of the tree read into an array and `MerkleTree`'s proofs over it. Every size, index and pair of
/// sizes of a small log appended in uneven batches (so that the frontier's subtrees and the proofs' ranges meet in
/// every way), and sampled ones of a larger log around powers of two.
@Suite("Streamed proofs equal the full-array reference")
struct StreamedProofTests {
    let tmp: TemporaryDirectory
    init() throws { tmp = try TemporaryDirectory("audit-proof-tests") }

    /// A log of `count` disclosures appended in batches of 1, 2, 3, … entries.
    func log(_ count: Int) throws -> AuditLogStore {
        let path = try tmp.folder().appendingPathComponent("log.sqlite").path
        let store = AuditLogStore(writer: try TestSupport.openDatabase(at: path))
        let signer = try TestSupport.signer()
        var n = 0, batch = 1
        while n < count {
            let end = min(count, n + batch)
            try store.append((n..<end).map { try TestSupport.disclosure($0) }, signer: signer)
            n = end
            batch += 1
        }
        return store
    }

    /// The proof as the full-array implementation made it.
    static func referenceInclusion(_ store: AuditLogStore, index: Int64, size: Int64) throws -> InclusionProof {
        let leaves = try store.leafHashes(size: size)
        let h = MerkleHasher()
        return InclusionProof(leafIndex: index, treeSize: size, entry: try store.entryBytes(index: index), leafHash: leaves[Int(index)],
                              rootHash: MerkleTree.root(leaves[...], hasher: h),
                              hashes: MerkleTree.inclusionProof(index: Int(index), leaves: leaves[...], hasher: h))
    }

    /// The consistency proof as the full-array implementation made it.
    static func referenceConsistency(_ store: AuditLogStore, from: Int64, to: Int64) throws -> ConsistencyProof {
        let leaves = try store.leafHashes(size: to)
        let h = MerkleHasher()
        return ConsistencyProof(firstSize: from, secondSize: to, firstRoot: MerkleTree.root(leaves[..<Int(from)], hasher: h),
                                secondRoot: MerkleTree.root(leaves[...], hasher: h),
                                hashes: MerkleTree.consistencyProof(oldSize: Int(from), leaves: leaves[...], hasher: h))
    }

    @Test func everyProofOfASmallLogEqualsTheReference() throws {
        let store = try log(41)
        for size in Int64(1)...41 {
            for index in 0..<size {
                let proof = try store.inclusionProof(index: index, size: size)
                #expect(proof == (try Self.referenceInclusion(store, index: index, size: size)), "index \(index), size \(size)")
                #expect(proof.verify())
            }
            for from in 1...size {
                let proof = try store.consistencyProof(from: from, to: size)
                #expect(proof == (try Self.referenceConsistency(store, from: from, to: size)), "from \(from) to \(size)")
                #expect(proof.verify())
            }
        }
        // Without a size: the whole log, whose right edge is the stored frontier.
        #expect(try store.inclusionProof(index: 40) == (try Self.referenceInclusion(store, index: 40, size: 41)))
        #expect(try store.inclusionProof(index: 40).json.canonicalText == (try Self.referenceInclusion(store, index: 40, size: 41)).json.canonicalText)
    }

    @Test func sampledProofsOfALargerLogEqualTheReference() throws {
        let store = try log(1100)
        let sizes: [Int64] = [1, 2, 255, 256, 257, 511, 512, 513, 1023, 1024, 1025, 1099, 1100]
        for size in sizes {
            let indices = Set([0, 1, size / 2, size / 3, size - 2, size - 1].filter { $0 >= 0 && $0 < size })
            for index in indices {
                #expect(try store.inclusionProof(index: index, size: size) == (try Self.referenceInclusion(store, index: index, size: size)),
                        "index \(index), size \(size)")
            }
            for from in Set([1, 2, size / 2, size - 1, size].filter { $0 >= 1 && $0 <= size }) {
                #expect(try store.consistencyProof(from: from, to: size) == (try Self.referenceConsistency(store, from: from, to: size)),
                        "from \(from) to \(size)")
            }
        }
    }

    /// A leaf missing from the table is still found when a proof reads its range: named as before.
    @Test func aMissingLeafIsNamed() throws {
        let path = try tmp.folder().appendingPathComponent("log.sqlite").path
        let store = AuditLogStore(writer: try TestSupport.openDatabase(at: path))
        let signer = try TestSupport.signer()
        try store.append((0..<20).map { try TestSupport.disclosure($0) }, signer: signer)
        try TestSupport.sqlite(path, "DROP TRIGGER audit_entry_no_delete; DELETE FROM audit_entry WHERE idx = 5")
        #expect(throws: AuditLogError.tampered(.entryMissing(index: 5, nextStored: 6))) { try store.inclusionProof(index: 0, size: 13) }
        try TestSupport.sqlite(path, "DELETE FROM audit_entry WHERE idx >= 12")
        #expect(throws: AuditLogError.tampered(.truncated(signedSize: 13, stored: 12))) { try store.consistencyProof(from: 12, to: 13) }
    }
}
