import AuditLog
import Diagnostics
import Foundation
import Signing
import Testing
@testable import Gate

/// An append extends only the tree the newest checkpoint signed (`AppendBase`), under the signing key or an audit-log
/// key of the trust store. A review of that change found two ways it stopped a real installation for good: the old key
/// revoked (the documented compromise procedure) before the new one had signed anything, and a new key a command began
/// to sign with while `serve` (started with the old store) kept running. Both append again; a checkpoint by a key the
/// trust store does not hold is still refused, with a message that says what to do. Real keys and files.
@Suite struct AuditKeyRotationAppendTests {
    static let always = (Date(timeIntervalSince1970: 0), Date().addingTimeInterval(86_400 * 365))

    /// An installation with audit keys `old` and `new` (both in force, `new` chosen: later not-before) and a consent key;
    /// the trust file first holds only `old` (the store before the rotation). Returns the gate opened then.
    static func installation(_ inst: GateTestInstallation) throws -> (GateConfiguration, [String: String], full: Data) {
        let made = try inst.realConfiguration(keys: [
            .init(name: "old", role: .auditLog, notBefore: always.0, notAfter: always.1),
            .init(name: "new", role: .auditLog, notBefore: always.0.addingTimeInterval(60), notAfter: always.1),
            .init(name: "consents", role: .consentSigner, notBefore: always.0, notAfter: always.1)])
        let full = try Data(contentsOf: URL(fileURLWithPath: made.configuration.trustFile))
        try edit(made.configuration.trustFile) { $0.kid != made.kids["new"] }
        return (made.configuration, made.kids, full)
    }

    /// Rewrites the trust file keeping the entries `keep` admits, `change` applied to each.
    static func edit(_ file: String, keep: (TrustedKey) -> Bool = { _ in true }, change: (inout TrustedKey) -> Void = { _ in }) throws {
        let store = try TrustStore.load(file: file, demoMode: false)
        var edited = TrustStore(keys: [], demoMode: false, directory: store.directory)
        for var key in store.entries where keep(key) { change(&key); try edited.add(key) }
        try edited.save(to: file)
    }

    static func record(_ gate: Gate) throws {
        try gate.record(.policyLoaded(PolicyLoadedRecord(bundleID: "test", version: "1", digest: "sha256:" + String(repeating: "0", count: 64),
                                                         previousDigest: nil)), actor: Actor(id: "test"))
    }

    @Test func aRotationFollowedByTheOldKeysRevocationAppends() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let (config, kids, full) = try Self.installation(inst)
        try Self.record(try Gate.open(config, actor: Actor(id: "test")))   // the old key signs the newest checkpoint
        // The rotation and, before the new key signed anything, the old key's revocation (it may be compromised).
        try full.write(to: URL(fileURLWithPath: config.trustFile))
        try Self.edit(config.trustFile, change: { key in if key.kid == kids["old"] { key.revokedAt = Date().addingTimeInterval(-1) } })
        let gate = try Gate.open(config, actor: Actor(id: "test"))
        try Self.record(gate)
        #expect(try gate.auditSigner().verifier.keyID == NoteVerifierKey(name: config.auditOrigin, publicKey: gate.trustStore.entries.first { $0.kid == kids["new"] }!.publicKey).keyID)
    }

    @Test func aRunningServiceContinuesWhatANewKeySignedMeanwhile() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let (config, _, full) = try Self.installation(inst)
        let service = try Gate.open(config, actor: Actor(id: "service"))   // started with the old store
        try Self.record(service)
        // `keys generate` adds the new key; a command signs with it.
        try full.write(to: URL(fileURLWithPath: config.trustFile))
        try Self.record(try Gate.open(config, actor: Actor(id: "command")))
        Thread.sleep(forTimeInterval: 1.1)   // the service looks at the file at most once a second
        try Self.record(service)
        // The log verifies under the store as the file holds it now (a restart's).
        let restarted = try Gate.open(config, actor: Actor(id: "restart"))
        #expect(try restarted.auditLog.verify(keys: restarted.auditVerifierKeys()).checkpoints >= 4)
    }

    @Test func aCheckpointByAKeyTheTrustStoreNoLongerHoldsIsRefusedWithWhatToDo() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let (config, kids, full) = try Self.installation(inst)
        try Self.record(try Gate.open(config, actor: Actor(id: "test")))
        // Rotated, and the old entry deleted (docs/keys.md: keep it) before the new key signed anything.
        try full.write(to: URL(fileURLWithPath: config.trustFile))
        try Self.edit(config.trustFile) { $0.kid != kids["old"] }
        let error = #expect(throws: (any Error).self) { try Self.record(try Gate.open(config, actor: Actor(id: "test"))) }
        let message = (error as? any UserFacingError)?.message(in: .en) ?? "\(String(describing: error))"
        #expect(message.contains("verifies neither under the signing key nor under an audit-log key of the trust store")
                && message.contains("put its entry back"), "\(message)")
    }
}
