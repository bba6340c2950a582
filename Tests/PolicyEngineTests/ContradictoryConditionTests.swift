import Foundation
import Testing
@testable import PolicyEngine

/// Comparisons on one attribute that exclude each other (`{age: {ge: 18, lt: 10}}`, typically a bound typed the wrong
/// way round) loaded without a word: the rule applied to no one (a permit released nothing, a forbid forbade nothing,
/// an export profile took no row), like `in: []`, which was already an error. Now `invalid-value` at the attribute's
/// comparisons, naming them, in German and English.
@Suite struct ContradictoryConditionTests {
    struct Case: Sendable, CustomStringConvertible {
        var when: String, shown: String
        var description: String { when }
    }

    static let contradictory: [Case] = [
        Case(when: "{age: {ge: 18, lt: 10}}", shown: "age ≥ 18 ∧ age < 10"),
        Case(when: "{age: {gt: 5, lt: 6}}", shown: "age > 5 ∧ age < 6"),
        Case(when: "{age: {ge: 6, le: 6, ne: 6}}", shown: "age ≥ 6 ∧ age ≤ 6 ∧ age ≠ 6"),
        Case(when: "{age: {eq: 5, in: [6, 7]}}", shown: "age = 5 ∧ age ∈ {6, 7}"),
        Case(when: "{age: {in: [3, 4], ge: 6}}", shown: "age ∈ {3, 4} ∧ age ≥ 6"),
        Case(when: "{unaccompanied-minor: {eq: true, ne: true}}", shown: "unaccompanied-minor = true ∧ unaccompanied-minor ≠ true"),
        Case(when: "{municipality: {in: [Siegburg], ne: Siegburg}}", shown: "municipality ∈ {Siegburg} ∧ municipality ≠ Siegburg"),
    ]

    @Test(arguments: contradictory)
    func comparisonsThatExcludeEachOtherAreAnError(_ c: Case) throws {
        let bundle = try TempBundle(replacing: [("when: {age: {lt: 18}}, basis", "when: \(c.when), basis")])
        defer { bundle.remove() }
        let problems = bundle.problems
        #expect(problems.map(\.code) == ["invalid-value"], "\(problems)")
        #expect(problems.first?.location?.file == "policy.yaml" && problems.first?.location?.line == 29, "\(problems)")
        let attribute = String(c.shown.prefix { $0 != " " })
        #expect(problems.first?.message.en == "rule `office-children`.when.\(attribute): the comparisons exclude each other (\(c.shown)): the condition can never hold",
                "\(problems)")
        #expect(problems.first?.message.de == "rule `office-children`.when.\(attribute): die Vergleiche schließen einander aus (\(c.shown)): die Bedingung kann nie zutreffen",
                "\(problems)")
    }

    /// The same in an export profile's `records` and in an `any-of` alternative.
    @Test func alsoInRecordsAndAlternatives() throws {
        let records = try TempBundle(replacing: [("records: {age: {lt: 18}}", "records: {age: {lt: 6, ge: 6}}")])
        defer { records.remove() }
        #expect(records.problems.map(\.code) == ["invalid-value"], "\(records.problems)")
        #expect(records.problems.first?.message.en.hasPrefix("exports.office-list.records.age: the comparisons exclude each other") == true,
                "\(records.problems)")
        let alternative = try TempBundle(replacing: [("when: {age: {lt: 18}}, basis", "when: {any-of: [{age: {lt: 18}}, {age: {gt: 65, lt: 60}}]}, basis")])
        defer { alternative.remove() }
        #expect(alternative.problems.map(\.code) == ["invalid-value"], "\(alternative.problems)")
    }

    /// Ranges with something in them stay fine: a single age, a bound on each side, a value the others allow.
    @Test(arguments: ["{age: {ge: 6, lt: 19}}", "{age: {ge: 6, le: 6}}", "{age: {gt: 5, lt: 7}}", "{age: {eq: 7, in: [6, 7], ge: 6}}",
                      "{age: {ne: 6, ge: 6, le: 7}}", "{unaccompanied-minor: {eq: true, ne: false}}",
                      "{municipality: {in: [Siegburg, Troisdorf], ne: Siegburg}}"])
    func satisfiableComparisonsStayFine(_ when: String) throws {
        let bundle = try TempBundle(replacing: [("when: {age: {lt: 18}}, basis", "when: \(when), basis")])
        defer { bundle.remove() }
        #expect(bundle.problems.isEmpty, "\(bundle.problems)")
    }
}
