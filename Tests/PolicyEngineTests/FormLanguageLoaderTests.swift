import Diagnostics
import Foundation
import Testing
@testable import PolicyEngine

/// A county adds a language to the printed declaration (`form-languages`): the wording around the template's text, in a
/// language ConsentGate does not bring (Arabic, Farsi, Turkish), or its own text for a built-in one. Before, the frame
/// existed in German, English and Ukrainian only and a county could not print a declaration in Arabic without a new
/// release. The loader reads every text with exactly its placeholders, the language's direction, and the words for each
/// template's longest validity, and says where a text, a placeholder or a duration is missing.
@Suite struct FormLanguageLoaderTests {
    /// The Arabic wording of the tests (`Fixtures/form-languages/ar.yaml`).
    static var arabic: String {
        get throws { try String(contentsOf: Fixture.url("form-languages/ar.yaml"), encoding: .utf8) }
    }

    /// The small fixture with an Arabic text for template `t` and the Arabic wording as `form-languages.yaml`,
    /// after `replacements` in that file (each must occur exactly once).
    /// With `language`, the wording and the template's text stand under that code instead (`tr`: a language written left
    /// to right, to try what the right-to-left check would refuse for `ar`).
    static func bundle(_ replacements: [(String, String)] = [], language: String = "ar") throws -> TempBundle {
        let b = try TempBundle(replacing: [("languages: {de: {file: texts/t.de.md}, en: {file: texts/t.en.md}}",
                                            "languages: {de: {file: texts/t.de.md}, en: {file: texts/t.en.md}, \(language): {file: texts/t.\(language).md}}")])
        try b.write("texts/t.\(language).md", "أوافق.\n")
        var text = try arabic
        if language != "ar" { text = text.replacingOccurrences(of: "\n  ar:\n", with: "\n  \(language):\n") }
        for (old, new) in replacements {
            precondition(text.components(separatedBy: old).count == 2, "`\(old)` must occur exactly once in ar.yaml")
            text = text.replacingOccurrences(of: old, with: new)
        }
        try b.write("form-languages.yaml", text)
        return b
    }

    @Test func theArabicWordingLoads() throws {
        let b = try Self.bundle()
        let bundle = try BundleLoader.load(directory: b.url)
        let ar = try #require(bundle.formLanguage("ar"))
        #expect(ar.rightToLeft)
        #expect(ar.name == LocalizedText(de: "Arabisch", en: "Arabic"))
        #expect(ar.texts.count == FormLanguage.Key.allCases.count)
        #expect(ar[.title] == "إقرار بالموافقة")
        #expect(ar[.footer] == "النموذج %1، الإصدار %2، اللغة %3")
        #expect(ar.durations[ISODuration(years: 1)] == "سنة واحدة")
        #expect(bundle.formLanguage("fa") == nil)
        #expect(bundle.formLanguages.map(\.code) == ["ar"])
    }

    /// Without `direction` a language is written left to right (Turkish here; Arabic must say `rtl`, below).
    @Test func directionDefaultsToLeftToRight() throws {
        let b = try Self.bundle([("    direction: rtl\n", "")], language: "tr")
        #expect(try BundleLoader.load(directory: b.url).formLanguage("tr")?.rightToLeft == false)
    }

    @Test(arguments: [("ar", true), ("fa", true), ("ckb", true), ("ur-PK", true), ("ku-Latn", false), ("tr", false), ("uk", false)])
    func languagesWrittenRightToLeftAreKnown(_ code: String, _ rightToLeft: Bool) {
        #expect(FormLanguage.isWrittenRightToLeft(code) == rightToLeft)
    }

