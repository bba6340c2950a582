import Diagnostics
import Foundation
import Testing
@testable import PolicyEngine

/// `ExportProfileDiff` (part of `PolicyDiff`): a policy change that only touches the export profiles (whose rows,
/// which columns a partner's export takes) is shown to the DPO, with how the policy releases each gained column.
@Suite struct ExportProfileDiffTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var replacements: [(String, String)]
        /// `profile kind direction +added(release) -removed(release) reordered`
        var expected: [String]
        var testDescription: String { name }
    }

    static let profile = "  office-list:\n    partner: office\n    purpose: planning\n    records: {age: {lt: 18}}\n    columns: [name.family, name.given, birth.date]\n"

    static let cases: [Case] = [
        Case(name: "a column the rules release by statute in town",
             replacements: [("columns: [name.family, name.given, birth.date]", "columns: [name.family, name.given, birth.date, contact.phone]")],
             expected: ["office-list changed wider +contact.phone(statute-conditional)"]),
        Case(name: "a column the rules never release",
             replacements: [("columns: [name.family, name.given, birth.date]", "columns: [name.family, name.given, birth.date, health.notes]")],
             expected: ["office-list changed same +health.notes(never)"]),
        Case(name: "a column dropped",
             replacements: [("columns: [name.family, name.given, birth.date]", "columns: [name.family, name.given]")],
             expected: ["office-list changed narrower -birth.date(statute-conditional)"]),
        Case(name: "columns reordered",
             replacements: [("columns: [name.family, name.given, birth.date]", "columns: [birth.date, name.family, name.given]")],
             expected: ["office-list changed same reordered"]),
        Case(name: "every row instead of minors",
             replacements: [("    records: {age: {lt: 18}}\n", "")],
             expected: ["office-list changed undetermined"]),
        Case(name: "a profile for another partner added",
             replacements: [("exports:\n", "exports:\n  agency-list:\n    partner: agency\n    purpose: help\n    columns: [name.family, health.notes]\n")],
             expected: ["agency-list added wider +name.family(consent) +health.notes(explicit-consent)"]),
        Case(name: "the profile removed",
             replacements: [("exports:\n" + profile, "exports: {}\n")],
             expected: ["office-list removed narrower -name.family(statute) -name.given(statute) -birth.date(statute-conditional)"]),
    ]

    static func summary(_ c: ExportProfileDiff.Change) -> String {
        var parts = [c.profile, c.kind.rawValue, c.direction]
        parts += c.columnsAdded.map { "+\($0.field)(\($0.release.id))" }
        parts += c.columnsRemoved.map { "-\($0.field)(\($0.release.id))" }
        if c.columnsReordered { parts.append("reordered") }
        return parts.joined(separator: " ")
    }

    @Test(arguments: cases)
    func aProfileChangeIsShownWithTheReleaseOfEachColumn(_ c: Case) throws {
        let changed = try TempBundle(replacing: c.replacements)
        defer { changed.remove() }
        let diff = PolicyDiff(old: try Fixture.small(), new: try CompiledPolicy.load(directory: changed.url))
        #expect(diff.exports.changes.map(Self.summary) == c.expected)
        // The rules are untouched by these edits: no field-level change, and yet the diff is not empty.
        #expect(diff.changes.isEmpty)
        #expect(!diff.isEmpty)
        let de = diff.text(in: .de), en = diff.text(in: .en)
        #expect(!de.contains("Keine Änderung") && !en.contains("No change"), "\(de)")
        #expect(de.contains("Die Regeln geben jedes Feld jedes Partners und Zwecks gleich frei."), "\(de)")
        for change in diff.exports.changes {
            #expect(de.contains("Exportprofil \(change.profile) ("), "\(de)")
            #expect(en.contains("Export profile \(change.profile) ("), "\(en)")
        }
        let json = diff.json().serialized
        #expect(json.contains("\"exports\":[{\"profile\":\"\(c.expected[0].split(separator: " ")[0])\""), "\(json)")
    }

    @Test func theWordsNameTheRecordsBeforeAndAfterAndTheColumnsRelease() throws {
        let changed = try TempBundle(replacing: [("    records: {age: {lt: 18}}\n", ""),
                                                 ("columns: [name.family, name.given, birth.date]", "columns: [name.family, name.given, birth.date, contact.phone]")])
        defer { changed.remove() }
        let diff = PolicyDiff(old: try Fixture.small(), new: try CompiledPolicy.load(directory: changed.url))
        let de = diff.text(in: .de), en = diff.text(in: .en)
        #expect(de.contains("Exportprofil office-list (office / planning): geändert; Datensätze, Partner oder Zweck geändert: beide Fassungen prüfen"), "\(de)")
        #expect(de.contains("    Datensätze vorher:  age < 18\n    Datensätze nachher: alle Zeilen\n"), "\(de)")
        #expect(de.contains("    Spalten neu: contact.phone (per Gesetz, ohne Einwilligung (unter Bedingungen))"), "\(de)")
        #expect(en.contains("    records before: age < 18\n    records after:  every row\n"), "\(en)")
        #expect(en.contains("    columns added: contact.phone (by statute, without consent (under conditions))"), "\(en)")
    }

    @Test func aRuleChangeAndAProfileChangeAreBothReported() throws {
        let changed = try TempBundle(replacing: [("fields: [name.*], basis: statute", "fields: [name.*, contact.phone], basis: statute"),
                                                 ("columns: [name.family, name.given, birth.date]", "columns: [name.family, name.given, birth.date, contact.phone]")])
        defer { changed.remove() }
        let diff = PolicyDiff(old: try Fixture.small(), new: try CompiledPolicy.load(directory: changed.url))
        #expect(diff.changes.map { "\($0.partner)/\($0.purpose)/\($0.field)" } == ["office/planning/contact.phone"])
        // The gained column is judged by the new rules: now by statute without condition.
        #expect(diff.exports.changes.map(Self.summary) == ["office-list changed wider +contact.phone(statute)"])
        let en = diff.text(in: .en)
        #expect(en.contains("1 change (partner / purpose / field):") && en.contains("1 changed export profile:"), "\(en)")
        // The profile's widening opens the report beside the field's, before any detail (policy review finding 12).
        let opening = try #require(en.components(separatedBy: "\n\n").first)
        #expect(opening.contains("    WIDER: office / planning / contact.phone:") && opening.contains("    WIDER: export profile office-list: columns added: contact.phone"), "\(en)")
        #expect(opening.contains("of which wider: 1, narrower: 0, release unchanged: 0; export profiles wider: 1\n"), "\(en)")
    }

    /// A profile's widening alone, with every rule as before, opens the report too (it stood below every other part).
    @Test func aWiderProfileAloneOpensTheReport() throws {
        let changed = try TempBundle(replacing: [("columns: [name.family, name.given, birth.date]", "columns: [name.family, name.given, birth.date, contact.phone]")])
        defer { changed.remove() }
        let diff = PolicyDiff(old: try Fixture.small(), new: try CompiledPolicy.load(directory: changed.url))
        let de = diff.text(in: .de)
        #expect(de.contains("Die Regeln geben jedes Feld jedes Partners und Zwecks gleich frei.\n    WEITER: Exportprofil office-list: Spalten neu: contact.phone\n"), "\(de)")
        #expect(diff.sendsMore)
    }

    @Test func theSameBundleHasNoProfileChanges() throws {
        let diff = PolicyDiff(old: try Fixture.small(), new: try Fixture.small())
        #expect(diff.exports.changes.isEmpty && diff.isEmpty)
        #expect(diff.json().serialized.contains(",\"exports\":[],\"fields\":{\"added\":[],\"removed\":[],\"changed\":[]},"))
        #expect(diff.text(in: .en).contains("every export profile is the same"))
    }
}
