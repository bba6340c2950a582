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
        Case(name: "rule with empty partner list", old: "{id: office-names, effect: permit, partners: [office]",
             new: "{id: office-names, effect: permit, partners: []", code: "invalid-value", line: 28, column: 50,
             en: "rule `office-names`.partners: empty list, the rule would apply to no partner; omit the key to mean any",
             de: "für keinen Partner"),
        Case(name: "rule with null purposes", old: "partners: [office], purposes: [planning], fields: [name.*]",
             new: "partners: [office], purposes: ~, fields: [name.*]", code: "invalid-value", line: 28, column: 70,
             en: "rule `office-names`.purposes: empty list", de: "für keinen Zweck"),
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
}