    /// Each mistake is reported where it is, in the wording's own file, with what to do.
    @Test(arguments: [
        (old: "      footer: \"النموذج %1، الإصدار %2، اللغة %3\"\n", new: "", code: "missing-key", line: 9,
         en: "form-languages.ar.texts: required key `footer` is missing"),
        (old: "لمدة أقصاها %@.", new: "لمدة سنتين.", code: "invalid-value", line: 22,
         en: "form-languages.ar.texts.validity: the placeholder `%@` is missing (it stands for the longest validity, from `durations`)"),
        (old: "      title: \"إقرار بالموافقة\"", new: "      title: \"إقرار %1\"", code: "invalid-value", line: 9,
         en: "form-languages.ar.texts.title: `%1` is not a placeholder here and would be printed as it stands"),
        (old: "الإصدار %2،", new: "الإصدار %2، %1", code: "invalid-value", line: 34,
         en: "form-languages.ar.texts.footer: the placeholder `%1` occurs 2 times; it may occur once only"),
        (old: "direction: rtl", new: "direction: RTL", code: "invalid-value", line: 7,
         en: "form-languages.ar.direction: invalid value `RTL` (allowed: `ltr`, `rtl`; did you mean `rtl`, in lower case)"),
        (old: "      title:", new: "      titel:", code: "unknown-key", line: 9,
         en: "form-languages.ar.texts: unknown key `titel`"),
        (old: "  ar:\n", new: "  Arabic:\n", code: "invalid-id", line: 5,
         en: "form-languages.Arabic: `Arabic` is not a language code such as `ar`, `fa` or `ckb`"),
        (old: "      P1Y: \"سنة واحدة\"\n", new: "", code: "missing-key", line: 42,
         en: "form-languages.ar.durations: the words for `P1Y` are missing, the longest validity of t v2 (text in `ar`); e.g. `P1Y: …`"),
        (old: "      P2Y:", new: "      2 years:", code: "invalid-value", line: 43,
         en: "form-languages.ar.durations.2 years: `2 years` is not an ISO 8601 duration such as P2Y"),
        (old: "      granted: \"ممنوحة\"", new: "      granted: \"  \"", code: "invalid-value", line: 36,
         en: "form-languages.ar.texts.granted: the text is empty"),
        (old: "    name: {de: Arabisch, en: Arabic}\n", new: "", code: "missing-key", line: 6,
         en: "form-languages.ar: required key `name` is missing"),
        (old: "direction: rtl", new: "direction: ltr", code: "invalid-value", line: 7,
         en: "form-languages.ar.direction: `ar` is written right to left; give `direction: rtl`"),
        (old: "    direction: rtl\n", new: "", code: "invalid-value", line: 5,
         en: "form-languages.ar.direction: `ar` is written right to left; give `direction: rtl`"),
        (old: "      granted: \"ممنوحة\"", new: "      granted: \"\u{202E}ممنوحة\"", code: "invalid-value", line: 36,
         en: "form-languages.ar.texts.granted: the control character U+202E (embedding, overriding or isolating a direction) is not allowed"),
        (old: "en: Arabic}", new: "en: \"\u{2067}Arabic\"}", code: "invalid-value", line: 6,
         en: "form-languages.ar.name: the control character U+2067"),
        (old: "      P1Y: \"سنة واحدة\"", new: "      P12M: \"سنة واحدة\"", code: "missing-key", line: 42,
         en: "form-languages.ar.durations: the words for `P1Y` are missing, the longest validity of t v2 (text in `ar`); e.g. `P1Y: …` (`P12M` is given, but the template writes `P1Y`: write it as the template does)"),
        (old: "      P1Y: \"سنة واحدة\"", new: "      P1Y: \"سنة %@\"", code: "invalid-value", line: 42,
         en: "form-languages.ar.durations.P1Y: `%@` is not a placeholder here and would be printed as it stands"),
    ])
    func aMistakeIsReportedAtItsPlace(_ c: (old: String, new: String, code: String, line: Int, en: String)) throws {
        let b = try Self.bundle([(c.old, c.new)])
        let problems = b.problems
        let found = try #require(problems.first { $0.message.en.hasPrefix(c.en) }, "\(problems.map(\.message.en))")
        #expect(found.code == c.code)
        #expect(found.location?.file == "form-languages.yaml")
        #expect(found.location?.line == c.line, "\(found)")
        #expect(!found.message.de.isEmpty && found.message.de != found.message.en)
    }

    /// The words for a duration are needed only where a template has a text in the language; a wording without a
    /// template that uses it loads (the county may add the template's text later), and needs no `durations`.
    @Test func durationsAreNeededOnlyForTemplatesInTheLanguage() throws {
        let b = try TempBundle()
        var text = try Self.arabic
        text = String(text[..<text.range(of: "    durations:")!.lowerBound])
        try b.write("form-languages.yaml", text)
        #expect(b.problems.isEmpty, "\(b.problems)")
    }

