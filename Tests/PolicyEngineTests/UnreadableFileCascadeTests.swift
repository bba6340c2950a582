import Foundation
import TestFolders
import Testing
@testable import PolicyEngine

/// A file of the shipped bundle that cannot be read or parsed is the one problem reported, not buried under what its
/// missing sections make of the other files (found in a review: one YAML syntax error in `rules.yaml` gave 41
/// problems, an invalid UTF-8 `policy.yaml` 530, the real one first). Once it reads, the rest is checked again.
@Suite struct UnreadableFileCascadeTests {
    enum Damage: String, CaseIterable, Sendable {
        case syntaxErrorInRules, invalidUTF8InPolicy, invalidUTF8InTemplates
    }

    @Test(arguments: Damage.allCases)
    func onlyTheUnreadableFileIsReported(_ damage: Damage) throws {
        let folder = try TemporaryDirectory("cg-policy-cascade")
        let bundle = folder.url.appendingPathComponent("bundle")
        try FileManager.default.copyItem(at: Fixture.shipped, to: bundle)
        #expect(Fixture.problems(bundle).isEmpty, "the shipped bundle loads")
        let file: String
        switch damage {
        case .syntaxErrorInRules:
            file = "rules.yaml"
            let path = bundle.appendingPathComponent(file).path
            try (try String(contentsOfFile: path, encoding: .utf8) + "\n  - id: broken\n   when: [unclosed\n").write(toFile: path, atomically: true, encoding: .utf8)
        case .invalidUTF8InPolicy, .invalidUTF8InTemplates:
            file = damage == .invalidUTF8InPolicy ? "policy.yaml" : "consent-templates.yaml"
            let url = bundle.appendingPathComponent(file)
            var data = try Data(contentsOf: url)
            data.append(contentsOf: [0x0A, 0x23, 0x20, 0xC3, 0x28, 0x0A])   // "# " and a broken two-byte sequence
            try data.write(to: url)
        }
        let problems = Fixture.problems(bundle)
        #expect(!problems.isEmpty)
        #expect(problems.count <= 3, "\(problems.count) problems: \(problems)")
        #expect(problems.allSatisfy { $0.location?.file.hasSuffix(file) == true }, "\(problems)")
    }
}
