import Foundation
import TestFolders
import Testing

/// A throw-away installation for the consent, check and explain CLI tests: its own database file in a temporary
/// folder; the shipped policy and demo keys (relative paths from the package root, the working directory).
struct CLIInstallation {
    /// The folder, removed when the test lets go of the installation (or earlier by `remove()`).
    let folder: TemporaryDirectory
    var dir: URL { folder.url }
    let databasePath: String

    init(name: String = "consentgate.sqlite") throws {
        folder = try TemporaryDirectory("cli-test")
        databasePath = folder.url.appendingPathComponent("data/\(name)").path
    }

    func remove() { try? FileManager.default.removeItem(at: dir) }
    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    /// `consentgate ARGS --demo --db DB` (every installation command takes those two options).
    func run(_ arguments: [String], environment: [String: String] = [:]) throws -> CLIResult {
        try CLIRunner.run(arguments + ["--demo", "--db", databasePath], environment: environment)
    }

    /// Creates the installation's database as a first recording command does (`users add` of a DPO account, which
    /// records no person and no consent): `consent verify` answers from what an installation holds and refuses a
    /// database that does not exist (exit 5, `MissingDatabaseCLITests`).
    func create() throws {
        let r = try run(["users", "add", "--name", "cli-test-dpo", "--role", "dpo", "--password-env", "CG_TEST_PASSWORD"],
                        environment: ["CG_TEST_PASSWORD": "a-long-password-2026"])
        try #require(r.exitCode == 0, "\(r)")
    }

    /// `consent grant` with the usual adult in Troisdorf; returns the parsed `--json` output.
    func grant(subject: String = CLIFixture.subject, clauses: String = "jobcenter", grantedAt: String = "2026-01-10T09:00:00Z",
               extra: [String] = []) throws -> (result: CLIResult, json: [String: Any]) {
        let r = try run(["consent", "grant", "--subject", subject, "--clauses", clauses, "--collected-by", "cm.troisdorf.1",
                         "--municipality", "Troisdorf", "--birth-date", "1948-07-18", "--granted-at", grantedAt, "--json"] + extra)
        try #require(r.exitCode == 0, "\(r)")
        return (r, try #require(r.json, "grant --json printed no JSON object: \(r)"))
    }

    /// `check --json` for the jobcenter.
    func check(fields: String, at: String, extra: [String] = []) throws -> CLIResult {
        try run(["check", "--subject", CLIFixture.subject, "--partner", "jobcenter", "--purpose", "job-placement",
                 "--fields", fields, "--at", at, "--json"] + extra)
    }

    /// A query on the database file with the stock `sqlite3` command (one value per line).
    func sqlite(_ sql: String) throws -> [String] {
        let r = try CLIRunner.runTool("sqlite3", ["-cmd", ".timeout 10000", databasePath, sql])
        try #require(r.exitCode == 0, "\(r)")
        return r.stdout.split(separator: "\n").map(String.init)
    }

    /// The kinds of the audit entries, in log order.
    func auditKinds() throws -> [String] { try sqlite("SELECT kind FROM audit_entry ORDER BY idx;") }

    /// `audit verify` with the shipped demo audit-log public key.
    func auditVerify() throws -> CLIResult {
        try CLIRunner.run(["audit", "verify", "--db", databasePath, "--public-key", "keys/demo/audit-log.pub.pem", "--json"])
    }
}

/// Values shared by the consent CLI tests.
enum CLIFixture {
    static let subject = "RSK-2022-000002"

    /// What the first open of a fresh demo installation logs: `policy-loaded`, then one `key-event` (`trusted`)
    /// per key of the shipped trust store.
    static var openingKinds: [String] {
        let trust = (try? String(contentsOfFile: "keys/trust.yaml", encoding: .utf8)) ?? ""
        return ["policy-loaded"] + Array(repeating: "key-event", count: trust.components(separatedBy: "- kid:").count - 1)
    }

    /// One field object of a decision's `fields` array, by field id.
    static func field(_ decision: [String: Any]?, _ id: String) -> [String: Any]? {
        (decision?["fields"] as? [[String: Any]])?.first { $0["field"] as? String == id }
    }
}
