import Diagnostics
import Foundation
import Testing
@testable import PolicyEngine

/// `policy diff` sees changes that alter releases without any rule changing: a category that stops (or starts) being
/// special (GDPR Art. 9), and a subject attribute read from another source. Found in a black-box review of policy
/// authoring: both were reported as "No change to what is released", exit 0 with `--fail-on-wider`, while the shipped
/// tests showed health notes going to the Jugendamt on a non-explicit clause, and adults meeting `age < 18`.
@Suite struct CategoryAndAttributeDiffTests {
    static let religion = "  religion: {label: {de: Religion, en: Religion}, special: true}"

    @Test func aCategoryNoLongerSpecialWidensItsFieldsOnTheSameRules() throws {
        let b = try TempBundle(replacing: [(Self.religion, "  religion: {label: {de: Religion, en: Religion}}")])
        defer { b.remove() }
        let old = try Fixture.small(), new = try CompiledPolicy.load(directory: b.url)
        let diff = PolicyDiff(old: old, new: new)
        let change = try #require(diff.changes.first { $0.partner == "agency" && $0.field == "religion.affiliation" })
        #expect(change.before == change.after, "the rules are the same")
        #expect(change.releaseBefore.level == .never && change.releaseAfter.level == .consent, "only an explicit clause released it; none covers religion")
        #expect(change.direction == "wider" && change.specialAfter == false)
        #expect(diff.sendsMore, "--fail-on-wider ends with exit 1")
        #expect(diff.categories.changed.map(\.category) == ["religion"] && diff.categories.noLongerSpecial == ["religion"])
        let de = diff.text(in: .de), en = diff.text(in: .en)
        #expect(de.contains("WEITER: agency / help / religion.affiliation: nie → mit Einwilligung"), "\(de)")
        #expect(de.contains("Datenkategorien (categories):\n    religion:\n        special: \"true\" → \"false\" (keine besondere Kategorie (Art. 9 DSGVO) mehr"), "\(de)")
        #expect(en.contains("(the field's category is no longer a special category (GDPR Art. 9)"), "\(en)")
        #expect(!de.contains("Keine Änderung") && !en.contains("No change"))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(diff.json().serialized.utf8)) as? [String: Any])
        let changed = try #require((json["categories"] as? [String: Any])?["changed"] as? [[String: Any]])
        #expect(changed.first?["category"] as? String == "religion")
        let entries = try #require(json["changes"] as? [[String: Any]])
        #expect(entries.first { $0["field"] as? String == "religion.affiliation" }?["special-after"] as? Bool == false, "the JSON says why too")
        // The way back is narrower, and said so.
        let back = PolicyDiff(old: new, new: old)
        #expect(back.changes.first { $0.field == "religion.affiliation" }?.direction == "narrower")
        #expect(!back.sendsMore && back.text(in: .de).contains("(jetzt eine besondere Kategorie (Art. 9 DSGVO)"))
    }

    @Test func aCategoryLabelAloneIsNamedAndReleasesTheSame() throws {
        let b = try TempBundle(replacing: [(Self.religion, "  religion: {label: {de: Weltanschauung, en: Religion}, special: true}")])
        defer { b.remove() }
        let diff = PolicyDiff(old: try Fixture.small(), new: try CompiledPolicy.load(directory: b.url))
        #expect(diff.changes.isEmpty && !diff.sendsMore && !diff.isEmpty)
        #expect(diff.text(in: .de).contains("label.de: \"Religion\" → \"Weltanschauung\""))
    }

    @Test(arguments: [
        ("  age: {type: int, from: birth.date}", ["subject birth-date→"], true),
        ("  age: {type: int, from: birth.date, subject: birth-date, label: {de: Lebensalter, en: Age}}", ["label.de →Lebensalter", "label.en →Age"], false),
    ])
    func aChangedAttributeIsNamedAndAChangedSourceMayWiden(_ replacement: String, _ expected: [String], _ deciding: Bool) throws {
        let b = try TempBundle(replacing: [("  age: {type: int, from: birth.date, subject: birth-date}", replacement)])
        defer { b.remove() }
        let diff = PolicyDiff(old: try Fixture.small(), new: try CompiledPolicy.load(directory: b.url))
        #expect(diff.changes.isEmpty, "every rule reads the same")
        let change = try #require(diff.attributes.changed.first)
        #expect(change.attribute == "age" && change.tested, "the office's export and rules test age")
        #expect(change.aspects.map { "\($0.name) \($0.before)→\($0.after)" } == expected)
        #expect(diff.sendsMore == deciding)
        let de = diff.text(in: .de), en = diff.text(in: .en)
        #expect(!de.contains("Keine Änderung") && de.contains("Merkmale der Person (subject-attributes):\n    age:\n"), "\(de)")
        #expect(de.contains("VIELLEICHT WEITER: Merkmal age") == deciding, "\(de)")
        #expect(en.contains("MAYBE WIDER: attribute age") == deciding)
        #expect(de.contains("Die Regeln geben jedes Feld jedes Partners und Zwecks gleich frei.") == !deciding)
    }
}
