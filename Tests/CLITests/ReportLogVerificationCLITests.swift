import Foundation
import TestFolders
import Testing

/// `audit report` checks the log first, as `audit verify` does: a report drawn from a log changed with sqlite3 (an
/// entry's bytes, or a stored consent row the log recorded otherwise) is written, but the command says so on standard
/// error and exits 4; the DPO's report page warned, the command printed the report with exit 0 (carried since session 38).
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3")))
struct ReportLogVerificationCLITests {
    let folder: TemporaryDirectory
    let database: String

    init() throws {
        folder = try TemporaryDirectory("cli-report-verify")
        database = folder.url.appendingPathComponent("consentgate.sqlite").path
        let grant = try run(["consent", "grant", "--subject", CLIFixture.subject, "--clauses", "jobcenter", "--collected-by", "cm.troisdorf.1",
                             "--municipality", "Troisdorf", "--birth-date", "1948-07-18", "--granted-at", "2026-01-10T09:00:00Z"])
        try #require(grant.exitCode == 0, "\(grant)")
        let check = try run(["check", "--subject", CLIFixture.subject, "--partner", "jobcenter", "--purpose", "job-placement",
                             "--fields", "name.family", "--at", "2026-03-01T10:00:00Z"])
        try #require(check.exitCode == 0, "\(check)")
    }

    func run(_ arguments: [String]) throws -> CLIResult {
        try CLIRunner.run(arguments + ["--demo", "--db", database])
    }

    func report(_ lang: String, _ extra: [String] = []) throws -> CLIResult {
        try run(["audit", "report", "--subject", CLIFixture.subject, "--lang", lang] + extra)
    }

    /// Ways to change the database behind the log's back, and what `audit verify` names for each.
    struct Tampering: Sendable, CustomStringConvertible {
        let description: String
        let sql: String
        let named: [String: String]
        /// The change leaves the log taking no entry (`AppendBase`): the read cannot be recorded.
        var appendRefused = false
    }

    static let tamperings = [
        Tampering(description: "a decision entry's fields",
                  sql: "DROP TRIGGER audit_entry_no_update; UPDATE audit_entry SET entry = CAST(replace(CAST(entry AS TEXT), 'name.family', 'name.given') AS BLOB) WHERE kind = 'decision';",
                  named: ["en": "was changed", "de": "wurde verändert"]),
        Tampering(description: "a stored consent's expiry",
                  sql: "DROP TRIGGER consent_no_update; UPDATE consent SET expires_at = '2099-01-01T00:00:00Z';",
                  named: ["en": "consent", "de": "Einwilligung"]),
        Tampering(description: "the newest checkpoint deleted",
                  sql: "DROP TRIGGER audit_checkpoint_no_delete; DELETE FROM audit_checkpoint WHERE tree_size = (SELECT max(tree_size) FROM audit_checkpoint);",
                  named: ["en": "not covered by any signed checkpoint", "de": "von keinem signierten Checkpoint gedeckt"], appendRefused: true),
    ]

    @Test(arguments: tamperings, ["en", "de"])
    func aReportFromAnAlteredLogIsWrittenWithTheProblemAndExit4(_ tampering: Tampering, _ lang: String) throws {
        let intact = try report(lang)
        #expect(intact.exitCode == 0 && intact.stderr.isEmpty, "\(intact)")
        let changed = try CLIRunner.runTool("sqlite3", [database, tampering.sql])
        try #require(changed.exitCode == 0, "\(changed)")

        let r = try report(lang)
        #expect(r.exitCode == 4, "\(r)")
        #expect(r.stderr.contains(lang == "en" ? "the report was written, but the audit log fails verification:"
                                               : "Die Auskunft wurde erstellt, aber das Audit-Protokoll besteht die Prüfung nicht:"), "\(r)")
        #expect(r.stderr.contains(tampering.named[lang]!), "\(r)")
        // The report itself is still there (an Art. 15 request has a deadline).
        #expect(r.stdout.contains("<tr") && r.stdout.contains(lang == "en" ? "Jobcentre" : "Jobcenter"), "\(r)")

        // A log that takes no entry: the report all the same, without its read recorded, and said so.
        let unrecorded = lang == "en" ? "This read is not recorded in the log" : "Diese Abfrage ist nicht im Protokoll verzeichnet"
        #expect(r.stderr.contains(unrecorded) == tampering.appendRefused, "\(r)")

        // Asked not to check, the command answers as before, unless the log refuses to record the read.
        let unchecked = try report(lang, ["--no-verify"])
        if tampering.appendRefused {
            #expect(unchecked.exitCode == 4 && unchecked.stderr.contains(unrecorded) && unchecked.stdout.contains("<tr"), "\(unchecked)")
        } else {
            #expect(unchecked.exitCode == 0 && unchecked.stderr.isEmpty, "\(unchecked)")
        }
    }

    /// Written to a file, the report is there beside the exit code 4.
    @Test func theOutputFileIsWrittenBesideTheWarning() throws {
        let changed = try CLIRunner.runTool("sqlite3", [database, Self.tamperings[0].sql])
        try #require(changed.exitCode == 0, "\(changed)")
        let file = folder.url.appendingPathComponent("report.json").path
        let r = try report("en", ["--json", "--output", file])
        #expect(r.exitCode == 4 && r.stderr.contains("fails verification"), "\(r)")
        let written = try String(contentsOfFile: file, encoding: .utf8)
        #expect(written.contains("\"subject\""), "\(written)")
    }
}
