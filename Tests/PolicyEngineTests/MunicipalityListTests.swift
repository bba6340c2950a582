import Foundation
import Testing
@testable import PolicyEngine

/// The county's towns and municipalities are part of its policy bundle (`municipalities` in `policy.yaml`), not of the
/// code, so another county adapts ConsentGate by its policy alone; a misspelt town in a rule's condition is an error.
@Suite struct MunicipalityListTests {
    static let header = "title: {de: Klein, en: Small}\n"

    /// The names in `../shared/tools/gen_registrations.py`'s `MUNICIPALITIES`: the county's registration lists.
    static func generatorNames() throws -> Set<String> {
        let text = try String(contentsOf: Fixture.sharedData.deletingLastPathComponent().appendingPathComponent("tools/gen_registrations.py"),
                              encoding: .utf8)
        let block = try #require(text.range(of: "MUNICIPALITIES = [").map { text[$0.upperBound...] }?.prefix { $0 != "]" })
        return Set(block.matches(of: /\("([^"]+)", "\d{5}"\)/).map { String($0.1) })
    }

    @Test func theShippedBundleListsTheCountysNineteenTownsAsItsListsSpellThem() throws {
        let bundle = try BundleLoader.load(directory: Fixture.shipped)
        #expect(bundle.municipalities.count == 19)
        #expect(Set(bundle.municipalities) == (try Self.generatorNames()))
        #expect(bundle.countyMunicipalities.admits("Hennef (Sieg)") && !bundle.countyMunicipalities.admits("Hennef"))
        #expect(bundle.countyMunicipalities.suggestions(for: "hennef") == ["Hennef (Sieg)"])
    }

    @Test(arguments: [
        ("Trosdorf", ["Troisdorf"]), ("Siegbrug", ["Siegburg"]), ("sankt agustin", ["Sankt Augustin"]), ("hennef", ["Hennef (Sieg)"]),
        ("KÖNIGSWINTER", ["Königswinter"]), ("Konigswinter", ["Königswinter"]), ("Mch", ["Much"]), ("Köln", []), ("Bonn", []),
        ("Beuel", []), ("", []),
    ] as [(String, [String])])
    func suggestionsCatchTypingErrors(_ typed: String, _ meant: [String]) throws {
        let county = try BundleLoader.load(directory: Fixture.shipped).countyMunicipalities
        #expect(county.suggestions(for: typed) == meant)
    }

    @Test func aListIsReadInNFCAndGivesTheSameDigestInAnyOrder() throws {
        let decomposed = "Ko\u{308}nigswinter"
        let a = try TempBundle(replacing: [(Self.header, Self.header + "municipalities: [Siegburg, \(decomposed), Troisdorf]\n")])
        let b = try TempBundle(replacing: [(Self.header, Self.header + "municipalities: [Troisdorf, Königswinter, Siegburg]\n")])
        defer { a.remove(); b.remove() }
        let loaded = try BundleLoader.load(directory: a.url)
        #expect(loaded.municipalities.contains { $0.unicodeScalars.elementsEqual("Königswinter".precomposedStringWithCanonicalMapping.unicodeScalars) })
        #expect(loaded.digest == (try BundleLoader.load(directory: b.url)).digest)
        #expect(loaded.digest != (try BundleLoader.load(directory: Fixture.url("small"))).digest, "the list is part of the digest")
    }

    /// Policies archived before the list existed keep their digest (the policy archive and the log's `policy-digest`
    /// entries name them by it): the member is written only when the bundle lists municipalities.
    @Test func aBundleWithoutAListKeepsItsEarlierDigest() throws {
        #expect(try Fixture.small().digest == "sha256:6970a87acaa41bb6d9616dff8af849b8493e371f162e4ebc9d33e535d4f2928d")
    }

    @Test(arguments: [
        ("municipalities: [Siegburg, \" Troisdorf\"]", "invalid-value", "Troisdorf"),
        ("municipalities: [Siegburg, \"\"]", "invalid-value", "not a municipality name"),
        ("municipalities: [Siegburg, \"Sieg\\tburg\"]", "invalid-value", "control characters"),
        ("municipalities: [Königswinter, Siegburg, \"Ko\u{308}nigswinter\"]", "duplicate-id", "listed twice"),
        ("municipalities: {Siegburg: 1}", "wrong-type", "list"),
    ])
    func aBadListIsAnErrorAtItsLine(_ line: String, _ code: String, _ words: String) throws {
        let bundle = try TempBundle(replacing: [(Self.header, Self.header + line + "\n")])
        defer { bundle.remove() }
        let problem = try #require(bundle.problems.first)
        #expect(problem.code == code, "\(bundle.problems)")
        #expect(problem.location?.line == 5, "\(problem)")
        #expect(problem.message.en.contains(words), "\(problem.message.en)")
    }

    /// The fixture's rule `office-in-town` names Siegburg and Troisdorf: with a list that lacks Troisdorf (or spells it
    /// wrong in the rule), the rule would silently never apply to Troisdorf's people.
    @Test func aConditionNamingATownNotListedIsAnError() throws {
        let bundle = try TempBundle(replacing: [(Self.header, Self.header + "municipalities: [Siegburg, Troisdorf]\n"),
                                                ("{in: [Siegburg, Troisdorf]}", "{in: [Siegburg, troisdorf, Bonn]}")])
        defer { bundle.remove() }
        let problems = bundle.problems
        #expect(problems.map(\.code) == ["unknown-municipality", "unknown-municipality"], "\(problems)")
        #expect(problems.first?.message.en.contains("did you mean `Troisdorf`") == true, "\(problems)")
        #expect(problems.first?.message.de.contains("gemeint ist wohl `Troisdorf`") == true)
        #expect(problems.allSatisfy { $0.location?.line != nil })
        // The same condition is fine when the bundle lists no municipalities (nothing to check against).
        let unlisted = try TempBundle(replacing: [("{in: [Siegburg, Troisdorf]}", "{in: [Siegburg, troisdorf, Bonn]}")])
        defer { unlisted.remove() }
        #expect(unlisted.problems.isEmpty, "\(unlisted.problems)")
    }
    /// `policy diff` names the towns listed anew and no longer (text and JSON), and a mere new order changes nothing.
    @Test func theDiffNamesTownsAddedAndRemoved() throws {
        let before = try TempBundle(replacing: [(Self.header, Self.header + "municipalities: [Siegburg, Troisdorf, Much]\n")])
        let after = try TempBundle(replacing: [(Self.header, Self.header + "municipalities: [Troisdorf, Siegburg, Lohmar]\n")])
        let reordered = try TempBundle(replacing: [(Self.header, Self.header + "municipalities: [Much, Troisdorf, Siegburg]\n")])
        defer { before.remove(); after.remove(); reordered.remove() }
        let (a, b, c) = (try CompiledPolicy.load(directory: before.url), try CompiledPolicy.load(directory: after.url),
                         try CompiledPolicy.load(directory: reordered.url))
        let diff = PolicyDiff(old: a, new: b)
        #expect(diff.municipalities.added == ["Lohmar"] && diff.municipalities.removed == ["Much"])
        #expect(!diff.isEmpty && diff.changes.isEmpty)
        #expect(diff.text(in: .en).contains("    added: Lohmar\n    removed: Much\n    New accounts, consents and list rows naming them are refused"))
        #expect(diff.text(in: .de).contains("    neu: Lohmar\n    entfallen: Much\n"))
        #expect(diff.json().serialized.contains(#""municipalities":{"added":["Lohmar"],"removed":["Much"]},"exports":"#))
        #expect(PolicyDiff(old: a, new: c).isEmpty)
        #expect(PolicyDiff(old: a, new: c).json().serialized.contains(#""municipalities":{"added":[],"removed":[]}"#))
        let unlisted = PolicyDiff(old: try Fixture.small(), new: a)
        #expect(unlisted.text(in: .en).contains("Before, any municipality was accepted; now only those listed."))
    }
    /// An attribute declared only `from` the field that feeds the municipality fact tests the same names: its
    /// conditions are checked against the list too.
    @Test func aConditionOnAnAttributeFromTheMunicipalityFieldIsChecked() throws {
        let shipped = Fixture.shipped
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("cg-municipality-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: copy) }
        try FileManager.default.copyItem(at: shipped, to: copy)
        try? FileManager.default.removeItem(at: copy.appendingPathComponent("tests"))
        let policy = copy.appendingPathComponent("policy.yaml")
        var text = try String(contentsOf: policy, encoding: .utf8)
        let attributes = "subject-attributes:\n"
        try #require(text.components(separatedBy: attributes).count == 2)
        text = text.replacingOccurrences(of: attributes, with: attributes + "  kommune: {type: string, from: case.municipality}\n")
        try Data(text.utf8).write(to: policy)
        let rules = copy.appendingPathComponent("rules.yaml")
        let ruleText = try String(contentsOf: rules, encoding: .utf8)
        try Data((ruleText + "\n  - {id: test-kommune, effect: permit, partners: [jobcenter], purposes: [job-placement], fields: [name.family], when: {kommune: {in: [Trosdorf]}}, basis: statute, citation: \"§ 1 Test\"}\n").utf8).write(to: rules)
        let problems = Fixture.problems(copy)
        #expect(problems.map(\.code) == ["unknown-municipality"], "\(problems)")
        #expect(problems.first?.message.en.contains("did you mean `Troisdorf`") == true)
    }

    /// An `enum` field that feeds the `municipality` fact offers its `values` as the towns a person can be of: a value
    /// the list does not hold (`Trosdorf`) named a town the gate refuses to record and no rule or account names. An
    /// error at the value, with the name probably meant; nothing to check when the bundle lists no municipalities.
    @Test func theValuesOfAnEnumFieldFeedingTheMunicipalityAreChecked() throws {
        let field = "  case.town: {category: identity, type: enum, values: [Siegburg, Trosdorf], label: {de: Kommune, en: Town}}\n"
        let edits = [("subject-attributes:\n", field + "subject-attributes:\n"),
                     ("municipality: {type: string, subject: municipality}", "municipality: {type: string, from: case.town, subject: municipality}")]
        let bundle = try TempBundle(replacing: [(Self.header, Self.header + "municipalities: [Siegburg, Troisdorf]\n")] + edits)
        defer { bundle.remove() }
        let problems = bundle.problems
        #expect(problems.map(\.code) == ["unknown-municipality"], "\(problems)")
        let lines = try bundle.policyText().components(separatedBy: "\n")
        let line = try #require(lines.firstIndex { $0.hasPrefix("  case.town:") })
        let column = try #require(lines[line].range(of: "Trosdorf")).lowerBound.utf16Offset(in: lines[line]) + 1
        #expect(problems.first?.location?.file == "policy.yaml")
        #expect(problems.first?.location?.line == line + 1 && problems.first?.location?.column == column, "\(problems)")
        #expect(problems.first?.message.en.contains("fields.case.town.values: `Trosdorf` is not one of the municipalities") == true, "\(problems)")
        #expect(problems.first?.message.en.contains("did you mean `Troisdorf`") == true)
        #expect(problems.first?.message.de.contains("gemeint ist wohl `Troisdorf`") == true)
        // Listed values load; and without a list there is nothing to check against.
        let listedField = field.replacingOccurrences(of: "Trosdorf", with: "Troisdorf")
        let fine = try TempBundle(replacing: [(Self.header, Self.header + "municipalities: [Siegburg, Troisdorf]\n"),
                                              ("subject-attributes:\n", listedField + "subject-attributes:\n"), edits[1]])
        let unlisted = try TempBundle(replacing: edits)
        defer { fine.remove(); unlisted.remove() }
        #expect(fine.problems.isEmpty, "\(fine.problems)")
        #expect(unlisted.problems.isEmpty, "\(unlisted.problems)")
    }
}
