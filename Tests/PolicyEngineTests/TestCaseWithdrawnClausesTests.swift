import Foundation
import Testing
@testable import PolicyEngine

/// A policy test case states withdrawals of single lines (`withdrawn-clauses: {clause: time}`), as a person may withdraw
/// a consent "ganz oder für einzelne Zeilen" (docs/consent.md): before, a case could only state a whole withdrawal
/// (`withdrawn-at`), so the rules for a withdrawn line could not be tested in the bundle. A line the consent does not
/// grant cannot be withdrawn and is an error at its key, in German and English.
@Suite struct TestCaseWithdrawnClausesTests {
    static func cases(withdrawn: String) -> String {
        """
        cases:
          - name: a withdrawn line
            at: 2026-11-25T10:00:00Z
            partner: agency
            purpose: help
            consents:
              - {id: c-1, template: t, version: 2, clauses: [basic, health-plain],
                 granted-at: 2026-01-10T09:00:00Z, expires-at: 2026-12-31T00:00:00Z,
                 withdrawn-clauses: \(withdrawn)}
            expect:
              health.notes: deny

        """
    }

    @Test func theWithdrawnLinesReachTheConsentFact() throws {
        let bundle = try TempBundle()
        defer { bundle.remove() }
        try bundle.write("tests/cases.yaml", Self.cases(withdrawn: "{basic: 2026-06-01T00:00:00Z}"))
        #expect(bundle.problems.isEmpty, "\(bundle.problems)")
        let loaded = try BundleLoader.load(directory: bundle.url)
        let consent = try #require(loaded.tests.first?.consents.first)
        #expect(consent.clauseWithdrawals == ["basic": try #require(ISO8601DateFormatter().date(from: "2026-06-01T00:00:00Z"))])
        #expect(consent.withdrawnAt == nil, "one line of two: the consent itself still holds")
    }

    /// Every granted line withdrawn singly withdraws the consent from the last of them, as the store counts it.
    @Test func allLinesWithdrawnWithdrawTheConsent() throws {
        let bundle = try TempBundle()
        defer { bundle.remove() }
        try bundle.write("tests/cases.yaml", Self.cases(withdrawn: "{basic: 2026-06-01T00:00:00Z, health-plain: 2026-07-01T00:00:00Z}"))
        let consent = try #require(try BundleLoader.load(directory: bundle.url).tests.first?.consents.first)
        #expect(consent.withdrawnAt == ISO8601DateFormatter().date(from: "2026-07-01T00:00:00Z"))
    }

    @Test func aLineNotGrantedIsAnErrorAtItsKey() throws {
        let bundle = try TempBundle()
        defer { bundle.remove() }
        try bundle.write("tests/cases.yaml", Self.cases(withdrawn: "{health-explicit: 2026-06-01T00:00:00Z}"))
        let problems = bundle.problems
        #expect(problems.map(\.code) == ["invalid-value"], "\(problems)")
        #expect(problems.first?.location?.file == "tests/cases.yaml" && problems.first?.location?.line == 9, "\(problems)")
        #expect(problems.first?.message.en.contains("`health-explicit` is not a line of this consent") == true, "\(problems)")
        #expect(problems.first?.message.de.contains("`health-explicit` ist keine Zeile dieser Einwilligung") == true, "\(problems)")
    }
}
