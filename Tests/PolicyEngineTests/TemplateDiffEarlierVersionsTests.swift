import Diagnostics
import Foundation
import Testing
@testable import PolicyEngine

/// `policy diff` on earlier template versions (`earlier-versions`): a bump that keeps the old version (its consents stay
/// valid), a bump that does not (warned: they become invalid, and how to keep them), an earlier version dropped
/// (warned), and an earlier version changed under its number (warned like the current one), in text and JSON.
@Suite struct TemplateDiffEarlierVersionsTests {
    /// Version 2 of the small fixture's `t`, unchanged, as an earlier version.
    static let versionTwo = [
        "      - version: 2",
        "        languages: {de: {file: texts/t.de.md}, en: {file: texts/t.en.md}}",
        "        minimum-age: 16",
        "        max-validity: P1Y",
        "        clauses:",
        "          - {id: basic, partners: [agency], purposes: [help], categories: [identity, contact]}",
        "          - {id: health-explicit, partners: [agency], purposes: [help], categories: [health], explicit: true}",
        "          - {id: health-plain, partners: [agency], purposes: [help], categories: [health]}",
        "          - {id: religion-plain, partners: [agency], purposes: [help], categories: [religion]}",
    ]
    static let versionOne = EarlierTemplateVersionsLoaderTests.versionOne
    static let lastClause = EarlierTemplateVersionsLoaderTests.lastClause

