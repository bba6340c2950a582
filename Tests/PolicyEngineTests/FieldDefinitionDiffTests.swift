import Diagnostics
import Foundation
import Testing
@testable import PolicyEngine

/// `policy diff` names changes to the field definitions themselves, even where every release stays the same: before,
/// a renamed German label (the registration lists' column heading), a moved category or a field made `multiline`
/// showed as "No change to what is released".
@Suite struct FieldDefinitionDiffTests {
    static let family = "  name.family: {category: identity, type: string, label: {de: Familienname, en: Family name}}"

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var replacement: String
        /// `field aspect before→after` per changed aspect.
        var expected: [String]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "the German label (the column heading)",
             replacement: "  name.family: {category: identity, type: string, label: {de: Nachname, en: Family name}}",
             expected: ["name.family label.de Familienname→Nachname"]),
        Case(name: "multiline and the English label",
             replacement: "  name.family: {category: identity, type: string, multiline: true, label: {de: Familienname, en: Surname}}",
             expected: ["name.family label.en Family name→Surname", "name.family multiline false→true"]),
        Case(name: "the category",
             replacement: "  name.family: {category: contact, type: string, label: {de: Familienname, en: Family name}}",
             expected: ["name.family category identity→contact"]),
    ]

    @Test(arguments: cases)
    func aChangedDefinitionIsNamedAspectByAspect(_ c: Case) throws {
        let b = try TempBundle(replacing: [(Self.family, c.replacement)])
        defer { b.remove() }
        let diff = PolicyDiff(old: try Fixture.small(), new: try CompiledPolicy.load(directory: b.url))
        #expect(diff.fields.added.isEmpty && diff.fields.removed.isEmpty)
        #expect(diff.fields.changed.flatMap { ch in ch.aspects.map { "\(ch.field) \($0.name) \($0.before)→\($0.after)" } } == c.expected)
        #expect(!diff.isEmpty)
        for language in [Language.de, .en] {
            let text = diff.text(in: language)
            #expect(!text.contains("Keine Änderung") && !text.contains("No change"), "\(text)")
            #expect(text.contains(language == .de ? "Felddefinitionen (fields):\n    name.family:\n" : "Field definitions (fields):\n    name.family:\n"), "\(text)")
        }
        let json = try #require(try JSONSerialization.jsonObject(with: Data(diff.json().serialized.utf8)) as? [String: Any])
        let changed = try #require((json["fields"] as? [String: Any])?["changed"] as? [[String: Any]])
        #expect(changed.first?["field"] as? String == "name.family")
        #expect((changed.first?["aspects"] as? [[String: Any]])?.count == c.expected.count)
    }

    @Test func theHeadingChangeSaysWhatItMeansForTheLists() throws {
        let b = try TempBundle(replacing: [(Self.family, Self.cases[0].replacement)])
        defer { b.remove() }
        let diff = PolicyDiff(old: try Fixture.small(), new: try CompiledPolicy.load(directory: b.url))
        #expect(diff.text(in: .de).contains("label.de: \"Familienname\" → \"Nachname\" (die Spaltenüberschrift der Meldelisten: Listen mit der alten Überschrift brauchen eine Zuordnungsdatei)"))
        #expect(diff.text(in: .en).contains("label.de: \"Familienname\" → \"Nachname\" (the registration lists' column heading: lists with the old heading need a mapping file)"))
    }

    @Test func fieldsAddedAndRemovedAreListed() throws {
        let b = try TempBundle(replacing: [("  religion.affiliation: {category: religion, type: string, label: {de: Religion, en: Religion}}",
                                            "  religion.belief: {category: religion, type: string, label: {de: Religion, en: Religion}}")])
        defer { b.remove() }
        try #require(b.problems.isEmpty, "\(b.problems)")
        let diff = FieldDefinitionDiff(old: try Fixture.small().bundle, new: try CompiledPolicy.load(directory: b.url).bundle)
        #expect(diff.added == ["religion.belief"] && diff.removed == ["religion.affiliation"] && diff.changed.isEmpty)
        #expect(diff.text(in: .en).contains("    added: religion.belief\n    removed: religion.affiliation\n"))
    }

    @Test func theSameBundleHasNoFieldChanges() throws {
        let shipped = try CompiledPolicy.load(directory: Fixture.shipped)
        #expect(FieldDefinitionDiff(old: shipped.bundle, new: shipped.bundle).isEmpty)
        #expect(PolicyDiff(old: try Fixture.small(), new: try Fixture.small()).fields.text(in: .de).isEmpty)
    }
}
