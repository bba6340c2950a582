import Diagnostics
import Foundation
import Signing
import Testing
@testable import AuditLog

/// A checkpoint signed only by an audit-log key the trust store revoked is said to be so, not "replaced or altered":
/// a DPO reading the old words would open an investigation into tampering (found in a review of processes working at
/// once, after a key was revoked while the service ran). The verdict stays a failure (exit 4): what a revoked key
/// signed does not count.
@Suite struct RevokedKeyCheckpointTests {
    @Test func aCheckpointOfARevokedKeyIsSaidToBeByARevokedKey() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("audit-revoked-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = AuditLogStore(writer: try TestSupport.openDatabase(at: dir.appendingPathComponent("a.sqlite").path))
        let old = try TestSupport.signer(), successor = try TestSupport.signer()
        _ = try store.append([try TestSupport.disclosure(1)], signer: old)

        let revokedAt = RFC3339.parse("2026-12-06T07:00:00Z")!
        let keyName = "\(old.verifier.name)+\(Hex.encode(old.verifier.keyID))"
        #expect(throws: AuditLogError.badCheckpoint(size: 1, problem: .signedByRevokedKey(key: keyName, revokedAt: "2026-12-06T07:00:00Z"))) {
            try store.verify(keys: [successor.verifier], revoked: [RevokedNoteKey(key: old.verifier, revokedAt: revokedAt)])
        }
        let message = AuditLogError.badCheckpoint(size: 1, problem: .signedByRevokedKey(key: keyName, revokedAt: "2026-12-06T07:00:00Z"))
        #expect(message.message(in: .de).contains("den der Trust-Store am 2026-12-06T07:00:00Z widerrufen hat"))
        #expect(message.message(in: .en).contains("not a sign that the log was changed"))
        #expect(message.category == .integrity)

        // A key the store does not name at all: signed by another key than the one given.
        #expect(throws: AuditLogError.badCheckpoint(size: 1, problem: .signedByOtherKey(given: "\(successor.verifier.name)+\(Hex.encode(successor.verifier.keyID))",
                                                                                          found: keyName))) {
            try store.verify(keys: [successor.verifier])
        }
        // And the old key itself, not revoked, verifies.
        #expect(try store.verify(keys: [old.verifier, successor.verifier]).size == 1)
    }
}
