import Foundation
import Testing
@testable import PolicyEngine

/// A consent in a policy test case that grants a clause its template version does not hold (`health-explict` for
/// `health-explicit`) loaded, and the evaluator ignored the clause: a case expecting a denial passed and tested nothing.
/// No such consent exists outside a test (the verifier refuses a consent naming a clause its template version lacks).
/// It is now an `unknown-id` error at the clause, in German and English. A consent on a version the bundle does not hold
/// stays allowed: it tests `consent-invalid`.
@Suite struct TestCaseUnknownClauseTests {
    static func cases(clauses: String, version: Int = 2) -> String {
        """
        cases:
          - name: plain health consent does not release
            at: 2026-11-25T10:00:00Z
            partner: agency
            purpose: help
            consents:
              - {id: c-1, template: t, version: \(version), clauses: \(clauses),
                 granted-at: 2026-01-10T09:00:00Z, expires-at: 2026-12-31T00:00:00Z}
            expect:
              health.notes: deny

        """
    }

    @Test func aClauseTheTemplateVersionDoesNotHoldIsAnErrorAtTheClause() throws {
        let bundle = try TempBundle()
        defer { bundle.remove() }
        try bundle.write("tests/cases.yaml", Self.cases(clauses: "[basic, health-explict]"))
        let problems = bundle.problems
        #expect(problems.map(\.code) == ["unknown-id"], "\(problems)")
        #expect(problems.first?.location == .init(file: "tests/cases.yaml", line: 7, column: 61), "\(problems)")
        #expect(problems.first?.message.en == "unknown clause `health-explict`", "\(problems)")
        #expect(problems.first?.message.de == "Klausel `health-explict` ist unbekannt", "\(problems)")
    }

    @Test func knownClausesAndAVersionNotHeldStayFine() throws {
        for text in [Self.cases(clauses: "[basic, health-plain]"), Self.cases(clauses: "[anything]", version: 1)] {
            let bundle = try TempBundle()
            defer { bundle.remove() }
            try bundle.write("tests/cases.yaml", text)
            #expect(bundle.problems.isEmpty, "\(bundle.problems)")
        }
    }
}
