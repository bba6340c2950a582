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
}
