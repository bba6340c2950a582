import Diagnostics
import Foundation
import Testing
@testable import PolicyEngine

/// libyaml's problems reach German users in German.
@Suite struct YAMLSyntaxWordsTests {
    /// The problem texts libyaml's scanner, parser and composer can report, read from the Yams checkout.
    static func libyamlProblems() throws -> Set<String> {
        let checkouts = Fixture.shipped.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent(".build/checkouts")
        let yams = try #require(try FileManager.default.contentsOfDirectory(atPath: checkouts.path)
            .first { FileManager.default.fileExists(atPath: checkouts.path + "/\($0)/Sources/CYaml/src/scanner.c") })
        var out: Set<String> = []
        for file in ["scanner.c", "parser.c"] {
            let text = try String(contentsOfFile: checkouts.path + "/\(yams)/Sources/CYaml/src/\(file)", encoding: .utf8)
            // yaml_parser_set_*_error*(parser, [context, mark,] "problem", mark): the last string literal of the call.
            for call in text.components(separatedBy: "_error").dropFirst() where call.hasPrefix("(parser") || call.hasPrefix("_context(parser") {
                let args = call.prefix { $0 != ";" }
                let literals = args.components(separatedBy: "\"").enumerated().filter { $0.offset % 2 == 1 }.map(\.element)
                if let problem = literals.last, !problem.hasPrefix("while ") { out.insert(problem) }
            }
        }
        return out
    }

    @Test func everyProblemLibyamlDefinesHasGermanWords() throws {
        let problems = try Self.libyamlProblems()
        #expect(problems.count > 30, "\(problems)")
        let missing = problems.filter { YAMLSyntaxWords.german[$0] == nil && !$0.hasPrefix("Maximum nesting") && !$0.contains("stream-start") }
        #expect(missing.isEmpty, "\(missing.sorted())")
    }

    @Test("a tab in a bundle: the German message is German throughout, the English one unchanged")
    func tabInABundle() throws {
        let bundle = try TempBundle(replacing: [("apiVersion: consentgate/v1", "apiVersion: consentgate/v1\n\tid: x")])
        defer { bundle.remove() }
        let p = try #require(bundle.problems.first)
        #expect(p.code == "yaml-syntax")
        #expect(p.message.de.hasPrefix("YAML-Syntaxfehler: ") && !p.message.de.contains("found ") && !p.message.de.contains("did not"), "\(p.message.de)")
        #expect(p.message.en.hasPrefix("YAML syntax error: found"), "\(p.message.en)")
    }

    /// The English text gets the hints the German words give; every hint belongs to a problem libyaml defines.
    @Test func theEnglishTextGetsTheGermanHints() {
        #expect(YAMLSyntaxWords.problem("did not find expected key", in: .en) == "did not find expected key (check the indentation, or a quotation mark left open above)")
        #expect(YAMLSyntaxWords.problem("did not find expected key", in: .de).contains("weiter oben nicht geschlossenes Anführungszeichen"))
        for key in YAMLSyntaxWords.englishHints.keys { #expect(YAMLSyntaxWords.german[key] != nil, "\(key)") }
    }
}
