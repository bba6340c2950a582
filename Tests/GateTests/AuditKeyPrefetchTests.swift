import AuditLog
import Foundation
import PolicyEngine
import Signing
import Testing
@testable import Gate

/// `Gate.open(_:actor:prefetchingAuditKey:)`: a caller that will append has the audit-log key decrypted while
/// the policy compiles and the database opens. The key really is read then, and everything a user sees is as
/// without prefetching: the same errors, in the same order, at the same step.
@Suite struct AuditKeyPrefetchTests {
    /// A real installation (encrypted keys, passphrase file) whose database exists and has the policy recorded.
    private static func installation() throws -> (GateTestInstallation, GateConfiguration) {
        let inst = try GateTestInstallation()
        let config = try inst.realConfiguration()
        _ = try Gate.open(config)
        return (inst, config)
    }

    /// The audit-log key file of `config`'s trust store.
    private static func auditKeyFile(_ config: GateConfiguration) -> String {
        (config.trustFile as NSString).deletingLastPathComponent + "/audit.key.pem"
    }

    private static func decision() -> AuditContent {
        .policyLoaded(PolicyLoadedRecord(bundleID: "test", version: "1", digest: "sha256:" + String(repeating: "0", count: 64),
                                         previousDigest: nil))
    }

    @Test("the prefetched key is decrypted while opening: a key file damaged afterwards does not stop the first append")
    func keyIsReadWhileOpening() throws {
        let (inst, config) = try Self.installation()
        defer { inst.remove() }
        let gate = try Gate.open(config, prefetchingAuditKey: true)
        let prefetched = try #require(gate.signerInFlight, "opening with prefetchingAuditKey starts the decryption")
        let signer = try prefetched.value()
        try Data("not a key\n".utf8).write(to: URL(fileURLWithPath: Self.auditKeyFile(config)))

        let index = try gate.record(Self.decision(), actor: Actor(id: "test"))
        #expect(try gate.auditSigner().verifier == signer.verifier, "the first append signs with the key decrypted while opening")
        let note = try #require(try gate.auditLog.latestCheckpoint())
        let checkpoint = try Checkpoint.verified(note: note, key: signer.verifier, source: "test")
        #expect(checkpoint.size == index + 1, "the checkpoint after the append verifies under the prefetched key")

        // Without prefetching, the same damaged file is read at the first append, and that append fails.
        let later = try Gate.open(config)
        #expect(later.signerInFlight == nil)
        #expect(throws: AuditSigningUnavailable.self) { try later.record(Self.decision(), actor: Actor(id: "test")) }
    }

    @Test("a wrong passphrase fails the first append with the same error as without prefetching, not the opening",
          arguments: [false, true])
    func wrongPassphraseFailsAtFirstAppend(prefetching: Bool) throws {
        let (inst, config) = try Self.installation()
        defer { inst.remove() }
        let passphraseFile = try #require(config.passphraseFile)
        try Data("another passphrase\n".utf8).write(to: URL(fileURLWithPath: passphraseFile))

        let gate = try Gate.open(config, prefetchingAuditKey: prefetching)
        let error = #expect(throws: AuditSigningUnavailable.self) { try gate.record(Self.decision(), actor: Actor(id: "test")) }
        #expect((error?.reason as? SigningError)?.keyFileError == .wrongPassphrase(source: Self.auditKeyFile(config)))
        #expect(error?.category == .invalidInput, "the wrong passphrase's category (exit 3) is kept")
        #expect(try gate.auditLog.size() == 1 + Int64(gate.trustStore.entries.count), "nothing was appended")
    }

    @Test("on a new database the policy-loaded entry waits for the prefetched key and is signed with it")
    func newDatabaseSignsPolicyLoaded() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let config = try inst.realConfiguration()
        let gate = try Gate.open(config, prefetchingAuditKey: true)
        let signer = try #require(gate.signerInFlight).value()
        let note = try #require(try gate.auditLog.latestCheckpoint())
        let checkpoint = try Checkpoint.verified(note: note, key: signer.verifier, source: "test")
        #expect(checkpoint.size == 1 + Int64(gate.trustStore.entries.count))
    }

    @Test("a policy error is still reported before a trust store error", arguments: [false, true])
    func policyErrorFirst(prefetching: Bool) throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        var config = inst.configuration(policy: inst.dir.appendingPathComponent("no-such-bundle").path)
        config.trustFile = inst.dir.appendingPathComponent("no-such-trust.yaml").path
        #expect(throws: PolicyError.self) { try Gate.open(config, prefetchingAuditKey: prefetching) }
        #expect(!FileManager.default.fileExists(atPath: inst.databasePath), "nothing was created")
        // With the policy in order, the trust store's error is the one reported.
        config.policyDirectory = GateTestInstallation.shippedPolicy
        #expect(throws: SigningError.self) { try Gate.open(config, prefetchingAuditKey: prefetching) }
    }

    @Test("a key that could not be opened is tried again after the retry interval, as without prefetching (a long-running serve recovers once the passphrase is fixed)",
          arguments: [false, true])
    func failedKeyIsTriedAgain(prefetching: Bool) throws {
        let (inst, config) = try Self.installation()
        defer { inst.remove() }
        let passphraseFile = try #require(config.passphraseFile)
        let right = try Data(contentsOf: URL(fileURLWithPath: passphraseFile))
        try Data("another passphrase\n".utf8).write(to: URL(fileURLWithPath: passphraseFile))

        let gate = try Gate.open(config, prefetchingAuditKey: prefetching)
        #expect(throws: AuditSigningUnavailable.self) { try gate.record(Self.decision(), actor: Actor(id: "test")) }
        try right.write(to: URL(fileURLWithPath: passphraseFile))
        // Within `Gate.auditSignerRetryInterval` of the failure the key is not decrypted again (each try costs its PBKDF2
        // rounds under the signer's lock); after it, the fixed passphrase is read and the key opens.
        #expect(throws: AuditSigningUnavailable.self) { try gate.record(Self.decision(), actor: Actor(id: "test")) }
        _ = try gate.auditSigner(at: Date().addingTimeInterval(Gate.auditSignerRetryInterval))
        let index = try gate.record(Self.decision(), actor: Actor(id: "test"))
        #expect(index == 1 + Int64(gate.trustStore.entries.count), "the append after the passphrase was fixed went through")
    }
}
