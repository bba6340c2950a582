import Foundation
import Testing

/// `audit explain` ends with exit code 4 when the policy of the decision's time does not reproduce it (here: that
/// bundle is no longer in the archive), with `--json` as without: the JSON form used to print `"reproduces": false`
/// and exit 0, so a script checking decisions by exit code took an unexplainable decision for a confirmed one.
@Suite struct AuditExplainExitCodeCLITests {
    @Test func aDecisionThatIsNotReproducedExitsFourWithJSONToo() throws {
        let inst = try CLIInstallation()
        let check = try inst.check(fields: "name.family", at: "2026-03-01T10:00:00Z")
        #expect(check.exitCode == 0, "\(check)")
        let index = try #require((check.json?["audit"] as? [String: Any])?["index"] as? Int, "\(check)")
        let digest = try #require((check.json?["policy"] as? [String: Any])?["digest"] as? String)

        // Today's bundle differs (another version), and the one the decision was made with is gone from the archive.
        let changed = inst.dir.appendingPathComponent("policy-changed")
        try FileManager.default.copyItem(at: CLIRunner.packageRoot.appendingPathComponent("policies/kim-rhein-sieg"), to: changed)
        let policyFile = changed.appendingPathComponent("policy.yaml")
        let text = try String(contentsOf: policyFile, encoding: .utf8)
        let version = try #require(text.split(separator: "\n").first { $0.hasPrefix("version: ") }.map(String.init))
        try Data(text.replacingOccurrences(of: version, with: "version: \"2099-01-01.1\"").utf8).write(to: policyFile)
        _ = try inst.sqlite("DELETE FROM policy_archive WHERE digest = '\(digest)';")

        let json = try inst.run(["audit", "explain", "--index", String(index), "--json", "--policy", changed.path])
        #expect(json.json?["reproduces"] as? Bool == false, "\(json)")
        #expect(json.exitCode == 4, "\(json)")

        let human = try inst.run(["audit", "explain", "--index", String(index), "--policy", changed.path])
        #expect(human.stdout.contains("Archived policy \(digest) not found."), "\(human)")
        #expect(human.exitCode == 4, "\(human)")
    }
}
