import Foundation
import Testing
@testable import PolicyEngine

/// `DecisionRequest.madeAt`: a decision for an earlier moment is made (and its data can go out) only when it is made,
/// so a withdrawal in effect by then revokes its consent or line whatever `at` says; one taking effect later does not,
/// and without `madeAt` the decision time is all that counts (the policy's own test cases, the export).
@Suite struct DecisionMadeAtTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var line: Bool
        var madeAt: String?
        var released: Bool
        var testDescription: String { name }
    }

    static let at = "2026-07-01T10:00:00Z", withdrawnAt = "2026-08-01T00:00:00Z"
    static let cases: [Case] = [
        Case(name: "made after the withdrawal", line: false, madeAt: "2026-09-01T00:00:00Z", released: false),
        Case(name: "made in its second", line: false, madeAt: withdrawnAt, released: false),
        Case(name: "made a second before it", line: false, madeAt: "2026-07-31T23:59:59Z", released: true),
        Case(name: "made at the moment asked", line: false, madeAt: at, released: true),
        Case(name: "no moment of making given", line: false, madeAt: nil, released: true),
        Case(name: "line withdrawn, made after", line: true, madeAt: "2026-09-01T00:00:00Z", released: false),
        Case(name: "line withdrawn, made before", line: true, madeAt: "2026-07-20T00:00:00Z", released: true),
    ]

    @Test(arguments: cases)
    func withdrawalsCountUntilTheDecisionIsMade(_ c: Case) throws {
        let policy = try CompiledPolicy.load(directory: Fixture.shipped)
        var consent = ConsentFact(id: "c-1", templateID: "kim-beratung", templateVersion: 3, clauses: ["jobcenter", "sprachkurs"],
                                  grantedAt: Fixture.t("2026-06-01T09:00:00Z"), expiresAt: Fixture.t("2028-06-01T09:00:00Z"),
                                  withdrawnAt: c.line ? nil : Fixture.t(Self.withdrawnAt))
        if c.line { consent.clauseWithdrawals = ["jobcenter": Fixture.t(Self.withdrawnAt)] }
        let request = DecisionRequest(subject: "RSK-2022-000017", attributes: SubjectAttributes(birthDate: Fixture.d("1990-01-01")),
                                      partner: "jobcenter", purpose: "job-placement", fields: ["name.family"],
                                      at: Fixture.t(Self.at), madeAt: c.madeAt.map(Fixture.t))
        let field = try #require(policy.decide(request, consents: [consent]).fields.first)
        if c.released {
            #expect(field.outcome == .permit && field.consent?.clause == "jobcenter")
        } else {
            #expect(field.outcome == .deny && field.reason == .consentRevoked && field.consent?.id == "c-1", "\(field)")
        }
    }

    /// A check for a moment before the consent was granted finds no consent then (`consent-missing`), made before or after
    /// the withdrawal; a withdrawal made since does not turn that into `consent-revoked` (a review of this change).
    @Test(arguments: [nil, "2026-09-01T00:00:00Z"])
    func beforeTheGrantThereIsNoConsentWhateverCameLater(_ madeAt: String?) throws {
        let policy = try CompiledPolicy.load(directory: Fixture.shipped)
        let consent = ConsentFact(id: "c-1", templateID: "kim-beratung", templateVersion: 3, clauses: ["jobcenter"],
                                  grantedAt: Fixture.t("2026-06-01T09:00:00Z"), expiresAt: Fixture.t("2028-06-01T09:00:00Z"),
                                  withdrawnAt: Fixture.t(Self.withdrawnAt))
        let request = DecisionRequest(subject: "RSK-2022-000017", attributes: SubjectAttributes(birthDate: Fixture.d("1990-01-01")),
                                      partner: "jobcenter", purpose: "job-placement", fields: ["name.family"],
                                      at: Fixture.t("2026-05-01T00:00:00Z"), madeAt: madeAt.map(Fixture.t))
        #expect(policy.decide(request, consents: [consent]).fields.first?.reason == .consentMissing)
    }

    @Test func aMomentOfMakingBeforeTheDecisionTimeDoesNotHideAWithdrawal() throws {
        // A decision for a later moment (a check "for Monday") sees the withdrawals of that moment, made earlier or not.
        let policy = try CompiledPolicy.load(directory: Fixture.shipped)
        let consent = ConsentFact(id: "c-1", templateID: "kim-beratung", templateVersion: 3, clauses: ["jobcenter"],
                                  grantedAt: Fixture.t("2026-06-01T09:00:00Z"), expiresAt: Fixture.t("2028-06-01T09:00:00Z"),
                                  withdrawnAt: Fixture.t(Self.withdrawnAt))
        let request = DecisionRequest(subject: "RSK-2022-000017", attributes: SubjectAttributes(birthDate: Fixture.d("1990-01-01")),
                                      partner: "jobcenter", purpose: "job-placement", fields: ["name.family"],
                                      at: Fixture.t("2026-09-01T00:00:00Z"), madeAt: Fixture.t(Self.at))
        #expect(policy.decide(request, consents: [consent]).fields.first?.reason == .consentRevoked)
    }
}
