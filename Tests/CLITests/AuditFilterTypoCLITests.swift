import Foundation
import TestFolders
import Testing

/// A filter value no entry of the log carries gives an error naming it and what was probably meant (exit 3), not an
/// empty answer that reads as "nothing recorded"; a name typed for a case id is refused the same way. Found in a
/// black-box review: `audit log --partner jobcentre`, `--subject "Max Mustermann"` and `consent list --subject "Max
/// Mustermann"` answered empty with exit 0, while `check` refuses the same typos.
@Suite struct AuditFilterTypoCLITests {
    @Test func aTypoIsNamedAndAnEmptyCombinationIsNot() throws {
        let folder = try TemporaryDirectory("cli-audit-typo")
        let db = ["--demo", "--db", folder.path + "/cg.sqlite"]
        let check = try CLIRunner.run(["check", "--subject", "RSK-2022-000001", "--partner", "jobcenter", "--purpose", "job-placement",
                                       "--fields", "name.family"] + db, environment: ["CONSENTGATE_ACTOR": "kreis-fallmanagement"])
        #expect(check.exitCode == 0, "\(check)")

        let typo = try CLIRunner.run(["audit", "log", "--partner", "jobcentre"] + db)
        #expect(typo.exitCode == 3, "\(typo)")
        #expect(typo.stderr.contains("--partner \"jobcentre\": neither the policy in force nor any entry of the log knows this value, hence nothing found; did you mean \"jobcenter\""), "\(typo)")
        let german = try CLIRunner.run(["audit", "stats", "--municipality", "Trosdorf"] + db, environment: ["CONSENTGATE_LANG": "de"])
        #expect(german.exitCode == 3, "\(german)")
        #expect(german.stderr.contains("--municipality „Trosdorf“: weder die geltende Richtlinie noch ein Eintrag des Protokolls kennt diesen Wert, daher keine Treffer; gemeint ist wohl „Troisdorf“"), "\(german)")

        // A partner of the policy nothing went to yet is a real empty answer (review: `--partner schulamt` was exit 3).
        let known = try CLIRunner.run(["audit", "stats", "--partner", "schulamt"] + db)
        #expect(known.exitCode == 0 && known.stderr.isEmpty, "\(known)")
        // An actor no entry names may be an account that never acted: a hint, no refusal.
        let actor = try CLIRunner.run(["audit", "log", "--by-actor", "kreis-fallmanagment"] + db, environment: ["CONSENTGATE_LANG": "de"])
        #expect(actor.exitCode == 0, "\(actor)")
        #expect(actor.stderr.contains("Hinweis: --by-actor „kreis-fallmanagment“: kein Eintrag des Protokolls stammt von diesem Akteur; gemeint ist wohl „kreis-fallmanagement“"), "\(actor)")

        // The value is carried, only not in this combination: an empty answer, as before.
        let empty = try CLIRunner.run(["audit", "log", "--partner", "jobcenter", "--kind", "disclosure"] + db)
        #expect(empty.exitCode == 0 && empty.stderr.isEmpty, "\(empty)")
        #expect(empty.stdout.split(separator: "\n").count == 1, "the header only: \(empty)")
        // Every read is logged, the refused ones too (the read happened, with no result).
        let reads = try CLIRunner.runTool("sqlite3", [folder.path + "/cg.sqlite", "SELECT count(*) FROM audit_entry WHERE kind = 'audit-read';"])
        #expect(reads.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "5", "\(reads)")
    }

    /// An empty `--kind` entry is named (exit 2): `--kind ""` listed every kind, the opposite of a filter (a review).
    @Test(arguments: [("", "--kind: entry 1 of 1 is empty"), ("decision,,consent-granted", "--kind: entry 2 of 3 is empty"),
                      ("decision,", "--kind: entry 2 of 2 is empty")])
    func anEmptyKindIsNamed(_ kinds: String, _ message: String) throws {
        let folder = try TemporaryDirectory("cli-audit-kind")
        let db = ["--demo", "--db", folder.path + "/cg.sqlite"]
        #expect(try CLIRunner.run(["users", "add", "--name", "admin", "--role", "admin"] + db).exitCode == 0)
        let r = try CLIRunner.run(["audit", "log", "--kind", kinds] + db)
        #expect(r.exitCode == 2 && r.stderr.contains(message), "\(r)")
        #expect(r.stdout.isEmpty, "nothing listed: \(r)")
        let spaced = try CLIRunner.run(["audit", "log", "--kind", "decision, account-event"] + db)
        #expect(spaced.exitCode == 0, "entries are trimmed: \(spaced)")
    }

    @Test(arguments: [["audit", "log"], ["audit", "stats"], ["consent", "list"]])
    func aNameIsNoCaseID(_ command: [String]) throws {
        let folder = try TemporaryDirectory("cli-audit-name")
        let db = ["--demo", "--db", folder.path + "/cg.sqlite"]
        #expect(try CLIRunner.run(["users", "add", "--name", "admin", "--role", "admin"] + db).exitCode == 0)
        let r = try CLIRunner.run(command + ["--subject", "Max Mustermann"] + db)
        #expect(r.exitCode == 3, "\(r)")
        #expect(r.stderr.contains("--subject: \"Max Mustermann\" is not a case id"), "\(r)")
    }
}
