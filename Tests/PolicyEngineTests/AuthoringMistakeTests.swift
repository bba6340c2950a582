import Foundation
import Testing
@testable import PolicyEngine

/// Mistakes a DPO makes when editing a bundle, each told in words that lead to the fix (found in a review of policy
/// authoring): a word outside its set lists the words allowed (and the one meant, when only the case differs) without
/// wrong follow-on errors; a placeholder is not a legal basis; an id with an umlaut is told which letters count.
@Suite struct AuthoringMistakeTests {
    @Test func aCapitalisedEffectListsTheWordsAndAddsNoFollowOn() throws {
        let bundle = try TempBundle(replacing: [("{id: office-names, effect: permit,", "{id: office-names, effect: Permit,")])
        let problems = bundle.problems
        #expect(problems.count == 1, "\(problems)")
        #expect(problems.first?.message.de.contains("unzulässiger Wert `Permit` (erlaubt: `permit`, `forbid`; gemeint ist wohl `permit`, kleingeschrieben)") == true, "\(problems)")
        #expect(problems.first?.message.en.contains("(allowed: `permit`, `forbid`; did you mean `permit`, in lower case)") == true, "\(problems)")
    }

    @Test(arguments: ["-", "TODO", "?", "tbd.", "offen"])
    func aPlaceholderIsNoLegalBasis(_ placeholder: String) throws {
        let bundle = try TempBundle(replacing: [("basis: statute, citation: \"§ 1 Test\"}", "basis: statute, citation: \"\(placeholder)\"}")])
        let problems = bundle.problems
        #expect(problems.map(\.code) == ["missing-citation"], "\(problems)")
        #expect(problems.first?.message.de.contains("ist keine Rechtsgrundlage, sondern ein Platzhalter") == true, "\(problems)")
    }

    @Test func aRealCitationIsNoPlaceholder() {
        for citation in ["§ 1 Test", "Art. 6 Abs. 1 lit. e DSGVO", "§ 87 AufenthG", "SGB II"] {
            #expect(!RuleParser.isPlaceholder(citation), "\(citation)")
        }
    }

    @Test func anUmlautInAnIdIsToldWhichLettersCount() throws {
        let bundle = try TempBundle(replacing: [("  help: {label: {de: Hilfe, en: Help}}", "  help: {label: {de: Hilfe, en: Help}}\n  prüfung: {label: {de: Prüfung, en: Check}}")])
        let problems = bundle.problems
        #expect(problems.contains { $0.code == "invalid-id" && $0.message.de.contains("nur a–z, A–Z, Ziffern, `.`, `-`, `_` enthalten (keine Umlaute, kein ß, keine Leerzeichen)") }, "\(problems)")
    }

    /// An unknown id names the ones probably meant, as municipalities do (`Trosdorf` → `Troisdorf`).
    @Test func anUnknownIdNamesTheOneProbablyMeant() throws {
        let bundle = try TempBundle(replacing: [("{id: office-names, effect: permit, partners: [office], purposes: [planning]",
                                                 "{id: office-names, effect: permit, partners: [ofice], purposes: [Planning]")])
        let messages = bundle.problems.filter { $0.code == "unknown-id" }.map(\.message)
        #expect(messages.contains { $0.de.hasSuffix("`ofice` ist unbekannt; gemeint ist wohl `office`") }, "\(messages)")
        #expect(messages.contains { $0.en.hasSuffix("unknown purpose `Planning`; did you mean `planning`") }, "\(messages)")
        // Nothing near: no guess.
        let far = try TempBundle(replacing: [("partners: [office], purposes: [planning], fields: [name.*]", "partners: [wohnungsamt], purposes: [planning], fields: [name.*]")])
        #expect(far.problems.contains { $0.code == "unknown-id" && $0.message.de.hasSuffix("`wohnungsamt` ist unbekannt") }, "\(far.problems)")
    }

    /// A bundle file with nothing in it, and a YAML file the loader skips for the case of its ending, are said instead
    /// of dropping what they held (an emptied or renamed `exports.yaml` passed as "0 export profiles").
    @Test(arguments: ["", "# nur ein Kommentar\n"])
    func anEmptyBundleFileIsSaid(_ content: String) throws {
        let bundle = try TempBundle()
        try bundle.write("exports-extra.yaml", content)
        let problems = bundle.problems
        #expect(problems.map(\.code) == ["empty-file"], "\(problems)")
        #expect(problems.first?.location?.file == "exports-extra.yaml")
        #expect(problems.first?.message.de == "Datei `exports-extra.yaml` enthält nichts (leer oder nur Kommentare); löschen oder füllen")
    }

    @Test func aYAMLFileWithAnUpperCaseEndingIsSaid() throws {
        let bundle = try TempBundle()
        try bundle.write("Extra.YAML", "exports: {}\n")
        #expect(bundle.problems.map(\.code) == ["ignored-file"], "\(bundle.problems)")
        #expect(bundle.problems.first?.message.en == "file `Extra.YAML` is not read: its ending must be in lower case (.yaml or .yml)")
        // An archived bundle is read as it was when it came into force: the file was skipped then, and still is.
        #expect(throws: Never.self) { try BundleLoader.load(directory: bundle.url, archived: true) }
    }
}
