import Diagnostics
import Foundation
import Testing
@testable import Signing

/// The audit log's one signature is the checkpoint, a C2SP signed note, which CONTRACTS §6 signs with an Ed25519
/// `audit-log` key (signed notes have no ECDSA type). A P-256 key with that role can never sign a checkpoint: when it
/// was the newest `audit-log` key, the key ring chose it anyway and every append of the installation (check, consent,
/// export) failed with "signed notes need an Ed25519 key", although an Ed25519 `audit-log` key was still in force.
@Suite struct AuditLogKeyAlgorithmTests {
    static func date(_ s: String) -> Date { RFC3339.parse(s)! }

    @Test func aP256KeyIsNeverChosenForTheAuditLog() throws {
        var inst = try SigningKeyRingTests.Installation()
        defer { try? FileManager.default.removeItem(at: inst.dir) }
        let ed = try inst.add("audit-2024", roles: [.auditLog], from: "2024-01-01T00:00:00Z", to: "2030-01-01T00:00:00Z")
        let p256 = try inst.add("audit-2025-p256", roles: [.auditLog, .exportSigner], from: "2025-01-01T00:00:00Z",
                                to: "2030-01-01T00:00:00Z", alg: .p256)
        let now = Self.date("2025-06-01T00:00:00Z")
        let ring = inst.ring()
        #expect(try ring.signingKey(for: .auditLog, at: now).kid == ed)
        #expect(try ring.usableEntry(for: .auditLog, at: now).kid == ed)
        // Its other roles are untouched: P-256 is a CONTRACTS §2 algorithm for them.
        #expect(try ring.signingKey(for: .exportSigner, at: now).kid == p256)
        let refusal = try #require(inst.store.keys[p256]?.refusal(role: .auditLog, at: now, demoMode: false))
        #expect(refusal.en.contains("Ed25519") && refusal.de.contains("Ed25519"), "\(refusal)")
        #expect(inst.store.keys[p256]?.refusal(role: .exportSigner, at: now, demoMode: false) == nil)
    }

    @Test func withOnlyAP256AuditKeyTheErrorSaysWhy() throws {
        var inst = try SigningKeyRingTests.Installation()
        defer { try? FileManager.default.removeItem(at: inst.dir) }
        try inst.add("audit-p256", roles: [.auditLog], from: "2024-01-01T00:00:00Z", to: "2030-01-01T00:00:00Z", alg: .p256)
        #expect {
            try inst.ring().signingKey(for: .auditLog, at: Self.date("2025-06-01T00:00:00Z"))
        } throws: { error in
            guard let e = error as? SigningError, case let .noUsableKey(role, reasons) = e else { return false }
            return role == .auditLog && reasons.count == 1 && reasons[0].en.contains("Ed25519")
                && reasons[0].de.contains("Ed25519") && e.category == .integrity
        }
    }
}
