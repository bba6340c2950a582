import Foundation
import Testing

/// `serve --demo` with another county's bundle: the demo accounts and data set are made for the shipped bundle, so the
/// command says which bundle lacks what (exit 2) before it creates any account. Before, it failed with "unknown
/// municipality Siegburg", a name the user never typed, after nothing had told them the demo needs it.
@Suite struct ServeDemoBundleCLITests {
    @Test("serve --demo with a bundle lacking Siegburg: exit 2, the bundle and the gap named, no account created",
          arguments: [("en", "the demo data set fits only the shipped policy bundle"), ("de", "Die Demodaten passen nur zum mitgelieferten Richtlinienpaket")])
    func foreignBundle(language: String, words: String) throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let bundle = dir.appendingPathComponent("bundle")
        try FileManager.default.copyItem(at: CLIRunner.packageRoot.appendingPathComponent("policies/kim-rhein-sieg"), to: bundle)
        let policyFile = bundle.appendingPathComponent("policy.yaml")
        let text = try String(contentsOf: policyFile, encoding: .utf8)
        try #require(text.contains("Sankt Augustin, Siegburg, Swisttal"))
        try Data(text.replacingOccurrences(of: "Sankt Augustin, Siegburg, Swisttal", with: "Sankt Augustin, Swisttal").utf8).write(to: policyFile)
        let db = dir.appendingPathComponent("db.sqlite").path
        let r = try CLIRunner.run(["serve", "--demo", "--port", "0", "--db", db, "--policy", bundle.path],
                                  environment: ["CONSENTGATE_LANG": language], timeout: 60)
        #expect(r.exitCode == 2, "\(r)")
        #expect(r.stderr.contains(words) && r.stderr.contains("Siegburg") && r.stderr.contains("kim-rhein-sieg"), "\(r.stderr)")
        #expect(r.stdout.isEmpty, "no URL printed: \(r.stdout)")
        let users = try CLIRunner.run(["users", "list", "--db", db])
        #expect(users.exitCode == 0 && !users.stdout.contains("demo-fallmanagement"), "\(users)")
    }
}
