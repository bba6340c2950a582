import Foundation
import Testing
@testable import PolicyEngine

/// A policy test case that expects a denial for a misspelt field (`health.note` for `health.notes`) always passed: the
/// evaluator answers `unknown-field`, a denial, whatever the rules say, so the DPO's test that health data never goes
/// to a partner tested nothing. A field the bundle does not define is now an `unknown-id` error at its key in `expect`,
/// in German and English; only a case that states the reason `unknown-field` may name one (it tests exactly that).
@Suite struct TestCaseUnknownFieldTests {
    @Test(arguments: ["deny", "forbidden", "{outcome: deny}", "{outcome: deny, reason: forbidden, rule: office-no-health}"])
    func aMisspeltFieldInExpectIsAnErrorAtItsKey(_ expectation: String) throws {
        let bundle = try TempBundle()
        defer { bundle.remove() }
        try bundle.write("tests/cases.yaml", """
            cases:
              - name: no health to the office
                at: 2026-11-25T10:00:00Z
                partner: office
                purpose: planning
                expect:
                  name.family: permit
                  health.note: \(expectation)

            """)
        let problems = bundle.problems
        #expect(problems.map(\.code) == ["unknown-id"], "\(problems)")
        #expect(problems.first?.location == .init(file: "tests/cases.yaml", line: 8, column: 7), "\(problems)")
        #expect(problems.first?.message.en == "unknown field `health.note`", "\(problems)")
        #expect(problems.first?.message.de == "Feld `health.note` ist unbekannt", "\(problems)")
    }

    /// A case that means to test the `unknown-field` answer still may, and a defined field stays fine.
    @Test(arguments: ["unknown-field", "{outcome: deny, reason: unknown-field}"])
    func aCaseExpectingUnknownFieldMayNameOne(_ expectation: String) throws {
        let bundle = try TempBundle()
        defer { bundle.remove() }
        try bundle.write("tests/cases.yaml", """
            cases:
              - name: an unknown field is denied
                at: 2026-11-25T10:00:00Z
                partner: office
                purpose: planning
                expect:
                  health.notes: forbidden
                  name.middle: \(expectation)

            """)
        #expect(bundle.problems.isEmpty, "\(bundle.problems)")
        let policy = try CompiledPolicy.load(directory: bundle.url)
        let results = PolicyTestRunner.run(policy)
        #expect(results.count == 1 && results.allSatisfy { $0.passed }, "\(results)")
    }
}
