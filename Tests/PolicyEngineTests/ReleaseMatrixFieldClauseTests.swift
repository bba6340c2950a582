import Foundation
import Testing
@testable import PolicyEngine

/// `policy explain` names per field the clauses that can release it, as the evaluator decides (found in a review of
/// policy authoring: the CSV, one line per field, gave every clause of the rule for every field, so the 2022 form's
/// Jobcenter line seemed to release the work history, and the job centre's health clause to lift the forbid on
/// special educational needs).
@Suite struct ReleaseMatrixFieldClauseTests {
    /// A consent granting only `label`'s clause (`template/clause`, `template vN/clause`, ` (explicit)`), valid at `at`.
    static func consent(_ label: String, in b: PolicyBundle) -> ConsentFact? {
        let plain = label.hasSuffix(ClauseLabels.explicitMark) ? String(label.dropLast(ClauseLabels.explicitMark.count)) : label
        let parts = plain.split(separator: "/", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return nil }
        let head = parts[0].split(separator: " ").map(String.init)
        guard let template = b.templates.first(where: { $0.id == head[0] }) else { return nil }
        let version = head.count == 2 ? Int(head[1].dropFirst()) : template.version
        guard let v = template.allVersions.first(where: { $0.version == version }) else { return nil }
        return ConsentFact(id: "c", templateID: v.id, templateVersion: v.version, clauses: [parts[1]],
                           grantedAt: Fixture.t("2026-01-01T00:00:00Z"), expiresAt: Fixture.t("2026-12-31T00:00:00Z"),
                           withdrawnAt: nil, guardianPresent: true, verification: .verified)
    }

    /// For every consent row of the shipped bundle, every field and every clause of the row: the clause alone releases
    /// the field to some person exactly when `fieldClauses` names it for that field (fields some statute releases
    /// without consent left aside).
    @Test func eachFieldsClausesAreThoseThatReleaseIt() throws {
        let policy = try CompiledPolicy.load(directory: Fixture.shipped)
        let b = policy.bundle, people = ReleaseMatrixEvaluatorTests.people(b), at = ReleaseMatrixEvaluatorTests.at
        var checked = 0
        for row in ReleaseMatrix(policy).rows where row.basis == .consent {
            func released(_ consents: [ConsentFact]) -> Set<String> {
                Set(people.flatMap { person in
                    policy.decide(DecisionRequest(subject: "S-1", attributes: person, partner: row.partner, purpose: row.purpose,
                                                  fields: row.fields, at: at), consents: consents).released
                })
            }
            let withoutConsent = released([])
            for label in row.clauses {
                let consent = try #require(Self.consent(label, in: b), "\(label)")
                let withIt = released([consent])
                for field in row.fields where !withoutConsent.contains(field) {
                    let named = row.fieldClauses[field]?.contains(label) ?? false
                    #expect(named == withIt.contains(field), "\(row.partner)/\(row.purpose) \(row.rule): \(label) for \(field): named \(named)")
                    checked += 1
                }
            }
        }
        #expect(checked > 100, "the shipped bundle's consent rows were checked: \(checked)")
    }

    @Test func theCSVAndTheTableNameAFieldsOwnClauses() throws {
        let policy = try CompiledPolicy.load(directory: Fixture.shipped)
        let matrix = ReleaseMatrix(policy, partner: "jobcenter", purpose: "job-placement")
        let csv = matrix.csv().components(separatedBy: "\r\n")
        #expect(csv.contains { $0.hasPrefix("jobcenter,job-placement,work.history,consent,jobcenter-consent,") && $0.hasSuffix(",kim-beratung/jobcenter") }, "\(csv)")
        #expect(csv.contains { $0.hasPrefix("jobcenter,job-placement,name.family,consent,jobcenter-consent,") && $0.hasSuffix("\"kim-beratung/jobcenter, kim-erklaerung-2022/jobcenter\"") }, "\(csv)")
        // The forbid unless explicit consent: its health clause lifts it for the health notes only, not for the special
        // educational needs it also names (the finding's case).
        #expect(csv.contains { $0.hasPrefix("jobcenter,job-placement,school.special-needs,never-unless-explicit-consent,") && $0.hasSuffix(",") }, "\(csv)")
        #expect(csv.contains { $0.hasPrefix("jobcenter,job-placement,health.notes,never-unless-explicit-consent,") && $0.hasSuffix(",kim-beratung/jobcenter-gesundheit (explicit)") }, "\(csv)")
        let table = matrix.table(in: .de)
        #expect(table.contains("kim-erklaerung-2022/jobcenter (nur für address.city,"), "\(table)")
        #expect(matrix.table(in: .en).contains("kim-erklaerung-2022/jobcenter (only for address.city,"))
    }
}
