import Foundation
import PolicyEngine
import Signing
import Testing
@testable import ConsentRecords

/// Policy semantics review (CONTRACTS §3 rule 4): the guardian rule must count a person's age the same way in the
/// verifier (which stores a consent as verified) and in the evaluator (which decides with it), so that a consent the
/// store accepted without a guardian is not `consent-invalid` at every check, and a minor is never taken for of age.
@Suite("Semantics review: the guardian rule's age")
struct SemanticsReviewConsentTests {
    /// Someone born on 29 February completes a year of life at the end of 28 February in a common year
    /// (§ 187 Abs. 2, § 188 Abs. 2 BGB): the new age counts from 1 March, as `UTCDay.age` (the evaluator) says.
    /// The day counted is the day in Germany (`BerlinDay`): 23:00 UTC in winter is already the next day there.
    @Test(arguments: [
        ("2008-02-29T00:00:00Z", "2026-02-28T10:00:00Z", 17),
        ("2008-02-29T00:00:00Z", "2026-02-28T22:59:59Z", 17),
        ("2008-02-29T00:00:00Z", "2026-02-28T23:00:00Z", 18),
        ("2008-02-29T00:00:00Z", "2026-03-01T00:00:00Z", 18),
        ("2008-02-29T00:00:00Z", "2024-02-28T23:00:00Z", 16),
        ("2008-02-29T00:00:00Z", "2024-02-28T22:59:59Z", 15),
        ("2010-11-25T00:00:00Z", "2026-11-24T23:00:00Z", 16),
        ("2010-11-25T00:00:00Z", "2026-11-24T22:59:59Z", 15),
    ])
    func wholeYearsAgreesWithTheEvaluator(birth: String, at: String, age: Int) {
        let b = Fixture.date(birth), t = Fixture.date(at)
        #expect(TemplateRules.wholeYears(from: b, to: t) == age)
        #expect(UTCDay.age(birthDay: UTCDay.day(of: b), on: BerlinDay.day(of: t)) == age)
    }

    /// A 17-year-old born on 29 February signs alone on 28 February, one day before turning 18, under a template
    /// whose minimum age is 18: the verifier must ask for a guardian, as the evaluator does.
    @Test func aLeapDayMinorNeedsAGuardianOnTheTwentyEighth() throws {
        let signer = try TestSigner()
        var template = Fixture.template
        template.minimumAge = 18
        let verifier = makeVerifier([signer], templates: [template])
        let d = Fixture.declaration(grantedAt: Fixture.date("2026-02-28T10:00:00Z"), expiresAt: Fixture.date("2027-02-28T10:00:00Z"))
        let signed = try d.signed(with: signer.key)
        let result = verifier.verifyConsent(signed.bytes, now: Fixture.date("2026-02-28T12:00:00Z"),
                                            subjectBirthDate: Fixture.date("2008-02-29T00:00:00Z"))
        #expect(result.failures == [.guardianMissing(subject: "RSK-2022-000017", age: 17, minimumAge: 18)])
    }
}
