import Foundation
import Testing
@testable import PolicyEngine

/// How the loader copes with the bytes and files of a bundle: line ends, one-line JSON, deep flow nesting,
/// files that are folders, and template texts reached through symbolic links.
@Suite struct BundleInputTests {
    @Test func crlfLineEndsLoadLikeLF() throws {
        let bundle = try TempBundle()
        defer { bundle.remove() }
        try bundle.write("policy.yaml", try bundle.policyText().replacingOccurrences(of: "\n", with: "\r\n"))
        #expect(bundle.problems.isEmpty, "\(bundle.problems)")
        let crlf = try CompiledPolicy.load(directory: bundle.url)
        #expect(crlf.digest == (try Fixture.small().digest))
    }

    @Test func oneLineJSONBundleIsNotTooDeep() throws {
        // The small fixture as one line of JSON (valid YAML): flow brackets that close again are not nesting.
        #expect(Fixture.problems(Fixture.url("small-json")).isEmpty, "\(Fixture.problems(Fixture.url("small-json")))")
        let json = try CompiledPolicy.load(directory: Fixture.url("small-json"))
        #expect(json.digest == (try Fixture.small().digest))
    }

    @Test func flowNestingOverManyLinesIsRejectedBeforeParsing() {
        let yaml = "x:\n" + String(repeating: " [\n", count: 5_000)
        var diags: [PolicyDiagnostic] = []
        #expect(YAMLReader.parse(yaml, file: "deep.yaml", diagnostics: &diags) == nil)
        #expect(diags.map(\.code) == ["nesting-too-deep"], "\(diags)")
        #expect(diags.first?.location == .init(file: "deep.yaml", line: 32, column: 2))
    }

    @Test func bracketsInsideBlockScalarsAndQuotesAreText() {
        let yaml = "a: |\n" + String(repeating: "  [{ not nesting\n", count: 40) + "b: \"" + String(repeating: "[", count: 40) + "\"\n"
        var diags: [PolicyDiagnostic] = []
        #expect(YAMLReader.parse(yaml, file: "t.yaml", diagnostics: &diags) != nil)
        #expect(diags.isEmpty, "\(diags)")
    }

    @Test func policyFileThatIsAFolderIsAnError() throws {
        let bundle = try TempBundle()
        defer { bundle.remove() }
        let policy = bundle.url.appendingPathComponent("policy.yaml")
        try FileManager.default.removeItem(at: policy)
        try FileManager.default.createDirectory(at: policy, withIntermediateDirectories: false)
        let problems = bundle.problems
        #expect(problems.map(\.code) == ["unreadable-file"], "\(problems)")
        #expect(problems.first?.location == .init(file: "policy.yaml", line: 1, column: 1))
        #expect(problems.first?.message.en.contains("cannot be read") == true)
        #expect(problems.first?.message.de.contains("nicht lesbar") == true)
    }

    @Test func testFileThatIsAFolderIsAnError() throws {
        let bundle = try TempBundle()
        defer { bundle.remove() }
        try FileManager.default.createDirectory(at: bundle.url.appendingPathComponent("tests/cases.yaml"), withIntermediateDirectories: true)
        #expect(bundle.problems.map(\.code) == ["unreadable-file"], "\(bundle.problems)")
        #expect(bundle.problems.first?.location?.file == "tests/cases.yaml")
    }

    @Test func templateTextLinkedFromOutsideTheBundleIsRejected() throws {
        let bundle = try TempBundle()
        defer { bundle.remove() }
        let outside = FileManager.default.temporaryDirectory.appendingPathComponent("cg-outside-\(UUID().uuidString).md")
        try Data("Fremder Text".utf8).write(to: outside)
        defer { try? FileManager.default.removeItem(at: outside) }
        let text = bundle.url.appendingPathComponent("texts/t.en.md")
        try FileManager.default.removeItem(at: text)
        try FileManager.default.createSymbolicLink(at: text, withDestinationURL: outside)
        let problems = bundle.problems
        #expect(problems.map(\.code) == ["invalid-value"], "\(problems)")
        // policy.yaml line 37: `languages: {de: {file: texts/t.de.md}, en: {file: texts/t.en.md}}`, the path at column 55.
        #expect(problems.first?.location == .init(file: "policy.yaml", line: 37, column: 55))
        #expect(problems.first?.message.en.contains("lies outside the bundle") == true)
    }

