import Foundation
import Testing
@testable import PolicyEngine

/// A policy test case whose `expect` names a field twice asked the evaluator about a request the gate never decides:
/// `check`, `POST /v1/decisions` and the referral page refuse a decision request naming a field twice
/// (`DecisionRequestError.repeatedField`). YAML refuses a key written twice in one mapping, but a key with a core tag
/// (`!!int name.family`) is another key to the YAML parser and the same field id to the loader, and `policy test`
/// passed such a case. Now an error at the repetition, naming the first, in German and English.
@Suite struct TestCaseRepeatedFieldTests {
    @Test(arguments: ["!!int", "!!bool", "!!float"])
    func aFieldExpectedTwiceIsAnErrorAtTheRepetition(_ tag: String) throws {
        let bundle = try TempBundle()
        defer { bundle.remove() }
        try bundle.write("tests/cases.yaml", """
            cases:
              - name: asks twice
                at: 2026-11-25T10:00:00Z
                partner: office
                purpose: planning
                expect:
                  name.family: permit
                  \(tag) name.family: permit

            """)
        let problems = bundle.problems
        #expect(problems.map(\.code) == ["duplicate-id"], "\(problems)")
        #expect(problems.first?.location == .init(file: "tests/cases.yaml", line: 8, column: 7), "\(problems)")
        #expect(problems.first?.message.en == "case `asks twice`.expect: field `name.family` is expected twice (first at tests/cases.yaml:7:7); "
                + "ConsentGate refuses a decision request that names a field more than once", "\(problems)")
        #expect(problems.first?.message.de == "case `asks twice`.expect: Feld `name.family` doppelt erwartet (zuerst in tests/cases.yaml:7:7); "
                + "eine Entscheidungsanfrage, die ein Feld mehrfach nennt, lehnt ConsentGate ab", "\(problems)")
    }

    /// The same in flow style, and distinct fields stay fine.
    @Test func flowStyleAndDistinctFields() throws {
        let bundle = try TempBundle()
        defer { bundle.remove() }
        try bundle.write("tests/cases.yaml", """
            cases:
              - {name: flow, at: 2026-11-25T10:00:00Z, partner: office, purpose: planning, expect: {name.family: permit, !!int name.family: deny}}
              - {name: fine, at: 2026-11-25T10:00:00Z, partner: office, purpose: planning, expect: {name.family: permit, name.given: permit}}

            """)
        let problems = bundle.problems
        #expect(problems.map(\.code) == ["duplicate-id"], "\(problems)")
        #expect(problems.first?.location?.line == 2, "\(problems)")
    }
}
