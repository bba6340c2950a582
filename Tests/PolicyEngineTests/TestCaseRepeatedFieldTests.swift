import Foundation
import Testing
@testable import PolicyEngine

/// A policy test case whose `expect` names a field twice asked the evaluator about a request the gate never decides:
/// `check`, `POST /v1/decisions` and the referral page refuse a decision request naming a field twice
/// (`DecisionRequestError.repeatedField`). YAML refuses a key written twice in one mapping, but a key with a core tag
/// (`!!int name.family`) is another key to the YAML parser and the same field id to the loader, and `policy test`
/// passed such a case. Now an error at the repetition, naming the first, in German and English: any mapping's keys
/// are compared as text when the YAML is read (`YAMLNode`), so this holds in every file and section alike.
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
        #expect(problems.first?.message.en == "duplicate key: name.family (first at tests/cases.yaml:7:7)", "\(problems)")
        #expect(problems.first?.message.de == "doppelter Schlüssel: name.family (zuerst in tests/cases.yaml:7:7)", "\(problems)")
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

    /// The same loophole anywhere else: in a rule, `!!int citation` after `citation` replaced the rule's cited norm with
    /// no word; in a purpose, a second label. Each is now the duplicate key at its repetition, naming the first.
    @Test(arguments: [("rules.yaml", """
        rules:
          - {id: extra, effect: permit, partners: [office], purposes: [planning], fields: [name.family], basis: statute,
             citation: "§ 1 Gesetz", !!int citation: "§ 2 Gesetz"}

        """, "citation"),
        ("more.yaml", """
        purposes:
          extra-purpose: {label: {de: X, en: X}, !!int label: {de: Y, en: Y}}

        """, "label")])
    func aKeyRepeatedWithACoreTagIsADuplicateEverywhere(file: String, text: String, key: String) throws {
        let bundle = try TempBundle()
        defer { bundle.remove() }
        try bundle.write(file, text)
        let problems = bundle.problems
        #expect(problems.contains { $0.code == "duplicate-id" && $0.location?.file == file
                                    && $0.message.en.hasPrefix("duplicate key: \(key) (first at \(file):") }, "\(problems)")
    }
}
