import Diagnostics
import Foundation
import PolicyEngine
import Signing
import StrictJSON
import TestFolders
import Testing
@testable import ConsentRecords

/// A withdrawal signed by a consent-signer key that the trust store revokes later (found in a key review): the consent
/// showed `withdrawn-at: null` and a failure that called the withdrawal's key the "signing key" of a consent signed with
/// another. Now the same revocation rule as for consents applies (a withdrawal recorded before the revocation stays
/// valid; one signed, or recorded, at or after it does not), a failing withdrawal is said to be the withdrawal's, in
/// German and English, and the withdrawal stays on record (`withdrawn-at`) while the consent is `invalid` and releases
/// nothing. Real keys, a real SQLite file.
@Suite("A withdrawal whose key is revoked later")
struct WithdrawalKeyRevokedTests {
    static let withdrawnAt = Fixture.date("2026-11-25T11:00:00Z")
    /// When the withdrawal was recorded (`Fixture.now`).
    static let recordedAt = Fixture.now
    /// When the status is asked for: after every revocation below.
    static let asked = Fixture.date("2026-11-25T13:00:00Z")

    enum Revocation: String, CaseIterable, Sendable {
        /// Before `withdrawn-at`: the signature never counted.
        case beforeSigning
        /// After `withdrawn-at` but before the withdrawal was recorded: a back-dated document, as a thief could sign.
        case beforeRecording
        /// After the withdrawal was recorded: it stays valid.
        case afterRecording

        var time: Date {
            switch self {
            case .beforeSigning: Fixture.date("2026-11-25T10:30:00Z")
            case .beforeRecording: Fixture.date("2026-11-25T11:30:00Z")
            case .afterRecording: Fixture.date("2026-11-25T12:30:00Z")
            }
        }
    }

    @Test(arguments: Revocation.allCases)
    func theWithdrawalStaysOnRecordAndItsFailureIsSaidOfIt(revocation: Revocation) throws {
        let consentKey = try TestSigner(), withdrawalKey = try TestSigner()
        let folder = try TestDatabase.folder()
        let path = TestDatabase.path(in: folder)
        let store = try TestDatabase.store(makeVerifier([consentKey, withdrawalKey]), path: path)
        let signed = try Fixture.declaration().signed(with: consentKey.key)
        try store.grant(signed, now: Fixture.now)
        // Recorded while the withdrawal key is in force; recording does not apply the recorded-before rule either, so a
        // withdrawal that fails it is kept (the consent then releases nothing) rather than refused (it would stay active).
        _ = try store.withdraw(consentID: signed.content.idText, at: Self.withdrawnAt, recordedBy: Fixture.collector,
                               key: withdrawalKey.key, now: Self.recordedAt)

        var revoked = withdrawalKey.trusted
        revoked.revokedAt = revocation.time
        let verifier = ConsentVerifier(trustStore: TrustStore(keys: [consentKey.trusted, revoked], demoMode: false),
                                       templates: Fixture.templates)
        let status = try TestDatabase.store(verifier, path: path).show(id: signed.content.idText, now: Self.asked)

        #expect(status.withdrawnAtOnRecord == Self.withdrawnAt)
        guard case .object(let summary) = status.summary(at: Self.asked, language: .en) else { Issue.record("no object"); return }
        #expect(summary["withdrawn-at"] == .string("2026-11-25T11:00:00Z"))
        #expect(summary["kid"] == .string(consentKey.kid))
        if revocation == .afterRecording {
            #expect(status.failures.isEmpty, "\(status.failures)")
            #expect(status.state(at: Self.asked) == .withdrawn)
            return
        }
        #expect(status.state(at: Self.asked) == .invalid)
        guard case .invalid = status.fact.verification else { Issue.record("a failing withdrawal verified"); return }
        try #require(status.failures.count == 1, "\(status.failures)")
        let failure = status.failures[0]
        guard case .withdrawalFails(let at, .untrustedKey(let kid, _)) = failure else { Issue.record("got \(failure)"); return }
        #expect(at == Self.withdrawnAt && kid == withdrawalKey.kid)
        #expect(failure.category.exitCode == 4)
        let en = failure.message(in: .en), de = failure.message(in: .de)
        #expect(en.hasPrefix("the withdrawal of 2026-11-25T11:00:00Z is signed by key \(withdrawalKey.kid), which is not trusted"), "\(en)")
        #expect(de.hasPrefix("Der Widerruf vom 2026-11-25T11:00:00Z ist mit Schlüssel \(withdrawalKey.kid) signiert"), "\(de)")
        #expect(!en.contains("signing key \(withdrawalKey.kid)"), "not called the consent's signing key: \(en)")
        switch revocation {
        case .beforeSigning:
            #expect(en.contains("the key was revoked at 2026-11-25T10:30:00Z"), "\(en)")
        case .beforeRecording:
            #expect(en.contains("revoked at 2026-11-25T11:30:00Z; this installation recorded the document only at 2026-11-25T12:00:00Z"), "\(en)")
        case .afterRecording:
            break
        }
    }

    /// A failure of the withdrawal that already names it (here: dated before the grant) is not said twice.
    @Test func aFailureThatNamesTheWithdrawalIsLeftAsItIs() throws {
        let signer = try TestSigner()
        let consent = try Fixture.declaration().signed(with: signer.key)
        let early = try ConsentWithdrawal(consentID: consent.content.id, subject: consent.content.subject,
                                          withdrawnAt: Fixture.grantedAt.addingTimeInterval(-60), recordedBy: Fixture.collector)
            .signed(with: signer.key)
        let status = makeVerifier([signer]).status(consent: consent.bytes, withdrawal: early.bytes, now: Fixture.now)
        #expect(status.failures == [.withdrawalBeforeGrant(id: consent.content.idText, withdrawnAt: Fixture.grantedAt.addingTimeInterval(-60),
                                                           grantedAt: Fixture.grantedAt)])
        #expect(status.withdrawnAtOnRecord == Fixture.grantedAt.addingTimeInterval(-60))
        #expect(status.state(at: Fixture.now) == .invalid)
    }
}
