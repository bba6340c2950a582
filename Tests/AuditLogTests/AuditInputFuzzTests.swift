import Foundation
import Signing
import StrictJSON
import Testing
import FuzzSupport
@testable import AuditLog

/// The audit log's readers of stored and supplied bytes under mutation: entries, signed checkpoint notes,
/// verifier keys, tree frontiers and proofs. Each returns a value (or false) or throws `AuditLogError`, never
/// traps or hangs; an entry that reads writes back through the fast writer exactly as the generic encoder does.
/// Run long with `CONSENTGATE_FUZZ_ITERATIONS=200000 swift test --skip-build --filter AuditInputFuzzTests`
/// (see `FuzzSupport.swift`).
@Suite struct AuditInputFuzzTests {
    static func isAuditLogError(_ error: any Error) -> Bool { error is AuditLogError }

    @Test func entryBytes() throws {
        var corpus: [[UInt8]] = []
        for content in CanonicalJSONTests.everyKind() {
            corpus.append(try AuditEntry(timeText: "2026-11-25T10:00:00Z", actor: "a", municipality: "Troisdorf",
                                         policyDigest: "sha256:ab", content: content).canonicalBytes())
        }
        corpus.append(Array(DisclosureLayoutTests.legacyBytes.utf8))
        corpus.append(try TestSupport.disclosure(7).canonicalBytes())
        Fuzz.run("audit-entry", corpus: corpus, seed: 0x5EED_0301, iterations: 700, accepts: Self.isAuditLogError) { bytes in
            let entry = try AuditEntry(bytes: bytes, context: "entry 1")
            #expect(entry.canonicalBytes() == CanonicalJSON.encode(entry.json))
            _ = EncodedAuditEntry(entry)
        }
    }

    /// Signed checkpoints (note text, blank line, signature lines) verified against the signer's key.
    @Test func signedCheckpoints() throws {
        let signer = try TestSupport.signer()
        let other = try TestSupport.signer()
        let hasher = MerkleHasher()
        var corpus: [[UInt8]] = []
        for size in [Int64(0), 1, 7, 1 << 40] {
            let cp = Checkpoint(origin: TestSupport.origin, size: size, rootHash: hasher.leafHash([UInt8(size & 0xFF)]),
                                extensions: size == 7 ? ["ext one", "ext two"] : [])
            let note = try cp.signedNote(signer: signer)
            corpus.append(Array(note.utf8))
            corpus.append(Array((note + (try other.signatureLine(for: cp.body))).utf8))
        }
        let keys = [signer.verifier, other.verifier]
        Fuzz.run("checkpoint", corpus: corpus, seed: 0x5EED_0302, iterations: 600, accepts: Self.isAuditLogError) { bytes in
            let text = String(decoding: bytes, as: UTF8.self)
            if let note = try? SignedNote(parsing: text, source: "fuzz") { _ = try? Checkpoint(body: note.text, source: "fuzz") }
            _ = try Checkpoint.verified(note: text, keys: keys, source: "fuzz")
        }
    }

    @Test func verifierKeys() throws {
        let corpus = try (0..<3).map { _ in Array(try TestSupport.signer().verifier.verifierKey.utf8) }
        Fuzz.run("verifier-key", corpus: corpus, seed: 0x5EED_0303, iterations: 500, maxBytes: 512, accepts: Self.isAuditLogError) { bytes in
            let key = try NoteVerifierKey(verifierKey: String(decoding: bytes, as: UTF8.self))
            #expect(try NoteVerifierKey(verifierKey: key.verifierKey) == key)
        }
    }

    /// Proofs and frontiers from arbitrary sizes, indexes and hash lists (the bytes of each case choose them):
    /// verification answers true or false, a frontier restores or throws.
    @Test func proofsAndFrontiers() {
        let hasher = MerkleHasher()
        let leaves = (0..<9).map { hasher.leafHash([UInt8($0)]) }
        var corpus: [[UInt8]] = []
        for (old, new) in [(1, 9), (4, 9), (3, 7), (9, 9), (0, 5)] {
            var bytes = withUnsafeBytes(of: Int64(old).littleEndian, Array.init) + withUnsafeBytes(of: Int64(new).littleEndian, Array.init)
            for h in (old > 0 && old < new ? MerkleTree.consistencyProof(oldSize: old, leaves: leaves[..<new], hasher: hasher) : []) { bytes += h }
            corpus.append(bytes)
        }
        Fuzz.run("merkle", corpus: corpus, seed: 0x5EED_0304, iterations: 600, maxBytes: 2_048, accepts: Self.isAuditLogError) { bytes in
            func int64(_ at: Int) -> Int64 {
                guard bytes.count >= at + 8 else { return Int64(bytes.count) - Int64(at) }
                return bytes[at..<at + 8].reversed().reduce(Int64(0)) { $0 << 8 | Int64($1) }
            }
            let a = int64(0), b = int64(8)
            let rest = bytes.count > 16 ? Array(bytes[16...]) : []
            let hashes = stride(from: 0, to: rest.count, by: 32).map { Array(rest[$0..<min(rest.count, $0 + 32)]) }
            let root = hashes.first ?? MerkleHasher.emptyRoot
            _ = MerkleProofVerifier.verifyInclusion(index: a, treeSize: b, leafHash: leaves[0], proof: hashes, root: root, hasher: hasher)
            _ = MerkleProofVerifier.verifyConsistency(oldSize: a, newSize: b, oldRoot: root, newRoot: MerkleTree.root(leaves[...], hasher: hasher), proof: hashes, hasher: hasher)
            _ = try CompactRange(size: a, serialized: rest)
        }
    }
}
