import Diagnostics
import Foundation
import Testing
@testable import PolicyEngine

/// `TemplateDiff` (part of `PolicyDiff`): a policy change to the consent templates (the declarations people sign) is
/// shown to the DPO: templates and versions, clauses and their wording per language, languages, minimum age and
/// longest validity; and a template changed under its unchanged id and version is warned about, since signed
/// consents cite only (id, version).
@Suite struct TemplateDiffTests {
    /// Edits of the small fixture for the old and the new bundle (text replacements in `policy.yaml`, files
    /// written) and the template changes the diff must show.
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var old: [(String, String)] = []
        var new: [(String, String)]
        var newFiles: [(String, String)] = []
        /// `template kind vOLD→NEW [WARNING] [gone:V] +lang:L -lang:L text:L age:A→B validity:P→Q +clause:C -clause:C
        /// order ~clause(languages)[scope]`
        var expected: [String]
        var testDescription: String { name }
    }

    static let basic = "{id: basic, partners: [agency], purposes: [help], categories: [identity, contact]}"
    static let worded = "{id: basic, partners: [agency], purposes: [help], categories: [identity, contact], text: {de: \"Weitergabe an die Stelle\", en: \"Passing to the agency\"}}"
    static let bump = ("    version: 2\n", "    version: 3\n")
    static let other = "  t2:\n    version: 1\n    languages: {de: {file: texts/t.de.md}}\n    minimum-age: 14\n    max-validity: P6M\n    clauses:\n      - {id: x, partners: [agency], purposes: [help], categories: [identity]}\n"

    static let cases: [Case] = [
        Case(name: "a clause reworded in English under the same version",
             old: [(basic, worded)], new: [(basic, worded.replacingOccurrences(of: "Passing to the agency", with: "Passing to the agency and its contractors"))],
             expected: ["t changed v2→2 WARNING ~basic(en)"]),
        Case(name: "the same rewording with a new version",
             old: [(basic, worded)], new: [(basic, worded.replacingOccurrences(of: "Passing to the agency", with: "Passing to the agency and its contractors")), bump],
             expected: ["t changed v2→3 gone:2 ~basic(en)"]),
        Case(name: "wording given where there was none",
             new: [(basic, worded)],
             expected: ["t changed v2→2 WARNING ~basic(de,en)"]),
        Case(name: "a clause added under the same version",
             new: [("    clauses:\n", "    clauses:\n      - {id: extra, partners: [office], purposes: [planning], categories: [contact]}\n")],
             expected: ["t changed v2→2 WARNING +clause:extra"]),
        Case(name: "a clause removed with a new version",
             new: [("      - {id: religion-plain, partners: [agency], purposes: [help], categories: [religion]}\n", ""), bump],
             expected: ["t changed v2→3 gone:2 -clause:religion-plain"]),
        Case(name: "a clause's data widened under the same version",
             new: [(basic, basic.replacingOccurrences(of: "[identity, contact]", with: "[identity, contact, health]"))],
             expected: ["t changed v2→2 WARNING ~basic()[scope]"]),
        Case(name: "a clause made explicit under the same version",
             new: [("categories: [health]}", "categories: [health], explicit: true}")],
             expected: ["t changed v2→2 WARNING ~health-plain()[scope]"]),
        Case(name: "the English declaration text changed under the same version",
             new: [], newFiles: [("texts/t.en.md", "I consent, also to sharing with third parties.\n")],
             expected: ["t changed v2→2 WARNING text:en"]),
        Case(name: "a language added with a new version",
             new: [("en: {file: texts/t.en.md}}", "en: {file: texts/t.en.md}, uk: {file: texts/t.uk.md}}"), bump],
             newFiles: [("texts/t.uk.md", "Я погоджуюся.\n")],
             expected: ["t changed v2→3 gone:2 +lang:uk"]),
        Case(name: "a language removed under the same version",
             new: [("languages: {de: {file: texts/t.de.md}, en: {file: texts/t.en.md}}", "languages: {de: {file: texts/t.de.md}}")],
             expected: ["t changed v2→2 WARNING -lang:en"]),
        Case(name: "the minimum age raised under the same version",
             new: [("    minimum-age: 16\n", "    minimum-age: 18\n")],
             expected: ["t changed v2→2 WARNING age:16→18"]),
        Case(name: "the longest validity doubled with a new version",
             new: [("    max-validity: P1Y\n", "    max-validity: P2Y\n"), bump],
             expected: ["t changed v2→3 gone:2 validity:P1Y→P2Y"]),
        Case(name: "only the version raised",
             new: [bump],
             expected: ["t changed v2→3 gone:2"]),
        Case(name: "clauses reordered only: no warning",
             new: [("      - {id: health-plain, partners: [agency], purposes: [help], categories: [health]}\n", ""),
                   ("    clauses:\n", "    clauses:\n      - {id: health-plain, partners: [agency], purposes: [help], categories: [health]}\n")],
             expected: ["t changed v2→2 order"]),
        Case(name: "a clause's categories reordered only: says the same, not listed",
             new: [(basic, basic.replacingOccurrences(of: "[identity, contact]", with: "[contact, identity]"))],
             expected: []),
        Case(name: "a template added",
             new: [("exports:\n", other + "exports:\n")],
             expected: ["t2 added v—→1"]),
        Case(name: "a template removed",
             old: [("exports:\n", other + "exports:\n")], new: [],
             expected: ["t2 removed v1→— gone:1"]),
    ]

    static func summary(_ c: TemplateDiff.Change) -> String {
        var parts = [c.template, c.kind.rawValue, "v\(c.before.map { "\($0.version)" } ?? "—")→\(c.after.map { "\($0.version)" } ?? "—")"]
        if c.changedUnderSameVersion { parts.append("WARNING") }
        if let v = c.versionNoLongerHeld { parts.append("gone:\(v)") }
        parts += c.languagesAdded.map { "+lang:\($0)" } + c.languagesRemoved.map { "-lang:\($0)" } + c.textChanged.map { "text:\($0)" }
        if c.minimumAgeChanged, let b = c.before, let a = c.after { parts.append("age:\(b.minimumAge)→\(a.minimumAge)") }
        if c.maxValidityChanged, let b = c.before, let a = c.after { parts.append("validity:\(b.maxValidity)→\(a.maxValidity)") }
        parts += c.clausesAdded.map { "+clause:\($0)" } + c.clausesRemoved.map { "-clause:\($0)" }
        if c.clauseOrderChanged { parts.append("order") }
        parts += c.clausesChanged.map { "~\($0.clause)(\($0.wordingChanged.joined(separator: ",")))" + ($0.scopeChanged ? "[scope]" : "") }
        return parts.joined(separator: " ")
    }

    static func bundle(_ replacements: [(String, String)], files: [(String, String)] = []) throws -> TempBundle {
        let b = try TempBundle(replacing: replacements)
        for (path, text) in files { try b.write(path, text) }
        return b
    }

    static func diff(_ c: Case) throws -> PolicyDiff {
        let old = try bundle(c.old), new = try bundle(c.new, files: c.newFiles)
        defer { old.remove(); new.remove() }
        #expect(old.problems.isEmpty && new.problems.isEmpty, "\(old.problems) \(new.problems)")
        return PolicyDiff(old: try CompiledPolicy.load(directory: old.url), new: try CompiledPolicy.load(directory: new.url))
    }

    @Test(arguments: cases)
    func aTemplateChangeIsShownWithWhatItChanges(_ c: Case) throws {
        let diff = try Self.diff(c)
        #expect(diff.templates.changes.map(Self.summary) == c.expected)
        guard !c.expected.isEmpty else {
            #expect(diff.isEmpty && diff.text(in: .en).contains("No change to what is released"))
            return
        }
        #expect(!diff.isEmpty)
        let de = diff.text(in: .de), en = diff.text(in: .en)
        #expect(!de.contains("Keine Änderung") && !en.contains("No change"), "\(en)")
        for change in diff.templates.changes {
            #expect(de.contains("\nVorlage \(change.template): "), "\(de)")
            #expect(en.contains("\nTemplate \(change.template): "), "\(en)")
        }
        // The warning stands at the top, before any other section, in both languages, exactly when it applies.
        let warned = c.expected[0].contains("WARNING")
        #expect(en.split(separator: "\n").dropFirst(2).first?.hasPrefix("WARNING: Template t keeps its id and version 2") == warned, "\(en)")
        #expect(de.split(separator: "\n").dropFirst(2).first?.hasPrefix("WARNUNG: Vorlage t behält Kennung und Version 2") == warned, "\(de)")
        let json = diff.json().serialized
        #expect(json.contains("\"templates\":[{\"template\":\"\(diff.templates.changes[0].template)\",\"change\":\"\(diff.templates.changes[0].kind.rawValue)\",\"changed-under-same-version\":\(warned)"), "\(json)")
    }

    /// The text names old and new wording per language on one line each, the scope change in words, and the
    /// warning says what changed and that signed consents cite only id and version.
    @Test func theWordsShowOldAndNewWordingAndTheWarningSaysWhy() throws {
        let diff = try Self.diff(Case(name: "", old: [(Self.basic, Self.worded)],
                                      new: [(Self.basic, Self.worded.replacingOccurrences(of: "Passing to the agency", with: "Passing to the agency and its contractors")
                                                .replacingOccurrences(of: "[identity, contact]", with: "[identity, contact, health]"))],
                                      expected: []))
        let de = diff.text(in: .de), en = diff.text(in: .en)
        #expect(en.contains("WARNING: Template t keeps its id and version 2, but the wording of clause basic (en) and the scope of clause basic changed. A signed consent cites only the template and version (template: {id: t, version: 2}), not the wording: every consent already given on t version 2 would, from this bundle on, point at wording the person never signed;"), "\(en)")
        #expect(de.contains("WARNUNG: Vorlage t behält Kennung und Version 2, aber der Wortlaut der Klausel basic (en) und der Umfang der Klausel basic haben sich geändert."), "\(de)")
        #expect(en.contains("\nTemplate t: changed; version 2 unchanged — WARNING: content changed under the same version\n"), "\(en)")
        #expect(en.contains("    clause basic: wording changed (en)\n        en before: \"Passing to the agency\"\n        en after:  \"Passing to the agency and its contractors\"\n        categories: identity, contact → identity, contact, health\n"), "\(en)")
        #expect(de.contains("    Klausel basic: Wortlaut geändert (en)\n        en vorher:  \"Passing to the agency\"\n        en nachher: \"Passing to the agency and its contractors\"\n        Daten: identity, contact → identity, contact, health\n"), "\(de)")
        // The clause now covers health too, so the release part lists that field; the warning still comes first.
        #expect(diff.changes.map { "\($0.partner)/\($0.purpose)/\($0.field)" } == ["agency/help/health.notes"])
        let warning = try #require(en.range(of: "WARNING: Template t")), releases = try #require(en.range(of: "1 change (partner / purpose / field):"))
        #expect(warning.lowerBound < releases.lowerBound, "\(en)")
        let json = diff.json().serialized
        #expect(json.contains("\"clauses-changed\":[{\"clause\":\"basic\",\"wording-changed\":[\"en\"],\"scope-changed\":true,\"before\":{\"partners\":[\"agency\"],\"purposes\":[\"help\"],\"categories\":[\"identity\",\"contact\"],\"explicit\":false,\"text\":{\"de\":\"Weitergabe an die Stelle\",\"en\":\"Passing to the agency\"}}"), "\(json)")
    }

    /// A version change says that consents on the old version are no longer read by this bundle, and (since the old
    /// version is not kept under `earlier-versions`) warns so at the top, with how to keep them.
    @Test func aNewVersionSaysConsentsOnTheOldOneAreInvalid() throws {
        let diff = try Self.diff(Case(name: "", new: [Self.bump, ("    minimum-age: 16\n", "    minimum-age: 18\n")], expected: []))
        let de = diff.text(in: .de), en = diff.text(in: .en)
        #expect(en.split(separator: "\n").dropFirst(2).first?.hasPrefix("WARNING: Template t goes from version 2 to 3 without keeping version 2 under `earlier-versions`") == true, "\(en)")
        #expect(de.split(separator: "\n").dropFirst(2).first?.hasPrefix("WARNUNG: Vorlage t geht von Version 2 auf 3, ohne Version 2 unter `earlier-versions` zu behalten") == true, "\(de)")
        #expect(!en.contains("keeps its id and version"), "\(en)")
        #expect(en.contains("\nTemplate t: changed; version 2 → 3\n    Consents on t version 2 match no template of this bundle any more: they are invalid (consent-invalid)"), "\(en)")
        #expect(en.contains("    minimum age (below it a guardian signs): 16 → 18\n"), "\(en)")
        #expect(de.contains("\nVorlage t: geändert; Version 2 → 3\n    Einwilligungen auf t Version 2 passen zu keiner Vorlage dieses Pakets mehr"), "\(de)")
        #expect(de.contains("    Mindestalter (darunter unterschreibt ein Sorgeberechtigter): 16 → 18\n"), "\(de)")
        #expect(diff.json().serialized.contains("\"version-no-longer-held\":2,\"before\":{\"version\":2,\"languages\":[\"de\",\"en\"],\"minimum-age\":16,\"max-validity\":\"P1Y\",\"clauses\":[\"basic\",\"health-explicit\",\"health-plain\",\"religion-plain\"]},\"after\":{\"version\":3,"))
    }

    /// Equal templates add nothing: the text is the one before templates were compared, the JSON member is empty.
    @Test(arguments: ["small", "shipped"])
    func equalTemplatesChangeNothing(_ which: String) throws {
        let policy = which == "small" ? try Fixture.small() : try CompiledPolicy.load(directory: Fixture.shipped)
        let diff = PolicyDiff(old: policy, new: policy)
        #expect(diff.templates.changes.isEmpty && diff.isEmpty)
        #expect(diff.templates.text(in: .de).isEmpty && diff.templates.warningText(in: .en).isEmpty)
        #expect(diff.json().serialized.hasSuffix(",\"changes\":[],\"templates\":[],\"municipalities\":{\"added\":[],\"removed\":[]},\"exports\":[],\"fields\":{\"added\":[],\"removed\":[],\"changed\":[]},"
            + "\"partners\":{\"added\":[],\"removed\":[],\"changed\":[]},\"purposes\":{\"added\":[],\"removed\":[],\"changed\":[]},"
            + "\"categories\":{\"added\":[],\"removed\":[],\"changed\":[]},\"subject-attributes\":{\"added\":[],\"removed\":[],\"changed\":[]},"
            + "\"form-languages\":{\"added\":[],\"removed\":[],\"changed\":[]}}"))
        #expect(!diff.text(in: .en).contains("emplate") && !diff.text(in: .de).contains("Vorlage"))
    }
}