    /// The small fixture, `t` bumped to 3 when `bump`, keeping `earlier` (lines of items) under `earlier-versions`.
    static func bundle(bump: Bool = false, earlier: [String] = []) throws -> TempBundle {
        var edits: [(String, String)] = []
        if bump { edits.append(("    version: 2\n", "    version: 3\n")) }
        if !earlier.isEmpty { edits.append((lastClause, lastClause + "    earlier-versions:\n" + earlier.joined(separator: "\n") + "\n")) }
        let b = try TempBundle(replacing: edits)
        try b.write("texts/t-v1.de.md", "Ich willige ein (Fassung 1).\n")
        return b
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var oldBump = false
        var oldEarlier: [String] = []
        var newBump = false
        var newEarlier: [String] = []
        /// Text the English and German reports must hold (in order: en, de), and whether a warning opens them.
        var english: [String]
        var german: [String]
        var warned: Bool
        /// Members of the template's JSON object.
        var json: [String]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "a bump keeping the old version", newBump: true, newEarlier: versionTwo,
             english: ["\nTemplate t: changed; version 2 → 3\n    earlier versions newly kept: 2 (consents given on them stay valid and are read against that version)\n"],
             german: ["\nVorlage t: geändert; Version 2 → 3\n    frühere Versionen neu behalten: 2 (darauf erteilte Einwilligungen bleiben gültig und werden gegen diese Fassung gelesen)\n"],
             warned: false,
             json: ["\"version-no-longer-held\":null", "\"versions-no-longer-held\":[],\"earlier-versions-added\":[2],\"earlier-versions-kept\":[],\"earlier-versions-dropped\":[],\"earlier-versions-changed\":[]"]),
        Case(name: "a bump without keeping the old version", newBump: true,
             english: ["WARNING: Template t goes from version 2 to 3 without keeping version 2 under `earlier-versions`: every consent given on t version 2 matches no template from this bundle on, is invalid (consent-invalid) and releases nothing until the person consents again. To keep them valid, keep version 2, its definition unchanged, under `consent-templates.t.earlier-versions`.",
                       "\nTemplate t: changed; version 2 → 3\n    Consents on t version 2 match no template of this bundle any more"],
             german: ["WARNUNG: Vorlage t geht von Version 2 auf 3, ohne Version 2 unter `earlier-versions` zu behalten: Jede auf t Version 2 erteilte Einwilligung passt ab diesem Paket zu keiner Vorlage mehr",
                      "Damit sie gültig bleiben, Version 2 mit unveränderter Fassung unter `consent-templates.t.earlier-versions` behalten."],
             warned: true,
             json: ["\"version-no-longer-held\":2", "\"versions-no-longer-held\":[2],\"earlier-versions-added\":[],\"earlier-versions-kept\":[],\"earlier-versions-dropped\":[]"]),
        Case(name: "an earlier version dropped", oldEarlier: versionOne,
             english: ["WARNING: Template t no longer holds version 1 (removed from `earlier-versions`): every consent given on t version 1 matches no template from this bundle on, is invalid (consent-invalid)",
                       "\nTemplate t: changed; version 2 unchanged\n    Consents on t version 1 match no template of this bundle any more: they are invalid (consent-invalid) and release nothing until consent is given again.\n    earlier versions dropped: 1 (consents given on them become invalid)\n"],
             german: ["WARNUNG: Vorlage t hält Version 1 nicht mehr (aus `earlier-versions` entfernt): Jede auf t Version 1 erteilte Einwilligung",
                      "    frühere Versionen entfallen: 1 (darauf erteilte Einwilligungen werden ungültig)\n"],
             warned: true,
             json: ["\"changed-under-same-version\":false,\"version-no-longer-held\":null", "\"versions-no-longer-held\":[1],\"earlier-versions-added\":[],\"earlier-versions-kept\":[],\"earlier-versions-dropped\":[1]"]),
        Case(name: "an earlier version changed under its number", oldEarlier: versionOne,
             newEarlier: versionOne.map { $0.replacingOccurrences(of: "categories: [contact]}", with: "categories: [contact, identity]}") },
             english: ["WARNING: Template t keeps its id and version 1, but the scope of clause basic changed.",
                       "Keep the earlier version 1 under `earlier-versions` exactly as it was issued (restore the old text).",
                       "\nTemplate t: changed; version 2 unchanged\n    earlier versions still kept: 1\n    version 1 changed under the same number — WARNING: the scope of clause basic\n"],
             german: ["WARNUNG: Vorlage t behält Kennung und Version 1, aber der Umfang der Klausel basic hat sich geändert.",
                      "Die frühere Version 1 unter `earlier-versions` genau so behalten, wie sie ausgegeben wurde (die alte Fassung wiederherstellen).",
                      "    Version 1 unter gleicher Nummer geändert — WARNUNG: der Umfang der Klausel basic\n"],
             warned: true,
             json: ["\"earlier-versions-kept\":[1],\"earlier-versions-dropped\":[],\"earlier-versions-changed\":[{\"template\":\"t\",\"change\":\"changed\",\"changed-under-same-version\":true"]),
        Case(name: "a bump keeping the old version with its wording changed", newBump: true,
             newEarlier: versionTwo.map { $0.replacingOccurrences(of: "minimum-age: 16", with: "minimum-age: 18") },
             english: ["WARNING: Template t keeps its id and version 2, but the minimum age changed.",
                       "    version 2 changed under the same number — WARNING: the minimum age\n"],
             german: ["WARNUNG: Vorlage t behält Kennung und Version 2, aber das Mindestalter hat sich geändert."],
             warned: true,
             json: ["\"earlier-versions-added\":[2]", "\"earlier-versions-changed\":[{\"template\":\"t\",\"change\":\"changed\",\"changed-under-same-version\":true,\"version-no-longer-held\":null,\"before\":{\"version\":2,\"languages\":[\"de\",\"en\"],\"minimum-age\":16,"]),
        Case(name: "a second bump keeping both", oldEarlier: versionOne, newBump: true, newEarlier: versionTwo + versionOne,
             english: ["    earlier versions newly kept: 2 (consents given on them stay valid and are read against that version)\n    earlier versions still kept: 1\n"],
             german: ["    frühere Versionen weiter behalten: 1\n"],
             warned: false,
             json: ["\"versions-no-longer-held\":[],\"earlier-versions-added\":[2],\"earlier-versions-kept\":[1]"]),
    ]

    @Test(arguments: cases)
    func earlierVersionsInTheDiff(_ c: Case) throws {
        let old = try Self.bundle(bump: c.oldBump, earlier: c.oldEarlier), new = try Self.bundle(bump: c.newBump, earlier: c.newEarlier)
        defer { old.remove(); new.remove() }
        #expect(old.problems.isEmpty && new.problems.isEmpty, "\(old.problems) \(new.problems)")
        let diff = PolicyDiff(old: try CompiledPolicy.load(directory: old.url), new: try CompiledPolicy.load(directory: new.url))
        #expect(diff.templates.changes.map(\.template) == ["t"])
        let en = diff.text(in: .en), de = diff.text(in: .de)
        for line in c.english { #expect(en.contains(line), "\(en)") }
        for line in c.german { #expect(de.contains(line), "\(de)") }
        // A warning opens the report (right after the two bundles), exactly when it applies.
        #expect(en.split(separator: "\n").dropFirst(2).first?.hasPrefix("WARNING: ") == c.warned, "\(en)")
        #expect(de.split(separator: "\n").dropFirst(2).first?.hasPrefix("WARNUNG: ") == c.warned, "\(de)")
        let json = diff.json().serialized
        for member in c.json { #expect(json.contains(member), "\(json)") }
    }

    /// Templates that keep the same earlier versions unchanged add nothing to the report.
    @Test func unchangedEarlierVersionsChangeNothing() throws {
        let a = try Self.bundle(earlier: Self.versionOne), b = try Self.bundle(earlier: Self.versionOne)
        defer { a.remove(); b.remove() }
        let diff = PolicyDiff(old: try CompiledPolicy.load(directory: a.url), new: try CompiledPolicy.load(directory: b.url))
        #expect(diff.templates.changes.isEmpty && diff.isEmpty)
        #expect(diff.json().serialized.contains("\"templates\":[]"))
    }
}
