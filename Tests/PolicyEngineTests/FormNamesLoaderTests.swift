import Diagnostics
import Foundation
import Testing
@testable import PolicyEngine

/// `form-languages.<code>.names`: what a declaration in that language calls the bundle's partners, purposes and data
/// categories. A page probe found Ukrainian and Arabic declarations naming each recipient, purpose and kind of data in
/// English (the bundle names them in German and English only): the person could read the frame but not whom their
/// data goes to. An entry of a built-in language (`uk`) may give the names alone and keep the built-in wording.
@Suite struct FormNamesLoaderTests {
    static let arabicNames = """
        \n    names:
              partners: {agency: "الوكالة", office: "المكتب"}
              purposes: {help: "المساعدة"}
              categories: {health: "الصحة"}
        """

    @Test func theNamesOfACountyLanguageLoad() throws {
        let b = try FormLanguageLoaderTests.bundle([("      P2Y: \"سنتين\"", "      P2Y: \"سنتين\"" + Self.arabicNames)])
        defer { b.remove() }
        let ar = try #require(try BundleLoader.load(directory: b.url).formLanguage("ar"))
        #expect(ar.names == FormNames(partners: ["agency": "الوكالة", "office": "المكتب"], purposes: ["help": "المساعدة"],
                                      categories: ["health": "الصحة"]))
        #expect(!ar.usesBuiltInWording)
    }

    /// A Ukrainian entry with names only: the built-in wording stays, its name is the built-in one.
    @Test func aBuiltInLanguageMayGiveNamesAlone() throws {
        let b = try TempBundle(replacing: [])
        defer { b.remove() }
        try b.write("form-languages.yaml", """
            form-languages:
              uk:
                names:
                  partners: {agency: "Агентство"}
                  categories: {identity: "Особа", contact: "Контакти"}
            """)
        let uk = try #require(try BundleLoader.load(directory: b.url).formLanguage("uk"))
        #expect(uk.usesBuiltInWording && uk.texts.isEmpty)
        #expect(uk.name == LocalizedText(de: "Ukrainisch", en: "Ukrainian"))
        #expect(uk.names.partners == ["agency": "Агентство"] && uk.names.categories.count == 2 && uk.names.purposes.isEmpty)
    }

    struct Mistake: Sendable, CustomTestStringConvertible {
        var name: String
        var yaml: String
        var code: String
        var line: Int
        var en: String
        var testDescription: String { name }
    }

    static let mistakes: [Mistake] = [
        Mistake(name: "a partner the bundle does not declare", yaml: "  uk:\n    names:\n      partners: {agancy: \"А\"}\n",
                code: "unknown-id", line: 4, en: "unknown partner `agancy`; did you mean `agency`"),
        Mistake(name: "a purpose the bundle does not declare", yaml: "  uk:\n    names:\n      purposes:\n        halp: \"Допомога\"\n",
                code: "unknown-id", line: 5, en: "unknown purpose `halp`; did you mean `help`"),
        Mistake(name: "a category under partners", yaml: "  uk:\n    names:\n      partners: {health: \"Здоровʼя\"}\n",
                code: "unknown-id", line: 4, en: "unknown partner `health`"),
        Mistake(name: "an empty name", yaml: "  uk:\n    names:\n      partners:\n        agency: \" \"\n",
                code: "invalid-value", line: 5, en: "form-languages.uk.names.partners.agency: the name is empty"),
        Mistake(name: "a direction control", yaml: "  uk:\n    names:\n      partners:\n        agency: \"\u{202E}А\"\n",
                code: "invalid-value", line: 5, en: "form-languages.uk.names.partners.agency: the control character U+202E"),
        Mistake(name: "a line break in a name", yaml: "  uk:\n    names:\n      partners:\n        agency: \"А\\nБ\"\n",
                code: "invalid-value", line: 5, en: "form-languages.uk.names.partners.agency: the control character U+000A"),
        Mistake(name: "no names at all", yaml: "  uk:\n    names: {}\n",
                code: "invalid-value", line: 3, en: "form-languages.uk.names: gives no name"),
        Mistake(name: "an empty section", yaml: "  uk:\n    names:\n      partners: {}\n",
                code: "invalid-value", line: 4, en: "form-languages.uk.names: gives no name"),
        Mistake(name: "an unknown section", yaml: "  uk:\n    names:\n      data: {identity: \"Особа\"}\n",
                code: "unknown-key", line: 4, en: "unknown key `data`"),
        Mistake(name: "neither texts nor names", yaml: "  uk:\n    name: {de: Ukrainisch, en: Ukrainian}\n",
                code: "missing-key", line: 2, en: "form-languages.uk: gives neither `texts`"),
        Mistake(name: "durations without texts", yaml: "  uk:\n    durations: {P2Y: \"два роки\"}\n    names:\n      partners: {agency: \"А\"}\n",
                code: "invalid-value", line: 3, en: "form-languages.uk.durations: only together with `texts`"),
        Mistake(name: "names under German", yaml: "  de:\n    names:\n      partners:\n        agency: \"Behörde\"\n",
                code: "invalid-value", line: 4, en: "form-languages.de.names: the German and English names are the partners'"),
        Mistake(name: "a county language without texts", yaml: "  tr:\n    name: {de: Türkisch, en: Turkish}\n    names:\n      partners: {agency: \"Ajans\"}\n",
                code: "missing-key", line: 3, en: "`texts`"),
    ]

    @Test(arguments: mistakes)
    func aMistakeIsReportedAtItsPlace(_ m: Mistake) throws {
        let b = try TempBundle(replacing: [])
        defer { b.remove() }
        try b.write("form-languages.yaml", "form-languages:\n" + m.yaml)
        let problems = Fixture.problems(b.url)
        let p = try #require(problems.first { $0.code == m.code && $0.message.en.contains(m.en) }, "\(problems.map(\.description))")
        #expect(p.location?.file == "form-languages.yaml")
        #expect(p.location?.line == m.line, "\(p)")
        #expect(!p.message.de.isEmpty && p.message.de != p.message.en)
    }

    /// The names are part of the digest (a person reads them), and an entry without names keeps the digest it had.
    @Test func theDigestCoversTheNames() throws {
        let plain = try FormLanguageLoaderTests.bundle()
        let named = try FormLanguageLoaderTests.bundle([("      P2Y: \"سنتين\"", "      P2Y: \"سنتين\"" + Self.arabicNames)])
        let renamed = try FormLanguageLoaderTests.bundle([("      P2Y: \"سنتين\"", "      P2Y: \"سنتين\"" + Self.arabicNames.replacingOccurrences(of: "المكتب", with: "الدائرة"))])
        defer { plain.remove(); named.remove(); renamed.remove() }
        let digests = try [plain, named, renamed].map { try BundleLoader.load(directory: $0.url).digest }
        #expect(Set(digests).count == 3)
    }

    /// `policy diff` names each name that changed (`partners.office`).
    @Test func aChangedNameIsNamedInTheDiff() throws {
        let named = try FormLanguageLoaderTests.bundle([("      P2Y: \"سنتين\"", "      P2Y: \"سنتين\"" + Self.arabicNames)])
        let renamed = try FormLanguageLoaderTests.bundle([("      P2Y: \"سنتين\"", "      P2Y: \"سنتين\"" + Self.arabicNames.replacingOccurrences(of: "المكتب", with: "الدائرة").replacingOccurrences(of: "      purposes: {help: \"المساعدة\"}\n", with: ""))])
        defer { named.remove(); renamed.remove() }
        let diff = PolicyDiff(old: try CompiledPolicy.load(directory: named.url), new: try CompiledPolicy.load(directory: renamed.url))
        #expect(diff.formLanguages.changed.map(\.names) == [["partners.office", "purposes.help"]])
        #expect(diff.text(in: .en).contains("ar: changed: names partners.office, purposes.help."), "\(diff.text(in: .en))")
        #expect(diff.text(in: .de).contains("ar: geändert: Namen partners.office, purposes.help."))
        #expect(diff.json().serialized.contains(#""names":["partners.office","purposes.help"]"#))
    }

    /// Adding or removing a names-only entry says that only the names change (the form printed in that language before).
    @Test func aNamesOnlyEntryAddedOrRemovedIsSaidToBeNamesOnly() throws {
        let plain = try TempBundle(replacing: [])
        let named = try TempBundle(replacing: [])
        defer { plain.remove(); named.remove() }
        try named.write("form-languages.yaml", "form-languages:\n  uk:\n    names:\n      partners: {agency: \"Агентство\"}\n")
        let without = try CompiledPolicy.load(directory: plain.url), with = try CompiledPolicy.load(directory: named.url)
        let added = PolicyDiff(old: without, new: with)
        #expect(added.formLanguages.added == ["uk"] && added.formLanguages.namesOnly == ["uk"])
        #expect(added.text(in: .en).contains("added: uk (names of partners, purposes and data only; the built-in wording stays)"), "\(added.text(in: .en))")
        let removed = PolicyDiff(old: with, new: without)
        #expect(removed.text(in: .de).contains("entfallen: uk (nur Namen der Partner, Zwecke und Daten; der eingebaute Rahmentext bleibt). Die Erklärung in dieser Sprache nennt Partner, Zwecke und Daten wieder auf Englisch."), "\(removed.text(in: .de))")
        #expect(!removed.text(in: .en).contains("no longer prints"))
    }

    /// What `consent form-language` writes, names included, loads back as the same entry.
    @Test func theWrittenNamesLoadBack() throws {
        let b = try FormLanguageLoaderTests.bundle([("      P2Y: \"سنتين\"", "      P2Y: \"سنتين\"" + Self.arabicNames)])
        defer { b.remove() }
        var ar = try #require(try BundleLoader.load(directory: b.url).formLanguage("ar"))
        ar.names.partners["agency"] = "a \"quoted\": name # not a comment"
        let yaml = FormLanguageYAML.text(of: ar, translatedFrom: "en")
        #expect(yaml.contains("    names:   #") && yaml.contains("      partners:\n        \"agency\": \"a \\\"quoted\\\": name # not a comment\"\n"))
        let again = try FormLanguageLoaderTests.bundle()
        defer { again.remove() }
        try again.write("form-languages.yaml", yaml)
        #expect(try BundleLoader.load(directory: again.url).formLanguage("ar") == ar)
    }
}