    /// A template text under `sr-latn` and the wording under `sr-Latn`: one language to a reader, refused as two.
    @Test func aCodeDifferingOnlyInCaseIsReported() throws {
        let b = try Self.bundle([("\n  sr-latn:\n", "\n  sr-Latn:\n"), ("    direction: rtl\n", "")], language: "sr-latn")
        let found = try #require(b.problems.first { $0.code == "invalid-id" }, "\(b.problems)")
        #expect(found.message.en == "form-languages.sr-Latn: a template gives its text under `sr-latn`; write the language code the same (upper and lower case)")
        #expect(found.location?.file == "form-languages.yaml" && found.location?.line == 5)
    }

    /// A language given twice, in two files, is reported at the second.
    @Test func aLanguageGivenTwiceIsReported() throws {
        let b = try Self.bundle()
        try b.write("more-languages.yaml", try Self.arabic)
        let dup = try #require(b.problems.first { $0.code == "duplicate-id" }, "\(b.problems)")
        #expect(dup.location?.file == "more-languages.yaml")
        #expect(dup.message.en.hasPrefix("duplicate language `ar`"))
    }

    /// The digest covers the wording (what a person reads and signs), not its layout; a bundle without
    /// `form-languages` keeps the digest it had before the section existed (pinned in other suites).
    @Test func theDigestCoversTheWording() throws {
        let plain = try TempBundle(replacing: [("languages: {de: {file: texts/t.de.md}, en: {file: texts/t.en.md}}",
                                                "languages: {de: {file: texts/t.de.md}, en: {file: texts/t.en.md}, ar: {file: texts/t.ar.md}}")])
        try plain.write("texts/t.ar.md", "أوافق.\n")
        let withoutWording = try BundleLoader.load(directory: plain.url).digest
        let b = try Self.bundle()
        let base = try BundleLoader.load(directory: b.url).digest
        #expect(base != withoutWording)
        let reworded = try Self.bundle([("تاريخ الميلاد", "تاريخ الولادة")])
        #expect(try BundleLoader.load(directory: reworded.url).digest != base)
        let turkishRTL = try Self.bundle(language: "tr"), turkishLTR = try Self.bundle([("direction: rtl", "direction: ltr")], language: "tr")
        #expect(try BundleLoader.load(directory: turkishRTL.url).digest != BundleLoader.load(directory: turkishLTR.url).digest)
        let renamed = try Self.bundle([("en: Arabic}", "en: Arabic language}")])
        #expect(try BundleLoader.load(directory: renamed.url).digest != base)
        let duration = try Self.bundle([("P2Y: \"سنتين\"", "P2Y: \"عامين\"")])
        #expect(try BundleLoader.load(directory: duration.url).digest != base)
        // Layout only: the texts in another order, block style for the name.
        let moved = try Self.bundle([("      title: \"إقرار بالموافقة\"\n", ""),
                                     ("      subtitle:", "      title: \"إقرار بالموافقة\"\n      subtitle:"),
                                     ("{de: Arabisch, en: Arabic}", "\n      de: Arabisch\n      en: Arabic")])
        #expect(try BundleLoader.load(directory: moved.url).digest == base)
    }

    /// What `consent form-language` writes loads back as the same wording (quotes, backslashes and the placeholders
    /// included), so a translator starts from a file that loads.
    @Test func theWrittenYAMLLoadsBackTheSame() throws {
        let b = try Self.bundle()
        var ar = try #require(try BundleLoader.load(directory: b.url).formLanguage("ar"))
        ar.texts[.voluntary] = "a \"quoted\" word, a back\\slash: and # no comment, ' and  two spaces, \u{200F}RLM, NEL\u{85}, C1\u{9F}, LS\u{2028}"
        let yaml = FormLanguageYAML.text(of: ar, translatedFrom: "en")
        let again = try Self.bundle()
        try again.write("form-languages.yaml", yaml)
        #expect(try BundleLoader.load(directory: again.url).formLanguage("ar") == ar)
    }
}
