import Diagnostics
import Foundation
import Testing
@testable import PolicyEngine

/// Problems whose position or wording misled: a duplicate YAML key reported at its first (unchanged) occurrence,
/// partner folders a Windows share cannot hold, and test cases that pass without checking anything.
@Suite struct LocationDetailTests {
    struct Case: Sendable, CustomStringConvertible {
        var name: String, old: String, new: String, line: Int, column: Int, en: String, de: String
        var description: String { name }
    }

    static let duplicates: [Case] = [
        Case(name: "block mapping", old: "  name.given: {category: identity, type: string",
             new: "  name.family: {category: identity, type: string", line: 12, column: 3,
             en: "duplicate key: name.family (first at policy.yaml:11:3)", de: "doppelter Schlüssel: name.family (zuerst in policy.yaml:11:3)"),
        Case(name: "flow mapping", old: "  identity: {label: {de: Identität, en: Identity}}",
             new: "  identity: {label: {de: Identität, en: Identity, de: X}}", line: 6, column: 51,
             en: "duplicate key: de (first at policy.yaml:6:22)", de: "doppelter Schlüssel: de (zuerst in policy.yaml:6:22)"),
        Case(name: "block mapping, repeated with the string tag", old: "  name.given: {category: identity, type: string",
             new: "  !!str name.family: {category: identity, type: string", line: 12, column: 3,
             en: "duplicate key: name.family (first at policy.yaml:11:3)", de: "doppelter Schlüssel: name.family (zuerst in policy.yaml:11:3)"),
        Case(name: "section repeated at the end", old: "    columns: [name.family, name.given, birth.date]\n",
             new: "    columns: [name.family, name.given, birth.date]\nfields:\n  x.y: {category: identity, type: string}\n", line: 51, column: 1,
             en: "duplicate key: fields (first at policy.yaml:10:1)", de: "doppelter Schlüssel: fields (zuerst in policy.yaml:10:1)"),
    ]

    @Test(arguments: duplicates)
    func duplicateKeyIsReportedAtItsRepetition(_ c: Case) throws {
        let bundle = try TempBundle(replacing: [(c.old, c.new)])
        defer { bundle.remove() }
        let problems = bundle.problems
        #expect(problems.map(\.code) == ["duplicate-id"], "\(problems)")
        #expect(problems.first?.location == .init(file: "policy.yaml", line: c.line, column: c.column), "\(problems)")
        #expect(problems.first?.message.en == c.en)
        #expect(problems.first?.message.de == c.de)
    }

    @Test(arguments: ["con", "NUL", "Aux", "com1", "LPT9"])
    func windowsDeviceNamesAreNoPartnerFolders(_ folder: String) throws {
        let bundle = try TempBundle(replacing: [("folder: Agentur_1}", "folder: \(folder)}")])
        defer { bundle.remove() }
        let problems = bundle.problems
        #expect(problems.map(\.code) == ["bad-folder-name"], "\(problems)")
        #expect(problems.first?.location == .init(file: "policy.yaml", line: 23, column: 53))
        #expect(problems.first?.message.en.contains("reserved device name on Windows") == true)
        #expect(problems.first?.message.de.contains("reservierter Gerätename") == true)
    }

    @Test(arguments: ["com", "console", "com10", "nullable"])
    func similarFolderNamesStayAllowed(_ folder: String) throws {
        let bundle = try TempBundle(replacing: [("folder: Agentur_1}", "folder: \(folder)}")])
        defer { bundle.remove() }
        #expect(bundle.problems.isEmpty, "\(bundle.problems)")
    }

    @Test func testCaseExpectingNothingIsAnError() throws {
        let bundle = try TempBundle()
        defer { bundle.remove() }
        try bundle.write("tests/cases.yaml", """
            cases:
              - name: checks nothing
                at: 2026-11-25T10:00:00Z
                partner: office
                purpose: planning
                expect: {}

            """)
        let problems = bundle.problems
        #expect(problems.map(\.code) == ["missing-key"], "\(problems)")
        #expect(problems.first?.location == .init(file: "tests/cases.yaml", line: 6, column: 13))
        #expect(problems.first?.message.en == "case `checks nothing`.expect: names no field, the case would always pass")
        #expect(problems.first?.message.de == "case `checks nothing`.expect: nennt kein Feld, der Testfall bestünde immer")
    }

