import ConsentRecords
import Foundation
import PolicyEngine
import Signing
import Testing
@testable import Gate

/// A signature by a revoked consent-signer key counts only for a consent this installation recorded before the
/// revocation (found in a key review): a consent forged with a stolen key, dated before the revocation and imported
/// after it, was stored and released data; and a running process kept releasing on a key the trust store file had
/// revoked since its start, until a restart, while the command line on the same database withheld. Real keys, a real
/// trust store file, a real database.
@Suite struct RevokedConsentKeyTests {
    /// Sets `revokedAt` on the key `kid` in the trust store file.
    static func revoke(_ kid: String, at revokedAt: Date, in file: String) throws {
        let store = try TrustStore.load(file: file, demoMode: false)
        var edited = TrustStore(keys: [], demoMode: false, directory: store.directory)
        for var key in store.entries {
            if key.kid == kid { key.revokedAt = revokedAt }
            try edited.add(key)
        }
        try edited.save(to: file)
    }

    static func released(_ gate: Gate, _ subject: String) throws -> Bool {
        // A moment the consent (granted at `Fixture.grantedAt`, two years) is in force, whenever the test runs.
        try gate.check(Fixture.jobcenterCheck(subject, fields: ["name.family"], at: Fixture.grantedAt.addingTimeInterval(30 * 86_400)), actor: Fixture.actor)
            .decision.field("name.family")?.outcome == .permit
    }

    @Test func aConsentImportedAfterItsKeyWasRevokedIsRefusedAndOneRecordedBeforeStillCounts() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let made = try inst.realConfiguration(keys: [
            .init(name: "audit", role: .auditLog, notBefore: Date(timeIntervalSince1970: 0), notAfter: Date().addingTimeInterval(86_400 * 365)),
            .init(name: "consents", role: .consentSigner, notBefore: Date(timeIntervalSince1970: 0), notAfter: Date().addingTimeInterval(86_400 * 365))])
        let first = try Gate.open(made.configuration, actor: Fixture.actor)
        _ = try first.grantConsent(Fixture.grant(), actor: Fixture.actor)
        #expect(try Self.released(first, Fixture.subjectID))
        // What a thief holding the key can make: a consent for another person, dated before the revocation.
        let stolen = try first.signingKey(for: .consentSigner, at: Date(), documentTime: Fixture.grantedAt).privateKey
        let forged = try ConsentDeclaration(subject: "RSK-2022-000009", template: .init(id: "kim-beratung", version: first.policy.bundle.template("kim-beratung")!.version),
                                            language: "de", clauses: ["jobcenter"], grantedAt: Fixture.grantedAt,
                                            expiresAt: Fixture.grantedAt.addingTimeInterval(86_400 * 300), collectedBy: Fixture.caseManager,
                                            guardians: []).signed(with: stolen)
        Thread.sleep(forTimeInterval: 0.01)
        try Self.revoke(made.kids["consents"]!, at: Date(), in: made.configuration.trustFile)

