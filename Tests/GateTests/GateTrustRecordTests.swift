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
        #expect(first.map(\.reason) == store.map { Gate.trustState($0) }, "each event carries the key's state after it")
        #expect(first[0].reason?.hasPrefix("roles=audit-log not-before=1970-01-01T00:00:00Z not-after=") == true)
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
        #expect(Array(second)[1].reason?.hasSuffix("revoked-at=" + RFC3339.format(revokedAt)) == true)
        // Saved and loaded again, times with a fraction may come back a millisecond off: that is no change.
        try editTrustStore(config.trustFile) { _ in }
        try editTrustStore(config.trustFile) { _ in }
        #expect(try keyEvents(try Gate.open(config)).count == 5, "re-saving the store logs nothing")
        #expect(try StoreChecks.problem(in: gate.database.writer) == nil, "the record is the log's replay")

        try editTrustStore(config.trustFile) { keys in keys.removeAll { $0.kid == extra.publicKey.kid } }
        let reopened = try Gate.open(config)
        let third = try keyEvents(reopened).dropFirst(5)
        #expect(third.map(\.event) == ["removed"])
        #expect(third.first?.kid == extra.publicKey.kid && third.first?.roles == ["consent-signer"])
        try reopened.verifyAuditLog()
        #expect(try StoreChecks.problem(in: reopened.database.writer) == nil)
    }

    @Test("a key added to the trust store and to its record at once is never logged: verify finds the record")
    func recordEditedAlongWithTheStore() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let config = try inst.realConfiguration()
        _ = try Gate.open(config)
        let extra = try PrivateKey.generate(.ed25519)
        try extra.publicKey.write(to: URL(fileURLWithPath: config.trustFile).deletingLastPathComponent().appendingPathComponent("extra.pub.pem").path)
        var added: TrustedKey? = nil
        try editTrustStore(config.trustFile) { keys in
            let key = TrustedKey(kid: extra.publicKey.kid, name: "extra", publicKey: extra.publicKey, publicKeyFile: "extra.pub.pem",
                                 privateKeyFile: nil, roles: [.consentSigner], notBefore: Date(timeIntervalSince1970: 0),
                                 notAfter: Date(timeIntervalSince1970: 2_000_000_000), revokedAt: nil, demo: false)
            keys.append(key)
            added = key
        }
        let state = Gate.trustState(try #require(added))
        try inst.sqlite("INSERT INTO trust_recorded (kid, roles, state) VALUES ('\(extra.publicKey.kid)', 'consent-signer', '\(state)')")
        let gate = try Gate.open(config)
        let events = try keyEvents(gate)
        #expect(events.count == 2, "the open saw no change to log: \(events)")
        #expect(gate.trustStore.entries.contains { $0.kid == extra.publicKey.kid }, "and the key is trusted")
        let finding = try StoreChecks.problem(in: gate.database.writer)
        #expect(finding as? TrustRecordFinding == .recordChanged(kid: extra.publicKey.kid, logged: nil, recorded: state))
        #expect(finding?.category.exitCode == 4)
        #expect(finding?.message(in: .de).contains("ist als „\(state)“ vermerkt, laut den key-event-Einträgen des Protokolls aber nicht im Trust-Store") == true,
                "\(finding?.message(in: .de) ?? "")")
        #expect(finding?.message(in: .en).contains("is recorded as \"\(state)\", but the log's key-event entries leave it not in the trust store") == true)
    }

    @Test("the recorded roles column edited apart from the logged state: found, so a later removal cannot log other roles")
    func rolesColumnEdited() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try Gate.open(try inst.realConfiguration())
        #expect(try StoreChecks.problem(in: gate.database.writer) == nil)
        let key = try #require(gate.trustStore.entries.first { $0.roles.contains(.consentSigner) })
        try inst.sqlite("UPDATE trust_recorded SET roles = 'audit-log' WHERE kid = '\(key.kid)'")
        let finding = try StoreChecks.problem(in: gate.database.writer)
        #expect(finding as? TrustRecordFinding == .rolesChanged(kid: key.kid, roles: "audit-log", state: Gate.trustState(key)))
        #expect(finding?.category.exitCode == 4)
        #expect(finding?.message(in: .de).contains("sind die Rollen als „audit-log“ vermerkt") == true)
    }
}
