import ConsentRecords
import Foundation
import Signing
import Testing
@testable import Gate

/// Consents and withdrawals recorded after the county rotated or revoked its `consent-signer` key, with a
/// signing time (`--granted-at`, `--at`) in the past, as a case manager enters a paper declaration or a
/// withdrawal letter that arrived late. The key that signs must be usable now (never a revoked or expired
/// key) and valid at the document's time (or the document could never verify).
@Suite struct GateKeyRotationReviewTests {
    /// A non-demo installation with an audit-log key and two consent-signer keys, `old` and `new`, whose
    /// windows and revocation the test chooses.
    struct Rotated {
        let inst: GateTestInstallation
        let configuration: GateConfiguration
        let oldKid: String
        let newKid: String

        init(old: (notBefore: Date, notAfter: Date, revokedAt: Date?), new: (notBefore: Date, notAfter: Date)) throws {
            inst = try GateTestInstallation()
            let made = try inst.realConfiguration(keys: [
                .init(name: "audit", role: .auditLog, notBefore: Date(timeIntervalSince1970: 0), notAfter: Date().addingTimeInterval(86_400 * 365)),
                .init(name: "consents-2024", role: .consentSigner, notBefore: old.notBefore, notAfter: old.notAfter, revokedAt: old.revokedAt),
                .init(name: "consents-2026", role: .consentSigner, notBefore: new.notBefore, notAfter: new.notAfter),
            ])
            configuration = made.configuration
            oldKid = made.kids["consents-2024"]!
            newKid = made.kids["consents-2026"]!
        }
    }

    static let now = Date()
    static func daysAgo(_ n: Double) -> Date { Date(timeIntervalSince1970: (now.timeIntervalSince1970 - n * 86_400).rounded(.down)) }

    /// The old key was revoked yesterday (compromised); the new one has been in force since an hour ago. A paper
    /// consent signed three days ago cannot be signed by any key that is usable now and valid then: the grant is
    /// refused, and above all the revoked key never signs anything again.
    @Test func aRevokedKeyNeverSignsABackdatedConsent() throws {
        let r = try Rotated(old: (Self.daysAgo(400), Self.daysAgo(-300), Self.daysAgo(1)),
                            new: (Self.now.addingTimeInterval(-3600), Self.daysAgo(-700)))
        defer { r.inst.remove() }
        let gate = try Gate.open(r.configuration, actor: Fixture.actor)
        #expect {
            _ = try gate.grantConsent(Fixture.grant(grantedAt: Self.daysAgo(3)), actor: Fixture.actor, now: Self.now)
        } throws: { error in
            // Each candidate with the time it failed at, in both languages.
            guard let e = error as? SigningError, case .noUsableKey = e else { return false }
            let (en, de) = (e.message(in: .en), e.message(in: .de))
            return en.contains("\(r.oldKid) (consents-2024): the key was revoked at")
                && en.contains("\(r.newKid) (consents-2026): not valid for a document dated \(RFC3339.format(Self.daysAgo(3)))")
                && de.contains("\(r.oldKid) (consents-2024): der Schlüssel wurde am")
                && de.contains("\(r.newKid) (consents-2026): nicht gültig für ein Dokument vom \(RFC3339.format(Self.daysAgo(3)))")
        }
        #expect(try gate.consents.list(subject: Fixture.subjectID, now: Self.now).isEmpty)
    }

    /// The old key's window ended yesterday (retired); it must not sign a consent dated before that either.
    @Test func anExpiredKeyNeverSignsABackdatedConsent() throws {
        let r = try Rotated(old: (Self.daysAgo(400), Self.daysAgo(1), nil),
                            new: (Self.now.addingTimeInterval(-3600), Self.daysAgo(-700)))
        defer { r.inst.remove() }
        let gate = try Gate.open(r.configuration, actor: Fixture.actor)
        #expect(throws: SigningError.self) {
            _ = try gate.grantConsent(Fixture.grant(grantedAt: Self.daysAgo(3)), actor: Fixture.actor, now: Self.now)
        }
        #expect(try gate.consents.list(subject: Fixture.subjectID, now: Self.now).isEmpty)
    }

    /// Overlapping keys (the usual rotation: the new key starts now, the old one stays valid for a while): a
    /// consent dated before the new key's start is signed by the old key and verifies; one dated today by the new key.
    @Test func aBackdatedConsentIsSignedByTheKeyValidThenAndNow() throws {
        let r = try Rotated(old: (Self.daysAgo(400), Self.daysAgo(-30), nil),
                            new: (Self.now.addingTimeInterval(-3600), Self.daysAgo(-700)))
        defer { r.inst.remove() }
        let gate = try Gate.open(r.configuration, actor: Fixture.actor)
        let (backdated, _) = try gate.grantConsent(Fixture.grant(grantedAt: Self.daysAgo(3)), actor: Fixture.actor, now: Self.now)
        #expect(backdated.kid == r.oldKid)
        let (today, _) = try gate.grantConsent(Fixture.grant(grantedAt: Self.now.addingTimeInterval(-60)), actor: Fixture.actor,
                                               now: Self.now)
        #expect(today.kid == r.newKid)
        for status in try gate.consents.list(subject: Fixture.subjectID, now: Self.now) {
            #expect(status.failures.isEmpty, "\(status.failures)")
        }
    }

    /// A withdrawal letter dated before the new key's start (GDPR Art. 7(3)): the withdrawal is recorded as of
    /// that date, signed by the old key that was valid then and is still valid now, and it verifies.
    @Test(arguments: [1.0, 3.0])
    func aBackdatedWithdrawalAfterRotationIsRecorded(daysBeforeRotation: Double) throws {
        let rotation = Self.now.addingTimeInterval(-3600)
        let r = try Rotated(old: (Self.daysAgo(400), Self.daysAgo(-30), nil), new: (rotation, Self.daysAgo(-700)))
        defer { r.inst.remove() }
        let gate = try Gate.open(r.configuration, actor: Fixture.actor)
        let (stored, _) = try gate.grantConsent(Fixture.grant(grantedAt: Self.daysAgo(10)), actor: Fixture.actor, now: Self.now)
        let at = rotation.addingTimeInterval(-daysBeforeRotation * 86_400).rounded()
        let (outcome, index) = try gate.withdrawConsent(id: stored.id, at: at, recordedBy: Fixture.caseManager,
                                                        actor: Fixture.actor, now: Self.now)
        guard case let .recorded(w) = outcome else { Issue.record("not recorded: \(outcome)"); return }
        #expect(w.withdrawnAt == at && w.kid == r.oldKid && index != nil)
        let status = try gate.consents.show(id: stored.id, now: Self.now)
        #expect(status.failures.isEmpty, "\(status.failures)")
        #expect(status.state(at: Self.now) == .withdrawn)
    }
}

private extension Date {
    /// Whole seconds (payload times are whole seconds).
    func rounded() -> Date { Date(timeIntervalSince1970: timeIntervalSince1970.rounded(.down)) }
}
