import AuditLog
import Foundation
import Signing
import Testing
@testable import Gate

/// A key that the trust store file revokes (or removes) while an installation stays open — a long-running `serve` —
/// signs no more from the next look at the file (at most a second later): checkpoints (503 in the web service), consents
/// and withdrawals, export manifests. A revocation dated in the future, or a change to another key, stops nothing; the
/// file put back lets the key sign again. Real keys, a real trust store file.
@Suite struct TrustStoreFileRevocationTests {
    static let always = (Date(timeIntervalSince1970: 0), Date().addingTimeInterval(86_400 * 365))
    static let roles: [(String, KeyRole)] = [("audit", .auditLog), ("consents", .consentSigner), ("export", .exportSigner)]

    /// An open installation with one key per role, and the kids by role.
    static func open(_ inst: GateTestInstallation) throws -> (Gate, GateConfiguration, [KeyRole: String]) {
        let made = try inst.realConfiguration(keys: roles.map { .init(name: $0.0, role: $0.1, notBefore: always.0, notAfter: always.1) })
        var kids: [KeyRole: String] = [:]
        for (name, role) in roles { kids[role] = made.kids[name] }
        return (try Gate.open(made.configuration, actor: Actor(id: "test-system")), made.configuration, kids)
    }

    /// Rewrites the trust store file with `kid` revoked at `time` (nil: removed).
    static func revoke(_ kid: String, at time: Date?, in file: String) throws {
        let store = try TrustStore.load(file: file, demoMode: false)
        var edited = TrustStore(keys: [], demoMode: false, directory: store.directory)
        for var key in store.entries {
            if key.kid == kid {
                guard let time else { continue }
                key.revokedAt = time
            }
            try edited.add(key)
        }
        try edited.save(to: file)
    }

    /// Signs something with the key of `role` the way the installation does.
    static func sign(_ role: KeyRole, with gate: Gate) throws {
        switch role {
        case .auditLog:
            try gate.record(.policyLoaded(PolicyLoadedRecord(bundleID: "test", version: "1", digest: "sha256:" + String(repeating: "0", count: 64),
                                                             previousDigest: nil)), actor: Actor(id: "test"))
        case .consentSigner: _ = try gate.signingKey(for: .consentSigner, at: Date(), documentTime: Date().addingTimeInterval(-60)).sign(Array("x".utf8))
        default: _ = try gate.currentSigningKey(for: role).sign(Array("x".utf8))
        }
    }

    /// The English message of a refusal to sign, or nil when `body` did not throw.
    static func refusal(_ body: () throws -> Void) -> String? {
        do { try body(); return nil } catch {
            if let unavailable = error as? AuditSigningUnavailable { return unavailable.message(in: .en) }
            return (error as? SigningError)?.message(in: .en) ?? "\(error)"
        }
    }

    /// The look at the file is at most a second old on the signing path.
    static func pastTheLookInterval() { Thread.sleep(forTimeInterval: 1.1) }

    @Test(arguments: [KeyRole.auditLog, .consentSigner, .exportSigner], [true, false])
    func aKeyRevokedOrRemovedInTheFileSignsNoMore(role: KeyRole, removed: Bool) throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let (gate, config, kids) = try Self.open(inst)
        let kid = try #require(kids[role])
        try Self.sign(role, with: gate)
        let original = try Data(contentsOf: URL(fileURLWithPath: config.trustFile))

        try Self.revoke(kid, at: removed ? nil : Date().addingTimeInterval(-1), in: config.trustFile)
        Self.pastTheLookInterval()
        let message = try #require(Self.refusal { try Self.sign(role, with: gate) }, "\(role) still signs after the file \(removed ? "removed" : "revoked") its key")
        #expect(message.contains(kid) && message.contains("trust store file \(config.trustFile)") && message.contains("restart"), "\(message)")
        if role == .auditLog {
            #expect(throws: AuditSigningUnavailable.self, "the web service answers 503") { try Self.sign(role, with: gate) }
        } else if role == .consentSigner {
            // No other consent signer: the web service answers 503 `signing-key-unavailable` (SigningKeyUnavailableTests).
            #expect(throws: SigningKeyUnavailable.self, "the web service answers 503") { try Self.sign(role, with: gate) }
        } else {
            #expect(throws: SigningError.self) { try Self.sign(role, with: gate) }
        }

        try original.write(to: URL(fileURLWithPath: config.trustFile))
        Self.pastTheLookInterval()
        try Self.sign(role, with: gate)
    }

    /// With a second key of the role in the store in force, the file's revocation of the key in use hands signing to
    /// it at once (before, a running service refused to sign until a restart, although the successor was there: found
    /// while reviewing the key handling); with the second key revoked as well, nothing signs.
    @Test(arguments: [KeyRole.auditLog, .consentSigner, .exportSigner])
    func theNextKeyOfTheRoleSignsWhenTheFileRevokesTheOneInUse(role: KeyRole) throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let (older, newer) = (Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: 86_400))
        var specs = Self.roles.filter { $0.1 != role }.map { GateTestInstallation.KeySpec(name: $0.0, role: $0.1, notBefore: Self.always.0, notAfter: Self.always.1) }
        specs += [.init(name: "first", role: role, notBefore: older, notAfter: Self.always.1),
                  .init(name: "second", role: role, notBefore: newer, notAfter: Self.always.1)]
        let made = try inst.realConfiguration(keys: specs)
        let gate = try Gate.open(made.configuration, actor: Actor(id: "test-system"))
        let first = try #require(made.kids["first"]), second = try #require(made.kids["second"])
        func signer() throws -> String {
            switch role {
            case .auditLog: return try gate.auditSigner().key.publicKey.kid
            case .consentSigner: return try gate.signingKey(for: role, at: Date(), documentTime: Date().addingTimeInterval(-60)).kid
            default: return try gate.currentSigningKey(for: role).kid
            }
        }
        #expect(try signer() == second, "the later not-before signs")
        try Self.revoke(second, at: Date().addingTimeInterval(-1), in: made.configuration.trustFile)
        Self.pastTheLookInterval()
        #expect(try signer() == first, "the file revoked the key in use: the other key of the role signs")
        try Self.sign(role, with: gate)
        #expect(gate.signingKeyProblem(for: role) == nil)
        try Self.revoke(first, at: Date().addingTimeInterval(-1), in: made.configuration.trustFile)
        Self.pastTheLookInterval()
        let message = try #require(Self.refusal { try Self.sign(role, with: gate) }, "a key still signs after the file revoked both")
        #expect(message.contains(first) && message.contains(second) && message.contains("restart"), "\(message)")
    }

    @Test func aFutureRevocationOrAnotherKeysChangeStopsNothing() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let (gate, config, kids) = try Self.open(inst)
        try Self.revoke(try #require(kids[.auditLog]), at: Date().addingTimeInterval(86_400), in: config.trustFile)
        try Self.revoke(try #require(kids[.exportSigner]), at: nil, in: config.trustFile)
        Self.pastTheLookInterval()
        guard case let .changed(events) = gate.trustStoreFileState() else { Issue.record("the file changed"); return }
        #expect(events.count == 2, "\(events)")
        try Self.sign(.auditLog, with: gate)
        try Self.sign(.consentSigner, with: gate)
        #expect(throws: SigningError.self) { try Self.sign(.exportSigner, with: gate) }
    }
}