        let gate = try Gate.open(made.configuration, actor: Fixture.actor)
        let before = try gate.auditLog.size()
        #expect {
            _ = try gate.importConsentDocument(forged.bytes, birthDate: Fixture.adult().birthDate, actor: Fixture.actor)
        } throws: { error in
            guard case let ConsentError.untrustedKey(kid, reason) = error else { return false }
            return kid == made.kids["consents"] && reason.en.contains("a document this installation had not recorded before the revocation is not trusted")
        }
        #expect(try gate.auditLog.size() == before, "nothing recorded")
        #expect(try gate.consents.list(subject: "RSK-2022-000009").isEmpty)
        // Checking the document on its own says the same.
        let checked = gate.consents.verifier.status(consent: forged.bytes, now: Date())
        #expect(checked.failures.contains { $0.message(in: .en).contains("revoked at") }, "\(checked.failures)")
        // The consent recorded before the revocation still releases.
        #expect(try Self.released(gate, Fixture.subjectID))
    }

    @Test func aRunningProcessStopsCountingAConsentOnceTheFileRevokesItsKeyBeforeItWasRecorded() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let made = try inst.realConfiguration(keys: [
            .init(name: "audit", role: .auditLog, notBefore: Date(timeIntervalSince1970: 0), notAfter: Date().addingTimeInterval(86_400 * 365)),
            .init(name: "consents", role: .consentSigner, notBefore: Date(timeIntervalSince1970: 0), notAfter: Date().addingTimeInterval(86_400 * 365))])
        let gate = try Gate.open(made.configuration, actor: Fixture.actor)
        let (stored, _) = try gate.grantConsent(Fixture.grant(), actor: Fixture.actor)
        #expect(try Self.released(gate, Fixture.subjectID))

        // Revoked after it was recorded: it still counts.
        try Self.revoke(made.kids["consents"]!, at: stored.recordedAt.addingTimeInterval(1), in: made.configuration.trustFile)
        Thread.sleep(forTimeInterval: 1.1)
        #expect(try Self.released(gate, Fixture.subjectID))

        // Revoked (the compromise began) after the signing time but before it was recorded: this process withholds at
        // once, as a new one would, and says why.
        try Self.revoke(made.kids["consents"]!, at: Fixture.grantedAt.addingTimeInterval(60), in: made.configuration.trustFile)
        Thread.sleep(forTimeInterval: 1.1)
        let decision = try gate.check(Fixture.jobcenterCheck(Fixture.subjectID, fields: ["name.family"], at: nil), actor: Fixture.actor).decision
        #expect(decision.field("name.family")?.outcome == .deny && decision.field("name.family")?.reason == .consentInvalid)
        let status = try gate.consents.show(id: stored.id)
        #expect(status.failures.contains { $0.message(in: .en).contains("recorded the document only at") }, "\(status.failures)")
        let fresh = try Gate.open(made.configuration, actor: Fixture.actor)
        #expect(try !Self.released(fresh, Fixture.subjectID), "a new process agrees")

        // Revoked by the file before the signing time: also at once.
        try Self.revoke(made.kids["consents"]!, at: Fixture.grantedAt.addingTimeInterval(-60), in: made.configuration.trustFile)
        Thread.sleep(forTimeInterval: 1.1)
        #expect(try !Self.released(gate, Fixture.subjectID))
    }

    /// A key removed from the file (not revoked) counts no more in a running process either, as in a new one (consent
    /// review, session 40: `serve` released data on a removed key's consents until a restart); the file put back, it
    /// counts again.
    @Test func aRunningProcessStopsCountingAConsentOnceTheFileRemovesItsKey() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let made = try inst.realConfiguration(keys: [
            .init(name: "audit", role: .auditLog, notBefore: Date(timeIntervalSince1970: 0), notAfter: Date().addingTimeInterval(86_400 * 365)),
            .init(name: "consents", role: .consentSigner, notBefore: Date(timeIntervalSince1970: 0), notAfter: Date().addingTimeInterval(86_400 * 365))])
        let gate = try Gate.open(made.configuration, actor: Fixture.actor)
        let (stored, _) = try gate.grantConsent(Fixture.grant(), actor: Fixture.actor)
        #expect(try Self.released(gate, Fixture.subjectID))

        let file = made.configuration.trustFile
        let original = try Data(contentsOf: URL(fileURLWithPath: file))
        let store = try TrustStore.load(file: file, demoMode: false)
        var edited = TrustStore(keys: [], demoMode: false, directory: store.directory)
        for key in store.entries where key.kid != made.kids["consents"]! { try edited.add(key) }
        try edited.save(to: file)
        Thread.sleep(forTimeInterval: 1.1)

        let decision = try gate.check(Fixture.jobcenterCheck(Fixture.subjectID, fields: ["name.family"], at: nil), actor: Fixture.actor).decision
        #expect(decision.field("name.family")?.outcome == .deny && decision.field("name.family")?.reason == .consentInvalid)
        let status = try gate.consents.show(id: stored.id)
        #expect(status.failures.contains { $0.message(in: .en).contains("removed from the trust store file since this service started") },
                "\(status.failures)")
        let fresh = try Gate.open(made.configuration, actor: Fixture.actor)
        #expect(try !Self.released(fresh, Fixture.subjectID), "a new process agrees")

        try original.write(to: URL(fileURLWithPath: file))
        Thread.sleep(forTimeInterval: 1.1)
        #expect(try Self.released(gate, Fixture.subjectID), "the file put back, the key counts again")
    }
}
