import Foundation
import Signing
import TestFolders
import Testing
@testable import AuditLog

/// The allocation-free hashing of the hot loops (`Digest32`, `InlineMerkleHasher`, `DigestRange`) must
/// give exactly the hashes of the array-based `MerkleHasher`/`CompactRange` (themselves checked against
/// the Certificate Transparency vectors in `MerkleTreeTests`), and round-trip the persisted frontier.
@Suite("Allocation-free Merkle hashing")
struct InlineHashingTests {
    /// This test's folders (removed with the suite instance after the test, also when it failed or threw).
    let tmp: TemporaryDirectory
    init() throws { tmp = try TemporaryDirectory("audit-tests") }

    static let vectors = MerkleTreeTests.vectors

    @Test("Leaf and node hashes equal MerkleHasher's for the CT vectors' leaves")
    func leavesAndNodes() throws {
        let slow = MerkleHasher(), fast = InlineMerkleHasher()
        let inputs = Self.vectors.leaves.map { TestSupport.hex($0) }
        var previous = Digest32()
        for input in inputs {
            let leaf = input.withUnsafeBytes { fast.leaf($0) }
            #expect(leaf.bytes == slow.leafHash(input))
            #expect(fast.node(previous, leaf).bytes == slow.nodeHash(previous.bytes, leaf.bytes))
            previous = leaf
        }
        #expect(InlineMerkleHasher.emptyRoot.bytes == SHA256.hash([UInt8]()))
    }

    @Test("SHA256BufferHasher writes the same digest as SHA256.hash, and is reusable")
    func bufferHasher() {
        let sha = SHA256BufferHasher()
        for text in ["", "abc", String(repeating: "ConsentGate ", count: 1000)] {
            let bytes = Array(text.utf8)
            var out = [UInt8](repeating: 0, count: 32)
            sha.begin()
            bytes.withUnsafeBytes { sha.update($0) }
            out.withUnsafeMutableBytes { sha.finish(into: $0) }
            #expect(out == SHA256.hash(bytes))
        }
    }

    @Test("Digest32 keeps bytes in order and compares them exactly")
    func digestBytes() throws {
        let bytes = (0..<32).map { UInt8($0 * 7 % 256) }
        let d = try #require(Digest32(bytes))
        #expect(d.bytes == bytes)
        #expect(bytes.withUnsafeBytes { d.matches($0) })
        var other = bytes
        other[31] ^= 1
        #expect(!other.withUnsafeBytes { d.matches($0) })
        #expect(!Array(bytes.prefix(31)).withUnsafeBytes { d.matches($0) })
        #expect(Digest32(Array(bytes.prefix(31))) == nil)
    }

    @Test("DigestRange gives CompactRange's root and frontier at every size 0…300, and resumes from it")
    func rangeMatchesCompactRange() throws {
        let slow = MerkleHasher(), fast = InlineMerkleHasher()
        var compact = CompactRange()
        var inline = DigestRange()
        #expect(inline.root(hasher: fast).bytes == compact.root(hasher: slow))
        for n in 0..<300 {
            let entry = Array("entry \(n)".utf8)
            compact.append(slow.leafHash(entry), hasher: slow)
            inline.append(entry.withUnsafeBytes { fast.leaf($0) }, hasher: fast)
            #expect(inline.size == compact.size)
            #expect(inline.root(hasher: fast).bytes == compact.root(hasher: slow))
            #expect(inline.compactRange == compact)
            // Resuming from the persisted frontier (as append does) continues the same tree.
            var resumed = DigestRange(compact)
            let next = Array("next".utf8)
            var continued = compact
            continued.append(slow.leafHash(next), hasher: slow)
            resumed.append(next.withUnsafeBytes { fast.leaf($0) }, hasher: fast)
            #expect(resumed.root(hasher: fast).bytes == continued.root(hasher: slow))
        }
    }

    @Test("Large batches are prepared on several threads, in order, with the same bytes and leaf hashes", arguments: [1, 511, 512, 1500])
    func prepareInOrder(count: Int) throws {
        let entries = try (0..<count).map { try TestSupport.disclosure($0) }
        let prepared = PreparedEntry.prepare(entries)
        let slow = MerkleHasher()
        #expect(prepared.count == count)
        for (p, e) in zip(prepared, entries) {
            #expect(p.encoded == EncodedAuditEntry(e))
            #expect(p.bytes == e.canonicalBytes())
            #expect(p.leafHash.bytes == slow.leafHash(p.bytes))
        }
    }

    @Test("A batch appended through the parallel path stores the right leaves and verifies")
    func parallelAppendVerifies() throws {
        let dir = try tmp.folder()
        let store = AuditLogStore(writer: try TestSupport.openDatabase(at: dir.appendingPathComponent("log.sqlite").path))
        let signer = try TestSupport.signer()
        try store.append(try TestSupport.disclosure(0), signer: signer)
        let entries = try (1...2000).map { try TestSupport.disclosure($0) }
        #expect(try store.append(entries, signer: signer) == Array(1...2000))
        let slow = MerkleHasher()
        let leaves = try store.leafHashes(size: 2001)
        for i in [0, 1, 999, 1000, 2000] {
            #expect(leaves[i] == slow.leafHash(try store.entryBytes(index: Int64(i))))
        }
        let report = try store.verify(key: signer.verifier)
        #expect(report.size == 2001)
        #expect(report.rootHash == MerkleTree.root(leaves[...], hasher: slow))
    }
}
