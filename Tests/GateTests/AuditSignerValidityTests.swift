import AuditLog
import Foundation
import PolicyEngine
import Signing
import Testing
@testable import Gate

/// `Gate.auditSigner(at:)` chooses the `audit-log` key at every call, as a new process would, and keeps only the
/// decrypted key. Before, the key opened first signed for the life of the process: a `serve` running past its key's
/// `not-after` went on signing checkpoints with it, a successor staged in the trust store (`not-before` after the start)
/// was never taken, and a failure to open the key at that point could not happen, nor be reported as such. Failures are
/// `AuditSigningUnavailable` with the key error as reason (the web service answers 503).
@Suite struct AuditSignerValidityTests {
    /// A real installation whose trust store holds audit-log key `current` (valid from a day ago until `currentUntil`)
    /// and, when `successorFrom` is given, a second audit-log key valid from then; plus a consent-signer key.
    struct Installation {
        let inst: GateTestInstallation
        let configuration: GateConfiguration
        let currentKid: String
        let successorKid: String?
        let successorFile: String

        init(currentUntil: Date, successorFrom: Date?) throws {
            inst = try GateTestInstallation()
            var keys: [GateTestInstallation.KeySpec] = [
                .init(name: "audit-current", role: .auditLog, notBefore: Date().addingTimeInterval(-86_400), notAfter: currentUntil),
                .init(name: "consents", role: .consentSigner, notBefore: Date().addingTimeInterval(-86_400), notAfter: Date().addingTimeInterval(86_400 * 365)),
            ]
            if let successorFrom {
                keys.append(.init(name: "audit-next", role: .auditLog, notBefore: successorFrom, notAfter: successorFrom.addingTimeInterval(86_400 * 365)))
            }
            let made = try inst.realConfiguration(keys: keys)
            configuration = made.configuration
            currentKid = made.kids["audit-current"]!
            successorKid = made.kids["audit-next"]
            successorFile = inst.dir.appendingPathComponent("keys/audit-next.key.pem").path
        }
    }

    static let hour: TimeInterval = 3600

    @Test("past its not-after, the key opened at start no longer signs: AuditSigningUnavailable, integrity (exit 4)")
    func expiredKeyStopsSigning() throws {
        let end = Date().addingTimeInterval(Self.hour)
        let i = try Installation(currentUntil: end, successorFrom: nil)
        defer { i.inst.remove() }
        let gate = try Gate.open(i.configuration, prefetchingAuditKey: true)
        #expect(try gate.auditSigner().key.publicKey.kid == i.currentKid)
        let error = #expect(throws: AuditSigningUnavailable.self) { try gate.auditSigner(at: end.addingTimeInterval(1)) }
        guard case .noUsableKey(role: .auditLog, reasons: let reasons)? = error?.reason as? SigningError else {
            Issue.record("reason: \(String(describing: error?.reason))"); return
        }
        #expect(reasons.count == 1 && reasons[0].en.contains("not-after"), "\(reasons)")
        #expect(error?.category == .integrity)
        #expect(try gate.auditSigner(at: end.addingTimeInterval(-1)).key.publicKey.kid == i.currentKid, "before the end it signs again")
    }

    @Test("a successor staged in the trust store takes over at its not-before, without a restart")
    func successorTakesOver() throws {
        let from = Date().addingTimeInterval(Self.hour)
        let i = try Installation(currentUntil: from.addingTimeInterval(Self.hour * 24), successorFrom: from)
        defer { i.inst.remove() }
        let gate = try Gate.open(i.configuration)
        #expect(try gate.auditSigner().key.publicKey.kid == i.currentKid)
        #expect(try gate.auditSigner(at: from.addingTimeInterval(1)).key.publicKey.kid == i.successorKid)
        #expect(gate.openedSigningKeyCount == 0, "the audit-log keys are not kept with the consent keys")
    }

    @Test("a successor whose key file was damaged after start: the append at its time fails with the key file's error, nothing is appended; the current key still signs before it",
          arguments: ["not a key\n", ""])
    func damagedSuccessorFile(content: String) throws {
        let from = Date().addingTimeInterval(Self.hour)
        let i = try Installation(currentUntil: from.addingTimeInterval(Self.hour * 24), successorFrom: from)
        defer { i.inst.remove() }
        let gate = try Gate.open(i.configuration, prefetchingAuditKey: true)
        _ = try gate.auditSigner()
        try Data(content.utf8).write(to: URL(fileURLWithPath: i.successorFile))
        let size = try gate.auditLog.size()
        let error = #expect(throws: AuditSigningUnavailable.self) { try gate.auditSigner(at: from.addingTimeInterval(1)) }
        #expect(error?.message(in: .en).contains(i.successorFile) == true, "\(String(describing: error))")
        #expect(error?.category == .invalidInput)
        #expect(try gate.auditLog.size() == size)
        #expect(try gate.auditSigner(at: from.addingTimeInterval(-1)).key.publicKey.kid == i.currentKid)
    }

    /// Opening a key costs its PBKDF2 rounds under the signer's lock: a successor that cannot be opened is not decrypted
    /// again on every request, but given the same error for `auditSignerRetryInterval`, and tried anew after that (so a
    /// repaired key file or passphrase is taken without a restart).
    @Test("a successor that failed to open is tried again only after the retry interval")
    func failedSuccessorIsRetriedAfterAPause() throws {
        let from = Date().addingTimeInterval(Self.hour)
        let i = try Installation(currentUntil: from.addingTimeInterval(Self.hour * 24), successorFrom: from)
        defer { i.inst.remove() }
        let gate = try Gate.open(i.configuration, prefetchingAuditKey: true)
        _ = try gate.auditSigner()
        let good = try Data(contentsOf: URL(fileURLWithPath: i.successorFile))
        try Data("not a key\n".utf8).write(to: URL(fileURLWithPath: i.successorFile))
        let first = #expect(throws: AuditSigningUnavailable.self) { try gate.auditSigner(at: from.addingTimeInterval(1)) }
        #expect(first?.message(in: .en).contains(i.successorFile) == true)
        // Repaired, but within the interval: the failure stands (the file is not read again).
        try good.write(to: URL(fileURLWithPath: i.successorFile))
        let again = #expect(throws: AuditSigningUnavailable.self) {
            try gate.auditSigner(at: from.addingTimeInterval(1 + Gate.auditSignerRetryInterval - 1))
        }
        #expect(again?.message(in: .en) == first?.message(in: .en))
        // The current key is not held up by its successor's failure.
        #expect(try gate.auditSigner(at: from.addingTimeInterval(-1)).key.publicKey.kid == i.currentKid)
        // After the interval, the repaired file is read and the successor signs.
        #expect(try gate.auditSigner(at: from.addingTimeInterval(1 + Gate.auditSignerRetryInterval)).key.publicKey.kid == i.successorKid)
    }
}
