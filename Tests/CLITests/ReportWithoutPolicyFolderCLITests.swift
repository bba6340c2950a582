import Foundation
import TestFolders
import Testing

/// `audit report` answers an Art. 15 request while today's policy folder does not load (a half-finished edit): it names
/// rows from the policy archive and says on standard error that the folder does not load, instead of refusing with
/// exit 3 as before (found in a review of the DPO's year). A folder named with `--policy` must still load. `audit
/// explain` likewise explains with the archived policy last in force as "today's".
@Suite struct ReportWithoutPolicyFolderCLITests {
    let folder: TemporaryDirectory
    let work: URL
    let database: String

    /// A working folder with the demo keys and a copy of the shipped policy, where the relative default paths point.
    init() throws {
        folder = try TemporaryDirectory("cli-report-folder")
        work = folder.url
        let fm = FileManager.default
        try fm.createSymbolicLink(at: work.appendingPathComponent("keys"), withDestinationURL: CLIRunner.packageRoot.appendingPathComponent("keys"))
        try fm.createDirectory(at: work.appendingPathComponent("policies"), withIntermediateDirectories: true)
        try fm.copyItem(at: CLIRunner.packageRoot.appendingPathComponent("policies/kim-rhein-sieg"),
                        to: work.appendingPathComponent("policies/kim-rhein-sieg"))
        database = work.appendingPathComponent("data/consentgate.sqlite").path
    }

    func run(_ arguments: [String]) throws -> CLIResult {
        try CLIRunner.run(arguments + ["--demo", "--db", database], workingDirectory: work)
    }

    /// A consent and a releasing check recorded while the folder loads; returns the check's audit index.
    @discardableResult
    func record() throws -> Int {
        let grant = try run(["consent", "grant", "--subject", CLIFixture.subject, "--clauses", "jobcenter", "--collected-by", "cm.troisdorf.1",
                             "--municipality", "Troisdorf", "--birth-date", "1948-07-18", "--granted-at", "2026-01-10T09:00:00Z"])
        try #require(grant.exitCode == 0, "\(grant)")
        let check = try run(["check", "--subject", CLIFixture.subject, "--partner", "jobcenter", "--purpose", "job-placement",
                             "--fields", "name.family", "--at", "2026-03-01T10:00:00Z", "--json"])
        try #require(check.exitCode == 0, "\(check)")
        return try #require((check.json?["audit"] as? [String: Any])?["index"] as? Int, "\(check)")
    }

    @Test func explainUsesThePolicyLastInForceWhileTheFolderDoesNotLoad() throws {
        let index = try record()
        try Data("rules:\n  - id: half-finished\n".utf8).write(to: work.appendingPathComponent("policies/kim-rhein-sieg/zz-edit.yaml"))
        let entries = try CLIRunner.runTool("sqlite3", [database, "SELECT count(*) FROM audit_entry;"]).stdout
        let r = try run(["audit", "explain", "--index", String(index), "--lang", "en"])
        #expect(r.exitCode == 0, "\(r)")
        #expect(r.stderr.contains("note: the policy folder policies/kim-rhein-sieg does not load (3 problems;"), "\(r)")
        #expect(r.stderr.contains("\"today\" here is the policy last in force"), "\(r)")
        #expect(r.stdout.contains("With the policy of the time: same result."), "\(r)")
        #expect(r.stdout.contains("With today's policy: same result."), "\(r)")
        // The read is logged (one `audit-read` entry), and no policy change: the archived policy is the one in force.
        let after = try CLIRunner.runTool("sqlite3", [database, "SELECT kind FROM audit_entry WHERE idx > \(Int(entries.trimmingCharacters(in: .whitespacesAndNewlines))! - 1) ORDER BY idx;"]).stdout
        #expect(after.split(separator: "\n").map(String.init) == ["audit-read"], "\(after)")
    }

    @Test(arguments: ["en", "de"])
    func theReportIsGivenWhileTheFolderDoesNotLoad(_ lang: String) throws {
        try record()
        let before = try run(["audit", "report", "--subject", CLIFixture.subject, "--lang", lang])
        #expect(before.exitCode == 0 && before.stderr.isEmpty, "\(before)")
        // A half-finished edit: a rule without its keys.
        try Data("rules:\n  - id: half-finished\n".utf8).write(to: work.appendingPathComponent("policies/kim-rhein-sieg/zz-edit.yaml"))
        let during = try run(["audit", "report", "--subject", CLIFixture.subject, "--lang", lang])
        #expect(during.exitCode == 0, "\(during)")
        #expect(during.stderr.contains(lang == "en" ? "note: the policy folder policies/kim-rhein-sieg does not load"
                                                    : "Hinweis: der Richtlinienordner policies/kim-rhein-sieg lädt nicht"), "\(during)")
        #expect(during.stderr.contains("consentgate policy check policies/kim-rhein-sieg"), "\(during)")
        // The same rows, named as before (the archive holds the policy they were decided under).
        for name in lang == "en" ? ["Jobcentre", "Job placement"] : ["Jobcenter", "Arbeitsvermittlung"] {
            #expect(during.stdout.contains(name), "\(name)")
        }
        #expect(during.stdout.components(separatedBy: "<tr").count == before.stdout.components(separatedBy: "<tr").count)
        // Named with --policy, a folder that does not load is still refused.
        let named = try run(["audit", "report", "--subject", CLIFixture.subject, "--policy", "policies/kim-rhein-sieg"])
        #expect(named.exitCode == 3, "\(named)")
    }

    /// Without any policy folder (the DPO's own machine, `--db` a copy), a row whose policy the archive does not hold
    /// (an installation whose archive began later) is named by the archived policy last in force, no longer by id.
    @Test func withoutAFolderTheArchivedPolicyInForceNamesTheRows() throws {
        try record()
        let archived = try CLIRunner.runTool("sqlite3", [database, "SELECT digest FROM policy_current;"]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        // A new version comes into force (any command opening the installation archives it) ...
        let policyFile = work.appendingPathComponent("policies/kim-rhein-sieg/policy.yaml")
        let text = try String(contentsOf: policyFile, encoding: .utf8)
        let version = try #require(text.firstMatch(of: /\nversion: *"?([^"\n]+)"?\n/)?.1)
        try Data(text.replacingOccurrences(of: String(version), with: "\(version)-b").utf8).write(to: policyFile)
        let opened = try run(["consent", "list", "--subject", CLIFixture.subject])
        try #require(opened.exitCode == 0, "\(opened)")
        // ... and the first version's archive row is gone: only the fallback can name the check's row.
        let deleted = try CLIRunner.runTool("sqlite3", [database, "DELETE FROM policy_archive WHERE digest = '\(archived)';"])
        try #require(deleted.exitCode == 0, "\(deleted)")
        try FileManager.default.removeItem(at: work.appendingPathComponent("policies"))
        let r = try run(["audit", "report", "--subject", CLIFixture.subject, "--json", "--lang", "en"])
        #expect(r.exitCode == 0 && r.stderr.isEmpty, "\(r)")
        #expect(r.stdout.contains("Jobcentre"), "\(r.stdout)")
    }
}
