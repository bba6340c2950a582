import Foundation
import Testing
@testable import PolicyEngine

/// A `when` (or an export profile's `records`) that is written but states no condition loaded as "no condition": the
/// rule applied to everyone, the profile took every row. The usual way to get there is a DPO commenting out the only
/// line under `when:` (`# age: {ge: 6, lt: 19}`) while trying a change, which leaves `when:` null, or writing
/// `when: {}`. An empty `any-of` alternative and `{age: {}}` were already errors for the same reason; this is now one
/// too (`missing-key` at the key's value), in German and English: omit the key to mean everyone.
@Suite struct EmptyConditionTests {
    @Test func anEmptyFlowWhenIsAnError() throws {
        let bundle = try TempBundle(replacing: [("when: {age: {lt: 18}}, basis", "when: {}, basis")])
        defer { bundle.remove() }
        let problems = bundle.problems
        #expect(problems.map(\.code) == ["missing-key"], "\(problems)")
        #expect(problems.first?.location == .init(file: "policy.yaml", line: 29, column: 113), "\(problems)")
        #expect(problems.first?.message.en == "rule `office-children`.when: no condition given (it would hold for everyone; omit the key to mean everyone)",
                "\(problems)")
        #expect(problems.first?.message.de == "rule `office-children`.when: keine Bedingung angegeben (sie träfe auf alle zu; für alle den Schlüssel weglassen)",
                "\(problems)")
    }

    /// `when:` whose only line is commented out: null, not absent.
    @Test func aWhenWithItsOnlyLineCommentedOutIsAnError() throws {
        let bundle = try TempBundle()
        defer { bundle.remove() }
        try bundle.write("more.yaml", """
            rules:
              - id: office-school-children
                effect: permit
                partners: [office]
                purposes: [help]
                fields: [name.family]
                when:
                  # age: {ge: 6, lt: 19}
                basis: statute
                citation: "§ 9 Test"

            """)
        let problems = bundle.problems
        #expect(problems.map(\.code) == ["missing-key"], "\(problems)")
        #expect(problems.first?.location?.file == "more.yaml", "\(problems)")
        #expect(problems.first?.message.en.hasPrefix("rule `office-school-children`.when: no condition given") == true, "\(problems)")
    }

    /// The same for an export profile's `records`: every row of the list would go to the partner.
    @Test(arguments: ["records: {}", "records:\n      # age: {lt: 18}"])
    func exportRecordsWithoutAConditionIsAnError(_ records: String) throws {
        let bundle = try TempBundle(replacing: [("records: {age: {lt: 18}}", records)])
        defer { bundle.remove() }
        let problems = bundle.problems
        #expect(problems.map(\.code) == ["missing-key"], "\(problems)")
        #expect(problems.first?.message.en.hasPrefix("exports.office-list.records: no condition given") == true, "\(problems)")
    }

    /// Omitting the key still means everyone (a rule) or every row (a profile), and the shipped bundle loads.
    @Test func omittedConditionsStayFine() throws {
        let bundle = try TempBundle(replacing: [("when: {age: {lt: 18}}, basis", "basis"), ("    records: {age: {lt: 18}}\n", "")])
        defer { bundle.remove() }
        #expect(bundle.problems.isEmpty, "\(bundle.problems)")
        #expect(Fixture.problems(Fixture.shipped).isEmpty)
    }
}
