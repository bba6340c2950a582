import Foundation
import Testing
@testable import PolicyEngine

/// Every validation error, from a fixture bundle, with its code, location and message.
@Suite struct ValidationTests {
    struct Case: Sendable, CustomStringConvertible {
        var fixture: String, code: String, line: Int, column: Int, en: String, de: String
        var description: String { fixture }
    }

    static let cases: [Case] = [
        Case(fixture: "unknown-key", code: "unknown-key", line: 6, column: 52, en: "unknown key `colour`", de: "unbekannter Schlüssel `colour`"),
        Case(fixture: "unknown-id", code: "unknown-id", line: 12, column: 26, en: "unknown category `identty`", de: "Datenkategorie `identty` ist unbekannt"),
        Case(fixture: "duplicate-id", code: "duplicate-id", line: 30, column: 10, en: "duplicate rule `office-names` (first at policy.yaml:28:5)", de: "Regel `office-names` doppelt"),
        Case(fixture: "missing-citation", code: "missing-citation", line: 29, column: 5, en: "rule `office-children` cites no norm", de: "nennt keine Rechtsgrundlage"),
        Case(fixture: "glob-matches-nothing", code: "glob-matches-nothing", line: 28, column: 99, en: "pattern `nmae.*` matches no field", de: "Muster `nmae.*` trifft auf nichts zu (Feld)"),
        Case(fixture: "permit-shadowed", code: "permit-shadowed", line: 28, column: 5, en: "rule `office-names` can never release anything: fully shadowed by forbid `office-no-names`", de: "vollständig verdeckt"),
        Case(fixture: "bad-folder-name", code: "bad-folder-name", line: 23, column: 53, en: "`../Agentur 1` is not an allowed folder name", de: "kein zulässiger Ordnername"),
        Case(fixture: "undeclared-attribute", code: "undeclared-attribute", line: 29, column: 114, en: "condition on undeclared subject attribute `years`", de: "nicht deklariertes Personenmerkmal `years`"),
        Case(fixture: "condition-type", code: "condition-type", line: 29, column: 124, en: "value `eighteen` does not fit type int of `age`", de: "passt nicht zum Typ int"),
        Case(fixture: "invalid-operator", code: "invalid-operator", line: 29, column: 120, en: "unknown comparison `about`", de: "unbekannter Vergleich `about`"),
        Case(fixture: "missing-file", code: "missing-file", line: 37, column: 55, en: "text file `texts/t.fr.md` is missing", de: "Textdatei `texts/t.fr.md` fehlt"),
        Case(fixture: "yaml-syntax", code: "yaml-syntax", line: 5, column: 11, en: "YAML syntax error", de: "YAML-Syntaxfehler"),
        Case(fixture: "forbid-basis", code: "invalid-value", line: 33, column: 88, en: "rule `office-no-health`: `basis` applies to permit rules only", de: "rule `office-no-health`: `basis` gilt nur für permit-Regeln"),
        Case(fixture: "nesting-too-deep", code: "nesting-too-deep", line: 51, column: 38, en: "nested too deeply", de: "zu tief verschachtelt"),
    ]

    @Test(arguments: cases)
    func reportsProblemWithLocation(_ c: Case) {
        let problems = Fixture.problems(Fixture.url("invalid/" + c.fixture))
        #expect(problems.count == 1, "\(problems)")
        let p = try! #require(problems.first)
        #expect(p.code == c.code)
        #expect(p.location?.file == "policy.yaml")
        #expect(p.location?.line == c.line)
        #expect(p.location?.column == c.column)
        #expect(p.message.en.contains(c.en), "\(p.message.en)")
        #expect(p.message.de.contains(c.de), "\(p.message.de)")
    }

    @Test func theValidFixtureLoads() throws {
        #expect(Fixture.problems(Fixture.url("small")).isEmpty)
    }

    @Test func reportsAllProblemsNotOnlyTheFirst() {
        let problems = Fixture.problems(Fixture.url("invalid/many-problems"))
        #expect(problems.map(\.code) == ["unknown-key", "unknown-id", "bad-folder-name", "missing-citation", "undeclared-attribute"])
        let error = PolicyError.invalidBundle(problems)
        #expect(error.category.exitCode == 3)
        #expect(error.message(in: .en).contains("5 problems"))
        #expect(error.message(in: .de).contains("5 Probleme"))
        #expect(error.message(in: .en).contains("policy.yaml:23:53:"))
    }

    @Test func rejectsOversizedInput() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cg-oversized-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let text = try String(contentsOf: Fixture.url("small/policy.yaml"), encoding: .utf8)
            + String(repeating: "# padding padding padding padding padding padding padding padding\n", count: 20_000)
        try text.write(to: dir.appendingPathComponent("policy.yaml"), atomically: true, encoding: .utf8)
        let problems = Fixture.problems(dir)
        #expect(problems.first?.code == "input-too-large")
        #expect(problems.first?.location == .init(file: "policy.yaml", line: 1, column: 1))
        #expect(problems.first?.message.en.contains("at most 1048576") == true)
    }

    @Test func deepBlockNestingIsRejectedBeforeParsing() {
        var yaml = "apiVersion: consentgate/v1\nx:\n"
        for i in 1...200 { yaml += String(repeating: " ", count: i) + "k:\n" }
        var diags: [PolicyDiagnostic] = []
        #expect(YAMLReader.parse(yaml, file: "deep.yaml", diagnostics: &diags) == nil)
        #expect(diags.first?.code == "nesting-too-deep")
        #expect(diags.first?.location?.file == "deep.yaml")
    }

    @Test func missingPolicyFileIsAnError() {
        let problems = Fixture.problems(Fixture.url("does-not-exist"))
        #expect(problems.first?.code == "missing-file")
    }
}

/// `multiline: true` on a field (free text that may span lines in a registration list): only `string` fields, a
/// problem at the key otherwise; in the digest only when set, so bundles without it keep their digests.
@Suite struct MultilineFieldDeclarationTests {
    static let field = "  name.family: {category: identity, type: string, label: {de: Familienname, en: Family name}}"

    @Test func aStringFieldMaySpanLinesAndTheDigestSaysSo() throws {
        let plain = try Fixture.small()
        #expect(plain.bundle.fields.allSatisfy { !$0.multiline })
        let b = try TempBundle(replacing: [(Self.field, "  name.family: {category: identity, type: string, multiline: true, label: {de: Familienname, en: Family name}}")])
        defer { b.remove() }
        #expect(b.problems.isEmpty, "\(b.problems)")
        let loaded = try CompiledPolicy.load(directory: b.url)
        #expect(loaded.bundle.field("name.family")?.multiline == true)
        #expect(loaded.digest != plain.digest)
        let off = try TempBundle(replacing: [(Self.field, "  name.family: {category: identity, type: string, multiline: false, label: {de: Familienname, en: Family name}}")])
        defer { off.remove() }
        #expect(try CompiledPolicy.load(directory: off.url).digest == plain.digest, "multiline: false is the default")
    }

    @Test func onlyAStringFieldMaySpanLines() throws {
        let b = try TempBundle(replacing: [(Self.field, "  name.family: {category: identity, type: date, multiline: true, label: {de: Familienname, en: Family name}}")])
        defer { b.remove() }
        let p = try #require(b.problems.first { $0.code == "invalid-value" }, "\(b.problems)")
        #expect(p.message.en.contains("fields.name.family.multiline: only a `string` field can span lines (this one is `date`)"), "\(p)")
        let at = try #require(p.location)
        #expect(at.file.hasSuffix("policy.yaml") && at.line == 11 && at.column > 0, "\(at)")
    }
}