    @Test(arguments: [("!!binary \"wqcgMSBUZXN0\"", "!!binary"), ("!!python/object:os.system \"§ 1 Test\"", "!!python/object:os.system"),
                      ("!local \"§ 1 Test\"", "!local")])
    func explicitYAMLTagsAreRefused(_ value: String, _ shown: String) throws {
        let bundle = try TempBundle(replacing: [("citation: \"§ 1 Test\"", "citation: \(value)")])
        defer { bundle.remove() }
        let problems = bundle.problems
        #expect(problems.map(\.code) == ["yaml-syntax"], "\(problems)")
        // Line 28 `... basis: statute, citation: <tag> ...`: the node starts at its tag.
        #expect(problems.first?.location == .init(file: "policy.yaml", line: 28, column: 126), "\(problems)")
        #expect(problems.first?.message.en == "YAML tag `\(shown)` is not supported")
        #expect(problems.first?.message.de == "YAML-Tag `\(shown)` wird nicht unterstützt")
    }

    /// libyaml names a control character by byte offset only; the loader finds it first and says where and which.
    @Test(arguments: [("\u{0}", "U+0000"), ("\u{1B}", "U+001B"), ("\u{7F}", "U+007F"), ("\u{9B}", "U+009B"), ("\u{FFFE}", "U+FFFE")])
    func controlCharacterIsReportedWhereItIs(_ character: String, _ codePoint: String) throws {
        // Line 28 `... citation: "§ 1 Test" ...`: the quotation mark at column 126, the character after "§ 1" at 130.
        let bundle = try TempBundle(replacing: [("citation: \"§ 1 Test\"", "citation: \"§ 1\(character)Test\"")])
        defer { bundle.remove() }
        let problems = bundle.problems
        #expect(problems.map(\.code) == ["yaml-syntax"], "\(problems)")
        #expect(problems.first?.location == .init(file: "policy.yaml", line: 28, column: 130), "\(problems)")
        #expect(problems.first?.message.de == "Zeichen \(codePoint) ist in YAML nicht erlaubt (nur Tabulator, Zeilenumbrüche und druckbare Zeichen)")
        #expect(problems.first?.message.en == "character \(codePoint) is not allowed in YAML (only tab, line breaks and printable characters)")
    }

    @Test(arguments: [("\n", 3, 2), ("\r\n", 3, 2), ("\r", 3, 2), ("\u{2028}", 3, 2), ("\u{85}", 3, 2)])
    func controlCharacterLinesCountEveryLineBreak(_ lineBreak: String, _ line: Int, _ column: Int) {
        let text = "a: 1" + lineBreak + "b: ä" + lineBreak + "c\u{7}: 2" + lineBreak
        let found = YAMLForbiddenCharacter.first(in: text)
        #expect(found?.line == line && found?.column == column, "\(String(describing: found))")
        #expect(YAMLForbiddenCharacter.first(in: "a: \"tab\there, BOM \u{FEFF}, NEL\u{85} 𝄞\"\r\n") == nil)
        // A byte order mark at the start takes no column, as libyaml counts (a review found a trust store's 1:4 for 1:3).
        #expect(YAMLForbiddenCharacter.first(in: "\u{FEFF}ab\u{0}")?.column == 3)
        #expect(YAMLForbiddenCharacter.first(in: "ab\u{0}")?.column == 3)
    }

    @Test func explicitStrTagMakesAPlainNumberText() throws {
        let bundle = try TempBundle(replacing: [("when: {age: {lt: 18}}", "when: {age: {lt: !!str 18}}")])
        defer { bundle.remove() }
        #expect(bundle.problems.map(\.code) == ["condition-type"], "\(bundle.problems)")
    }
}
