import Foundation
import Signing
import Testing
@testable import ConsentRecords

/// RFC 7515 §4.1.9: `typ` is a media type; a recipient MUST treat a value without `/` as if `application/` were
/// prepended, and media type names are case-insensitive (RFC 6838 §4.2). So `application/consentgate-consent+json` is
/// the very type CONTRACTS §5 names, in its long form, as a standard JOSE producer may write it; it was refused as a
/// wrong type (exit 4), and `consent import` could not tell a consent from a withdrawal by it. Other types stay refused.
@Suite struct TypeHeaderEquivalenceTests {
    let signer: TestSigner
    let verifier: ConsentVerifier

    init() throws {
        signer = try TestSigner()
        verifier = makeVerifier([signer])
    }

    @Test(arguments: ["application/consentgate-consent+json", "Application/ConsentGate-Consent+JSON", "consentgate-CONSENT+json"])
    func theLongAndCaseVariantFormsAreTheSameType(typ: String) throws {
        let jws = try JWS.sign(payload: Fixture.declaration().canonicalPayload, type: typ, key: signer.key)
        let bytes = Array(jws.serialized.utf8)
        #expect(verifier.verifyConsent(bytes, now: Fixture.now).failures.isEmpty)
        #expect(try ConsentExport.kind(of: bytes) == .consent)
    }

    @Test func aWithdrawalInTheLongFormIsAWithdrawal() throws {
        let consent = Fixture.declaration()
        let w = ConsentWithdrawal(consentID: consent.id, subject: consent.subject, withdrawnAt: Fixture.now,
                                  recordedBy: consent.collectedBy)
        let jws = try JWS.sign(payload: w.canonicalPayload, type: "application/consentgate-withdrawal+json", key: signer.key)
        let bytes = Array(jws.serialized.utf8)
        #expect(try ConsentExport.kind(of: bytes) == .withdrawal)
        #expect(verifier.verifyWithdrawal(bytes, now: Fixture.now).failures.isEmpty)
    }

    @Test(arguments: ["application/consentgate-withdrawal+json", "text/consentgate-consent+json", "application/json",
                      "consentgate-consent+json ", "application/application/consentgate-consent+json", "consentgate-consent"])
    func otherTypesAreStillRefused(typ: String) throws {
        let jws = try JWS.sign(payload: Fixture.declaration().canonicalPayload, type: typ, key: signer.key)
        #expect(verifier.verifyConsent(Array(jws.serialized.utf8), now: Fixture.now).failures
                == [.wrongType(document: .consent, found: typ)])
    }
}
