import AuditLog
import Foundation
import Signing
import Testing
@testable import Gate

/// Changes of the trust store are logged as `key-event` entries when the installation is opened: who can sign
/// consents, checkpoints and exports is something a data protection officer must see change.
@Suite struct GateTrustRecordTests {
    /// The `key-event` records of the log, in order.
    func keyEvents(_ gate: Gate) throws -> [KeyEventRecord] {
        try gate.auditLog.entries(matching: AuditQuery(kinds: [.keyEvent])).compactMap {
            if case let .keyEvent(r) = $0.entry.content { return r } else { return nil }
        }
    }

    /// Rewrites the trust store at `file` with `change` applied to its keys.
    func editTrustStore(_ file: String, _ change: (inout [TrustedKey]) throws -> Void) throws {
        let loaded = try TrustStore.load(file: file, demoMode: false)
        var keys = loaded.entries
        try change(&keys)
        try TrustStore(keys: keys, demoMode: false, directory: loaded.directory).save(to: file)
    }

    @Test("first open: every key trusted; reopen: nothing; revoked, changed, added, removed keys: one event each")
    func changesAreLogged() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let config = try inst.realConfiguration()
        let gate = try Gate.open(config)
        let store = gate.trustStore.entries
        let first = try keyEvents(gate)
        #expect(first.map(\.event) == ["trusted", "trusted"])
        #expect(first.map(\.kid) == store.map(\.kid))
        #expect(first.map(\.roles) == store.map { $0.roles.map(\.rawValue).sorted() })
        #expect(first[0].reason?.contains("not-after=") == true)
        #expect(try keyEvents(try Gate.open(config)).count == 2, "an unchanged store logs nothing")

        let (audit, consents) = (store[0], store[1])
        let revokedAt = Date(timeIntervalSince1970: 1_900_000_000)
        let extra = try PrivateKey.generate(.ed25519)
        try extra.publicKey.write(to: URL(fileURLWithPath: config.trustFile).deletingLastPathComponent().appendingPathComponent("extra.pub.pem").path)
        try editTrustStore(config.trustFile) { keys in
            keys[0].notAfter = keys[0].notAfter.addingTimeInterval(86_400)
            keys[1].revokedAt = revokedAt
            keys.append(TrustedKey(kid: extra.publicKey.kid, name: "extra", publicKey: extra.publicKey, publicKeyFile: "extra.pub.pem",
                                   privateKeyFile: nil, roles: [.consentSigner], notBefore: Date(timeIntervalSince1970: 0),
                                   notAfter: Date().addingTimeInterval(86_400), revokedAt: nil, demo: false))
        }
        let second = try keyEvents(try Gate.open(config)).dropFirst(2)
        #expect(second.map(\.event) == ["changed", "revoked", "trusted"])
        #expect(second.map(\.kid) == [audit.kid, consents.kid, extra.publicKey.kid])
        #expect(second.first?.reason?.contains("was: ") == true && second.first?.reason?.contains("now: ") == true)
        #expect(Array(second)[1].reason == "revoked-at=" + RFC3339.format(revokedAt))

        try editTrustStore(config.trustFile) { keys in keys.removeAll { $0.kid == extra.publicKey.kid } }
        let reopened = try Gate.open(config)
        let third = try keyEvents(reopened).dropFirst(5)
        #expect(third.map(\.event) == ["removed"])
        #expect(third.first?.kid == extra.publicKey.kid && third.first?.roles == ["consent-signer"])
        try reopened.verifyAuditLog()
    }
}
