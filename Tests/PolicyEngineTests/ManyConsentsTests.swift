import Foundation
import Testing
@testable import PolicyEngine

/// A person with more consents than a field outcome can name (its consent index is an Int16) is decided without
/// trapping; the consents past the limit are not considered, so no permit rests on them.
@Suite struct ManyConsentsTests {
    @Test func pastTheLimitNothingTrapsAndNothingIsPermitted() throws {
        let policy = try CompiledPolicy.load(directory: Fixture.shipped)
        let at = Fixture.t("2026-11-25T10:00:00Z")
        func consent(_ n: Int, withdrawn: Bool) -> ConsentFact {
            ConsentFact(id: "c-\(n)", templateID: "kim-beratung", templateVersion: 3, clauses: ["jobcenter"],
                        grantedAt: at.addingTimeInterval(-86_400 * 100), expiresAt: at.addingTimeInterval(86_400 * 300),
                        withdrawnAt: withdrawn ? at.addingTimeInterval(-86_400) : nil)
        }
        let request = DecisionRequest(subject: "RSK-2022-000017", attributes: SubjectAttributes(birthDate: Fixture.d("1990-01-01")),
                                      partner: "jobcenter", purpose: "job-placement", fields: ["name.family"], at: at)
        // Within the limit the valid consent permits, and is named.
        let few = policy.decide(request, consents: (0..<10).map { consent($0, withdrawn: true) } + [consent(10, withdrawn: false)])
        #expect(few.fields[0].outcome == .permit && few.fields[0].consent?.id == "c-10")
        // Past it: decided (no trap), the revoked ones considered, the valid one beyond the limit not.
        let limit = CompiledPolicy.maxConsentsPerDecision
        let many = (0..<limit).map { consent($0, withdrawn: true) } + [consent(limit, withdrawn: false)]
        let decided = policy.decide(request, consents: many)
        #expect(decided.fields[0].outcome == .deny)
        #expect(decided.fields[0].reason == .consentRevoked)
        #expect(decided.fields[0].consent?.id == "c-0")
    }
}
