import Foundation
import Testing
@testable import PolicyEngine

/// Mistakes in a bundle's files found in a black-box review of policy authoring, each now said at its place and alone:
/// YAML files in subfolders (skipped without a word: "0 export profiles"), an empty `policy.yaml` (540 follow-on
/// problems), a declaration text in Latin-1 ("cannot be read", and a false "German text missing"), an empty declaration
/// text, an impossible minimum age, a validity of zero (called "not ISO 8601").
@Suite struct BundleLayoutMistakeTests {
    @Test(arguments: ["extra/exports.yaml", "rules/forbids.yml", "tests/old/cases.yaml", "texts/Notes.YAML"])
    func aYAMLFileInASubfolderIsSaid(_ path: String) throws {
        let bundle = try TempBundle()
        defer { bundle.remove() }
        try bundle.write(path, "exports: {}\n")
        try bundle.write(".git/hooks/config.yml", "x: 1\n")   // hidden folders are not the bundle's
        #expect(bundle.problems.map(\.code) == ["ignored-file"], "\(bundle.problems)")
        #expect(bundle.problems.first?.location?.file == path)
        #expect(bundle.problems.first?.message.en == "file `\(path)` is not read: a policy bundle is the YAML files of its folder and those in `tests/`, not of subfolders; move or remove it")
        #expect(throws: Never.self) { try BundleLoader.load(directory: bundle.url, archived: true) }
    }

    /// A bundle folder reached through a link (the release in force) is searched as the folder it links to.
    @Test func aLinkedBundleFolderIsSearchedToo() throws {
        let bundle = try TempBundle()
        defer { bundle.remove() }
        try bundle.write("extra/exports.yaml", "exports: {}\n")
        let link = bundle.url.deletingLastPathComponent().appendingPathComponent("linked-\(UUID().uuidString)")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: bundle.url)
        defer { try? FileManager.default.removeItem(at: link) }
        let problems = Fixture.problems(link)
        #expect(problems.map(\.code) == ["ignored-file"] && problems.first?.location?.file == "extra/exports.yaml", "\(problems)")
    }

    @Test func aTestFileDirectlyInTestsIsRead() throws {
        let bundle = try TempBundle()
        defer { bundle.remove() }
        try bundle.write("tests/empty.yaml", "# nothing yet\n")
        #expect(bundle.problems.map(\.code) == ["missing-key"], "read as a test file (it lacks `cases`), not skipped: \(bundle.problems)")
    }

    @Test(arguments: ["", "# nur ein Kommentar\n"])
    func anEmptyPolicyFileIsTheOnlyProblem(_ content: String) throws {
        let bundle = try TempBundle()
        defer { bundle.remove() }
        try bundle.write("rules.yaml", "rules:\n  - {id: x, effect: forbid, partners: [office], fields: [name.family], citation: \"§ 1\"}\n")
        try bundle.write("policy.yaml", content)
        #expect(bundle.problems.map(\.code) == ["empty-file"], "\(bundle.problems)")
        #expect(bundle.problems.first?.message.de == "Datei `policy.yaml` enthält nichts (leer oder nur Kommentare); füllen")
    }

    @Test func anEmptiedRulesFileIsTheOnlyProblem() throws {
        let bundle = try TempBundle()
        defer { bundle.remove() }
        try bundle.write("more.yaml", "# alles auskommentiert\n")
        try bundle.write("tests/t.yaml", "- {id: c, subject: {age: 30}, partner: office, purpose: planning, expect: {name.family: {outcome: deny, reason: never-mind}}}\n")
        #expect(bundle.problems.map(\.code) == ["empty-file"], "no follow-on problems from the tests: \(bundle.problems)")
    }

    @Test func aDeclarationTextInLatin1IsSaidWithItsPlace() throws {
        let bundle = try TempBundle()
        defer { bundle.remove() }
        let text = "Erklärung\n\nIch willige ein, daß ...\n"
        try text.data(using: .isoLatin1)!.write(to: bundle.url.appendingPathComponent("texts/t.de.md"))
        let problems = bundle.problems
        #expect(problems.map(\.code) == ["unreadable-file"], "one problem, no false 'German text missing': \(problems)")
        #expect(problems.first?.message.de == "Textdatei `texts/t.de.md` ist kein gültiges UTF-8 (erstes ungültiges Byte: Zeile 1, Spalte 5); als UTF-8 speichern")
        #expect(problems.first?.location?.file == "policy.yaml", "at the node that names the file")
    }

    /// A declaration text over the size limit is said to be too large (it was "cannot be read", the size lost).
    @Test func aDeclarationTextTooLargeIsSaidSo() throws {
        let bundle = try TempBundle()
        defer { bundle.remove() }
        try Data(repeating: 0xFF, count: YAMLLimits.maxFileBytes + 1).write(to: bundle.url.appendingPathComponent("texts/t.en.md"))
        #expect(bundle.problems.map(\.code) == ["input-too-large"], "\(bundle.problems)")
        #expect(bundle.problems.first?.message.en == "text file `texts/t.en.md` is too large: \(YAMLLimits.maxFileBytes + 1) bytes, at most \(YAMLLimits.maxFileBytes) allowed")
    }

    @Test(arguments: ["", "  \n\n"])
    func anEmptyDeclarationTextIsRefused(_ content: String) throws {
        let bundle = try TempBundle()
        defer { bundle.remove() }
        try bundle.write("texts/t.en.md", content)
        #expect(bundle.problems.map(\.message.en) == ["text file `texts/t.en.md` is empty: the declaration's text is missing"], "\(bundle.problems)")
    }

    @Test(arguments: [("-3", false), ("121", false), ("200", false), ("0", true), ("16", true), ("120", true)])
    func theMinimumAgeIsAnAge(_ age: String, _ valid: Bool) throws {
        let bundle = try TempBundle(replacing: [("    minimum-age: 16", "    minimum-age: \(age)")])
        defer { bundle.remove() }
        #expect(bundle.problems.isEmpty == valid, "\(bundle.problems)")
        if !valid { #expect(bundle.problems.first?.message.en == "consent-templates.t.minimum-age: \(age) is not an age (0 to 120)") }
    }

    @Test(arguments: ["P0D", "P0Y", "P0Y0M0D"])
    func aValidityOfZeroIsSaidSo(_ duration: String) throws {
        let bundle = try TempBundle(replacing: [("    max-validity: P1Y", "    max-validity: \(duration)")])
        defer { bundle.remove() }
        #expect(bundle.problems.map(\.message.en) == ["consent-templates.t.max-validity: `\(duration)` is a duration of zero; a declaration must hold for a day at least (e.g. P2Y)"], "\(bundle.problems)")
    }

    /// A merge key is said as what was written, not as a tag the file does not hold (`!!merge`).
    @Test func aMergeKeyIsSaidAsSuch() throws {
        let bundle = try TempBundle(replacing: [("  office: {name: {de: Amt, en: Office}, folder: Amt}",
                                                 "  office: &o {name: {de: Amt, en: Office}, folder: Amt}\n  office2: {<<: *o, folder: Amt2}")])
        defer { bundle.remove() }
        #expect(bundle.problems.map(\.code) == ["unknown-key"], "\(bundle.problems)")
        #expect(bundle.problems.first?.message.en.hasPrefix("merge key `<<` is not supported") == true, "\(bundle.problems)")
        #expect(bundle.problems.first?.message.de.contains("!!merge") == false)
    }
}
