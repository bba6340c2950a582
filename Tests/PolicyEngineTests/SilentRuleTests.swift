import Foundation
import Testing
@testable import PolicyEngine

/// Bundle text that used to load without a word but meant something a DPO would not predict: conditions that can
/// never hold or always hold, rules for no partner, template limits the evaluator cannot honour, durations that
/// overflowed or were misread. Each is now an error at the offending token.
@Suite struct SilentRuleTests {
    struct Case: Sendable, CustomStringConvertible {
        var name: String, old: String, new: String, code: String, line: Int, column: Int, en: String, de: String
        var description: String { name }
    }

    static let cases: [Case] = [
        Case(name: "in with empty list", old: "in: [Siegburg, Troisdorf]", new: "in: []", code: "invalid-value", line: 30, column: 135,
             en: "municipality.in: empty list (no value can match)", de: "leere Liste (kein Wert kann zutreffen)"),
        Case(name: "attribute without comparison", old: "when: {age: {lt: 18}}, basis", new: "when: {age: {}}, basis", code: "missing-key",
             line: 29, column: 119, en: "when.age: no comparison given", de: "kein Vergleich angegeben"),
        Case(name: "any-of with empty list", old: "when: {age: {lt: 18}}, basis", new: "when: {any-of: []}, basis", code: "invalid-value",
             line: 29, column: 122, en: "when.any-of: empty list (no alternative can hold)", de: "leere Liste (keine Alternative kann zutreffen)"),
        Case(name: "any-of with an empty alternative", old: "when: {age: {lt: 18}}, basis", new: "when: {any-of: [{age: {lt: 18}}, {}]}, basis",
             code: "missing-key", line: 29, column: 140, en: "when.any-of: an alternative with no condition (it would always hold)",
             de: "eine Alternative ohne Bedingung (sie träfe immer zu)"),
        Case(name: "rule with empty partner list", old: "{id: office-names, effect: permit, partners: [office]",
             new: "{id: office-names, effect: permit, partners: []", code: "invalid-value", line: 28, column: 50,
             en: "rule `office-names`.partners: empty list, the rule would apply to no partner; omit the key to mean any",
             de: "für keinen Partner"),
        Case(name: "rule with null purposes", old: "partners: [office], purposes: [planning], fields: [name.*]",
             new: "partners: [office], purposes: ~, fields: [name.*]", code: "invalid-value", line: 28, column: 70,
             en: "rule `office-names`.purposes: empty list", de: "für keinen Zweck"),
        Case(name: "clause with empty partner list", old: "{id: basic, partners: [agency]", new: "{id: basic, partners: []",
             code: "invalid-value", line: 41, column: 31, en: "clauses.basic.partners: empty list, the clause would cover nothing",
             de: "die Klausel gälte für nichts"),
        Case(name: "clause with empty purpose list", old: "{id: basic, partners: [agency], purposes: [help]",
             new: "{id: basic, partners: [agency], purposes: []", code: "invalid-value", line: 41, column: 51,
             en: "empty list, the clause would cover nothing; omit the key to mean any purpose", de: "für jeden Zweck den Schlüssel weglassen"),
        Case(name: "clause with empty category list", old: "purposes: [help], categories: [identity, contact]}",
             new: "purposes: [help], categories: []}", code: "invalid-value", line: 41, column: 71,
             en: "clauses.basic.categories: empty list", de: "die Klausel gälte für nichts"),
        Case(name: "duration overflowing", old: "max-validity: P1Y", new: "max-validity: P9223372036854775807W", code: "invalid-value",
             line: 39, column: 19, en: "`P9223372036854775807W` is not an ISO 8601 duration", de: "keine ISO-8601-Dauer"),
        Case(name: "duration out of order", old: "max-validity: P1Y", new: "max-validity: P1D1Y", code: "invalid-value",
             line: 39, column: 19, en: "`P1D1Y` is not an ISO 8601 duration", de: "keine ISO-8601-Dauer"),
        Case(name: "duration repeated", old: "max-validity: P1Y", new: "max-validity: P1Y1Y", code: "invalid-value",
             line: 39, column: 19, en: "`P1Y1Y` is not an ISO 8601 duration", de: "keine ISO-8601-Dauer"),
        // An ISO 8601 duration all the same, of hours: said as such (a review of dates).
        Case(name: "duration with a time part", old: "max-validity: P1Y", new: "max-validity: PT1H", code: "invalid-value",
             line: 39, column: 19, en: "`PT1H` has a time part (T…); a declaration holds for years, months, weeks or days",
             de: "hat einen Zeitteil (T…)"),
    ]

    @Test(arguments: cases)
    func reportedAtTheOffendingToken(_ c: Case) throws {
        let bundle = try TempBundle(replacing: [(c.old, c.new)])
        defer { bundle.remove() }
        let problems = bundle.problems
        #expect(problems.count == 1, "\(problems)")
        let p = try #require(problems.first)
        #expect(p.code == c.code)
        #expect(p.location == .init(file: "policy.yaml", line: c.line, column: c.column), "\(p)")
        #expect(p.message.en.contains(c.en), "\(p.message.en)")
        #expect(p.message.de.contains(c.de), "\(p.message.de)")
    }

    @Test func durationsInISOOrderStillParse() {
        #expect(ISODuration("P2Y") == ISODuration(years: 2))
        #expect(ISODuration("P1Y6M") == ISODuration(years: 1, months: 6))
        #expect(ISODuration("P4W") == ISODuration(days: 28))
        #expect(ISODuration("P1Y2M3W4D") == ISODuration(years: 1, months: 2, days: 25))
        #expect(ISODuration("P1000000D") == ISODuration(days: 1_000_000))
        for bad in ["P1000001D", "P9223372036854775807W", "P99999999999999999999Y", "P1M1Y", "P1D1W", "P2Y2Y", "PT1H", "P-1Y", "P", "2Y"] {
            #expect(ISODuration(bad) == nil, "\(bad)")
        }
    }

    @Test func templateWithMoreClausesThanTheEvaluatorHoldsIsRejected() throws {
        let extra = (0..<64).map { "      - {id: c\($0), partners: [agency], purposes: [help], categories: [identity]}\n" }.joined()
        let bundle = try TempBundle(replacing: [("    clauses:\n", "    clauses:\n" + extra)])
        defer { bundle.remove() }
        let problems = bundle.problems
        #expect(problems.map(\.code) == ["invalid-value"], "\(problems)")
        #expect(problems.first?.location == .init(file: "policy.yaml", line: 41, column: 7))
        #expect(problems.first?.message.en.contains("68 clauses, at most 64 allowed") == true)
        #expect(problems.first?.message.de.contains("68 Klauseln, höchstens 64 erlaubt") == true)
    }

    @Test func exportProfileWithoutColumnsIsAnError() throws {
        let bundle = try TempBundle()
        defer { bundle.remove() }
        try bundle.write("exports.yaml", "exports:\n  office-empty: {partner: office, purpose: planning, columns: []}\n")
        let problems = bundle.problems
        #expect(problems.count == 1, "\(problems)")
        let p = try #require(problems.first)
        #expect(p.code == "invalid-value")
        #expect(p.location == .init(file: "exports.yaml", line: 2, column: 63), "\(p)")
        #expect(p.message.en.contains("exports.office-empty.columns: empty list, the profile would export nothing"))
        #expect(p.message.de.contains("das Profil gäbe nichts aus"))
    }
}