    /// A YAML file of the bundle linked to a file outside it: the policy would change with that file, unseen in the
    /// bundle's folder. Each such file is named; a link within the bundle loads.
    @Test(arguments: ["extra.yaml", "tests/cases.yaml"])
    func yamlFileLinkedFromOutsideTheBundleIsRejected(name: String) throws {
        let bundle = try TempBundle()
        defer { bundle.remove() }
        let outside = FileManager.default.temporaryDirectory.appendingPathComponent("cg-outside-\(UUID().uuidString).yaml")
        try Data("purposes: {}\n".utf8).write(to: outside)
        defer { try? FileManager.default.removeItem(at: outside) }
        let link = bundle.url.appendingPathComponent(name)
        try? FileManager.default.removeItem(at: link)
        try FileManager.default.createDirectory(at: link.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: outside)
        let problems = bundle.problems
        #expect(problems.map(\.code) == ["outside-bundle"], "\(problems)")
        #expect(problems.first?.location?.file == name)
        #expect(problems.first?.message.en.contains("is a link to a file outside the policy bundle") == true)
        #expect(problems.first?.message.de.contains("außerhalb des Richtlinienpakets") == true)
    }

    @Test func yamlFileLinkedWithinTheBundleLoads() throws {
        let bundle = try TempBundle()
        defer { bundle.remove() }
        try FileManager.default.createDirectory(at: bundle.url.appendingPathComponent("parts"), withIntermediateDirectories: true)
        try Data("purposes: {}\n".utf8).write(to: bundle.url.appendingPathComponent("parts/extra.yml.txt"))
        try FileManager.default.createSymbolicLink(atPath: bundle.url.appendingPathComponent("extra.yaml").path,
                                                   withDestinationPath: "parts/extra.yml.txt")
        #expect(bundle.problems.isEmpty, "\(bundle.problems)")
    }

    @Test func templateTextLinkedWithinTheBundleLoads() throws {
        let bundle = try TempBundle()
        defer { bundle.remove() }
        let text = bundle.url.appendingPathComponent("texts/t.en.md")
        try FileManager.default.removeItem(at: text)
        try FileManager.default.createSymbolicLink(atPath: text.path, withDestinationPath: "t.de.md")
        #expect(bundle.problems.isEmpty, "\(bundle.problems)")
    }
}

/// Problems found in declarations and file bytes, reported where they are.
@Suite struct DeclarationAndEncodingTests {
    @Test func invalidUTF8IsReportedAtTheOffendingByte() throws {
        let bundle = try TempBundle()
        defer { bundle.remove() }
        var data = Data(try bundle.policyText().utf8)
        // `Planung` of line 25 with an `ä` in Windows-1252 (0xE4): `  planning: {label: {de: Pl\u{E4}nung, ...`
        let needle = Data("de: Planung".utf8)
        let range = try #require(data.range(of: needle))
        data.replaceSubrange(range, with: Data("de: Pl".utf8) + Data([0xE4]) + Data("nung".utf8))
        try data.write(to: bundle.url.appendingPathComponent("policy.yaml"))
        let problems = bundle.problems
        #expect(problems.map(\.code) == ["unreadable-file"], "\(problems)")
        #expect(problems.first?.location == .init(file: "policy.yaml", line: 25, column: 28), "\(problems)")
        #expect(problems.first?.message.en == "file is not valid UTF-8")
    }

    @Test func invalidUTF8AfterMultibyteTextCountsScalars() {
        let data = Data("a: Ä\nb: ü".utf8) + Data([0xFF])
        #expect(InvalidUTF8.firstPosition(in: data)! == (2, 5))
        #expect(InvalidUTF8.firstPosition(in: Data("ok: ä\n".utf8)) == nil)
    }

    @Test(arguments: [("age", "int", "municipality"), ("municipality", "string", "guardians"),
                      ("unaccompanied-minor", "bool", "birth-date")])
    func subjectFactMustFitTheAttributeType(_ attribute: String, _ type: String, _ fact: String) throws {
        let lines: [String: String] = [
            "age": "  age: {type: int, from: birth.date, subject: birth-date}",
            "municipality": "  municipality: {type: string, subject: municipality}",
            "unaccompanied-minor": "  unaccompanied-minor: {type: bool, subject: unaccompanied-minor}",
        ]
        let old = try #require(lines[attribute])
        let new = old.replacingOccurrences(of: "subject: \(old.components(separatedBy: "subject: ")[1].dropLast())", with: "subject: \(fact)")
        let bundle = try TempBundle(replacing: [(old, new)])
        defer { bundle.remove() }
        let problems = bundle.problems
        #expect(problems.map(\.code) == ["condition-type"], "\(problems)")
        let column = new.components(separatedBy: "subject: ")[0].count + "subject: ".count + 1
        let line = ["age": 18, "municipality": 19, "unaccompanied-minor": 20][attribute]!
        #expect(problems.first?.location == .init(file: "policy.yaml", line: line, column: column), "\(problems)")
        #expect(problems.first?.message.en == "subject-attributes.\(attribute): subject fact `\(fact)` does not fit type \(type)")
        #expect(problems.first?.message.de == "subject-attributes.\(attribute): Personenangabe `\(fact)` passt nicht zum Typ \(type)")
    }
}
