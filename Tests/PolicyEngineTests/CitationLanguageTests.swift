import Diagnostics
import Foundation
import Testing
@testable import PolicyEngine

/// A rule's `citation` as a plain text or as `{de, en}` (docs/policy.md, Rules): both forms load, each wrong map is
/// refused where it is written, the canonical (German) text is what decisions name, the English text is part of the
/// digest and of `policy diff`, and the texts a person reads (`check` table, `policy explain`, `policy diff`) are in the
/// reader's language. The `small` fixture's rule `office-names` is the one changed.
@Suite struct CitationLanguageTests {
    static let plain = "citation: \"§ 1 Test\"}"
    static let german = "§ 1 Test (Namen für die Planung)"
    static let english = "§ 1 Test (names for planning)"
    static let map = "citation: {de: \"\(german)\", en: \"\(english)\"}}"

    /// The line of `office-names` in the fixture's `policy.yaml`, and the column `needle` starts at on it.
    static func position(of needle: String, in bundle: TempBundle) throws -> (line: Int, column: Int) {
        let lines = try bundle.policyText().components(separatedBy: "\n")
        let index = try #require(lines.firstIndex { $0.contains("{id: office-names,") })
        let column = try #require(lines[index].range(of: needle)).lowerBound.utf16Offset(in: lines[index]) + 1
        return (index + 1, column)
    }

    static let flowRule = "  - {id: office-names, effect: permit, partners: [office], purposes: [planning], fields: [name.*], basis: statute, citation: \"§ 1 Test\"}"
    static let blockRule = """
          - id: office-names
            effect: permit
            partners: [office]
            purposes: [planning]
            fields: [name.*]
            basis: statute
            citation:
              de: "\(german)"
              en: "\(english)"
        """

    @Test(arguments: [
        // (text replaced, by, canonical, English text or nil: the plain form)
        (plain, plain, "§ 1 Test", nil),
        (plain, map, german, english),
        // block style, as the shipped bundle writes it
        (flowRule, blockRule, german, english),
        // the same text twice is the plain form
        (plain, "citation: {de: \"§ 1 Test\", en: \"§ 1 Test\"}}", "§ 1 Test", nil),
    ] as [(String, String, String, String?)])
    func bothFormsLoad(_ old: String, _ written: String, _ canonical: String, _ english: String?) throws {
        let bundle = try TempBundle(replacing: [(old, written)])
        #expect(bundle.problems.isEmpty, "\(bundle.problems)")
        let rule = try #require(try BundleLoader.load(directory: bundle.url).rule("office-names"))
        #expect(rule.citation == canonical && rule.citationEnglish == english)
        #expect(rule.citation(in: .de) == canonical && rule.citation(in: .en) == english ?? canonical)
    }

    @Test(arguments: [
        // (citation written, code, the text the location points at, German and English words of the message)
        ("citation: {de: \"§ 1 Test\"}}", "missing-citation", "{de:", "nennt keine Rechtsgrundlage auf Englisch (`citation.en` fehlt)",
         "cites no norm in English (`citation.en` is missing)"),
        ("citation: {en: \"§ 1 Act\"}}", "missing-citation", "{en:", "nennt keine Rechtsgrundlage auf Deutsch (`citation.de` fehlt)",
         "cites no norm in German (`citation.de` is missing)"),
        ("citation: {de: \"§ 1 Test\", en: \" \"}}", "missing-citation", "\" \"", "(`citation.en` fehlt)", "(`citation.en` is missing)"),
        ("citation: {de: \"§ 1 Test\", en: \"TODO\"}}", "missing-citation", "\"TODO\"",
         "`TODO` ist keine Rechtsgrundlage, sondern ein Platzhalter (`citation.en`)", "`TODO` is a placeholder, not a norm (`citation.en`)"),
        ("citation: {de: \"-\", en: \"§ 1 Act\"}}", "missing-citation", "\"-\"",
         "`-` ist keine Rechtsgrundlage, sondern ein Platzhalter (`citation.de`)", "`-` is a placeholder, not a norm (`citation.de`)"),
        ("citation: {de: \"§ 1 Test\", en: \"§ 1 Act\", fr: \"§ 1 Loi\"}}", "unknown-key", "fr:",
         "rule `office-names`.citation: unbekannter Schlüssel `fr` (erlaubt: de, en)", "rule `office-names`.citation: unknown key `fr` (allowed: de, en)"),
        ("citation: [\"§ 1 Test\", \"§ 1 Act\"]}", "wrong-type", "[\"§ 1 Test\"",
         "citation: Text oder `{de: …, en: …}` erwartet", "citation: text or `{de: …, en: …}` expected"),
    ])
    func eachWrongCitationIsRefusedWhereItIsWritten(_ written: String, _ code: String, _ at: String, _ de: String, _ en: String) throws {
        let bundle = try TempBundle(replacing: [(Self.plain, written)])
        let problems = bundle.problems
        let problem = try #require(problems.first { $0.code == code }, "\(problems)")
        #expect(problem.message.de.contains(de), "\(problem.message.de)")
        #expect(problem.message.en.contains(en), "\(problem.message.en)")
        let (line, column) = try Self.position(of: at, in: bundle)
        #expect(problem.location == SourceLocation(file: "policy.yaml", line: line, column: column), "\(problem)")
        // Nothing else is reported: a wrong list is not a missing citation twice over, a map's other key not a missing one.
        #expect(problems.allSatisfy { $0.code == code || $0.code == "missing-citation" }, "\(problems)")
    }

    /// A bundle with plain citations keeps the digest it had before the map could be written (the fixture's digest as
    /// the release before computed it); a map with the same text twice is the plain form; a map's English text
    /// counts, alone too.
    @Test func theDigestCoversTheEnglishTextOnlyWhereThereIsOne() throws {
        let plain = try TempBundle()
        #expect(try BundleLoader.load(directory: plain.url).digest == "sha256:6970a87acaa41bb6d9616dff8af849b8493e371f162e4ebc9d33e535d4f2928d")
        let twice = try TempBundle(replacing: [(Self.plain, "citation: {de: \"§ 1 Test\", en: \"§ 1 Test\"}}")])
        #expect(try BundleLoader.load(directory: twice.url).digest == BundleLoader.load(directory: plain.url).digest)
        let mapped = try TempBundle(replacing: [(Self.plain, Self.map)])
        let reworded = try TempBundle(replacing: [(Self.plain, "citation: {de: \"\(Self.german)\", en: \"§ 1 Test (names for school planning)\"}}")])
        let a = try BundleLoader.load(directory: mapped.url), b = try BundleLoader.load(directory: reworded.url)
        #expect(a.rule("office-names")?.citation == b.rule("office-names")?.citation)
        #expect(a.digest != b.digest)
    }

    /// `policy diff` lists a changed English text alone: each field of the rule as changed, release the same; the
    /// English report shows the English texts, the German one both languages (its German lines would read the same).
    @Test func policyDiffReportsAChangedEnglishTextAlone() throws {
        let before = try TempBundle(replacing: [(Self.plain, Self.map)])
        let after = try TempBundle(replacing: [(Self.plain, "citation: {de: \"\(Self.german)\", en: \"§ 1 Test (names for school planning)\"}}")])
        let diff = PolicyDiff(old: try CompiledPolicy.load(directory: before.url), new: try CompiledPolicy.load(directory: after.url))
        #expect(!diff.isEmpty)
        #expect(diff.changes.map(\.field) == ["name.family", "name.given"])
        #expect(diff.changes.allSatisfy { $0.kind == .changed && $0.direction == "same" })
        let en = diff.text(in: .en), de = diff.text(in: .de)
        #expect(en.contains("before: statute: office-names (\(Self.english))"), "\(en)")
        #expect(en.contains("after:  statute: office-names (§ 1 Test (names for school planning))"), "\(en)")
        #expect(de.contains("vorher:  Gesetz: office-names (de: \(Self.german); en: \(Self.english))"), "\(de)")
        #expect(de.contains("nachher: Gesetz: office-names (de: \(Self.german); en: § 1 Test (names for school planning))"), "\(de)")
        let json = diff.json().serialized
        #expect(json.contains("\"citation\":\"\(Self.german)\"") && json.contains("\"citation-en\":\"§ 1 Test (names for school planning)\""), "\(json)")
    }

    /// Decisions name the canonical text (decision JSON's one `citation`); the `check` table reads it in its language,
    /// for a decision of the policy showing it; a decision of another policy shows the canonical text it names.
    @Test func decisionsNameTheCanonicalTextAndTablesTheReadersOne() throws {
        let bundle = try TempBundle(replacing: [(Self.plain, Self.map)])
        let policy = try CompiledPolicy.load(directory: bundle.url)
        let d = policy.decide(DecisionRequest(subject: "S", attributes: SubjectAttributes(), partner: "office", purpose: "planning",
                                              fields: ["name.family"], at: Fixture.t("2026-06-01T00:00:00Z")), consents: [])
        #expect(d.fields.first?.citation == Self.german)
        let json = String(decoding: d.jsonBytes(), as: UTF8.self)
        #expect(json.contains("\"citation\":\"\(Self.german)\"") && !json.contains("names for planning"), "\(json)")
        #expect(d.json().serialized == json)
        #expect(d.table(in: .en, policy: policy).contains(Self.english))
        #expect(d.table(in: .de, policy: policy).contains(Self.german))
        // The same decision shown with another policy (the fixture, whose rule cites `§ 1 Test`): the canonical text.
        let other = try Fixture.small()
        let shown = d.table(in: .en, policy: other)
        #expect(shown.contains(Self.german) && !shown.contains(Self.english), "\(shown)")
        // …and with the policy it was made under named for the citations.
        #expect(d.table(in: .en, policy: other, citing: policy).contains(Self.english))
    }

    /// `policy explain` (table, Markdown) in the reader's language; its JSON keeps `citation` and adds `citation-en`.
    @Test func policyExplainShowsTheReadersText() throws {
        let bundle = try TempBundle(replacing: [(Self.plain, Self.map)])
        let policy = try CompiledPolicy.load(directory: bundle.url)
        let matrix = ReleaseMatrix(policy, partner: "office")
        #expect(matrix.table(in: .en).contains(Self.english) && !matrix.table(in: .en).contains(Self.german))
        #expect(matrix.table(in: .de).contains(Self.german) && !matrix.table(in: .de).contains(Self.english))
        #expect(matrix.markdown(in: .en).contains(Self.english))
        let json = matrix.json().serialized
        #expect(json.contains("\"citation\":\"\(Self.german)\"") && json.contains("\"citation-en\":\"\(Self.english)\""), "\(json)")
        // A rule with a plain citation has no `citation-en`.
        #expect(!ReleaseMatrix(try Fixture.small()).json().serialized.contains("citation-en"))
    }
}
