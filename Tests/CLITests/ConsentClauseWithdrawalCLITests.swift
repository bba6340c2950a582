import Foundation
import Testing

/// `consent withdraw ID --clause X` through the built binary: the lines withdrawn with their own times, shown by
/// `consent show` and `list` (text and `--json`), the refusals (exit 3, German and English, naming the line, nothing
/// stored or logged), the warning about releases after a back-dated withdrawal counting only the withdrawn line's.
@Suite struct ConsentClauseWithdrawalCLITests {
    func withdraw(_ inst: CLIInstallation, _ id: String, _ clauses: [String], at: String, extra: [String] = []) throws -> CLIResult {
        try inst.run(["consent", "withdraw", id, "--at", at, "--recorded-by", "cm.troisdorf.1", "--municipality", "Troisdorf"]
                     + clauses.flatMap { ["--clause", $0] } + (extra.contains("--lang") ? extra : extra + ["--lang", "de"]))
    }

    @Test func linesWithdrawnShownAndRefused() throws {
        let inst = try CLIInstallation()
        defer { inst.remove() }
        let (_, granted) = try inst.grant(clauses: "jobcenter,jobcenter-gesundheit")
        let id = try #require(granted["id"] as? String)
        // A decision after the time the withdrawal will be dated: released name.family (Jobcenter line) and health.notes.
        let decided = try inst.check(fields: "name.family,health.notes", at: "2026-07-01T10:00:00Z")
        #expect((decided.json?["released"] as? [String]) == ["name.family", "health.notes"], "\(decided)")

        let first = try withdraw(inst, id, ["jobcenter-gesundheit"], at: "2026-06-01T00:00:00Z", extra: ["--json"])
        #expect(first.exitCode == 0, "\(first)")
        #expect(first.json?["clauses"] as? [String] == ["jobcenter-gesundheit"])
        #expect(first.json?["already-withdrawn"] as? Bool == false)
        // Back-dated before the decision: the warning names only the field released under the withdrawn line.
        #expect(first.stderr.contains("widerrufenen Zeilen (jobcenter-gesundheit)") && first.stderr.contains("jobcenter: health.notes"), "\(first)")
        #expect(!first.stderr.contains("name.family"), "\(first)")
        #expect(first.json?["released-after-withdrawal"] as? [[String: Any]] != nil)

        let kinds = try inst.auditKinds()
        for (clauses, words) in [(["jobcenter-gesundheit"], "bereits seit 2026-06-01T00:00:00Z widerrufen"),
                                 (["sozialamt"], "ist nicht erteilt")] {
            for lang in ["de", "en"] {
                let refused = try withdraw(inst, id, clauses, at: "2026-06-15T00:00:00Z", extra: ["--lang", lang])
                #expect(refused.exitCode == 3, "\(refused)")
                #expect(refused.stderr.contains("\"\(clauses[0])\""), "\(refused)")
                if lang == "de" { #expect(refused.stderr.contains(words), "\(refused)") } else {
                    #expect(refused.stderr.contains("line (clause)"), "\(refused)")
                }
            }
        }
        #expect(try inst.auditKinds() == kinds, "nothing logged")
        #expect(try inst.sqlite("SELECT count(*) FROM consent_withdrawal;") == ["1"], "nothing stored")

        let show = try inst.run(["consent", "show", id, "--at", "2026-06-20T00:00:00Z", "--lang", "de"])
        #expect(show.exitCode == 0, "\(show)")
        #expect(show.stdout.contains("gültig") && show.stdout.contains("Zeile jobcenter-gesundheit widerrufen 2026-06-01T00:00:00Z"), "\(show)")
        let english = try inst.run(["consent", "list", "--subject", CLIFixture.subject, "--lang", "en"])
        #expect(english.stdout.contains("line jobcenter-gesundheit withdrawn 2026-06-01T00:00:00Z"), "\(english)")
        let json = try inst.run(["consent", "show", id, "--json"])
        let shown = try #require((try? JSONSerialization.jsonObject(with: Data(json.stdout.utf8))) as? [[String: Any]], "\(json)")
        #expect((shown.first?["withdrawn-clauses"] as? [[String: Any]])?.first?["withdrawn-at"] as? String == "2026-06-01T00:00:00Z")

        // The last line: withdrawn as a whole, from its own time; a whole withdrawal then reports it.
        let last = try withdraw(inst, id, ["jobcenter"], at: "2026-06-10T00:00:00Z")
        #expect(last.exitCode == 0 && last.stdout.contains("Zeilen (Klauseln) jobcenter von \(id) am 2026-06-10T00:00:00Z"), "\(last)")
        let listed = try inst.run(["consent", "list", "--subject", CLIFixture.subject, "--lang", "de"])
        #expect(listed.stdout.contains("  widerrufen  kim-beratung"), "\(listed)")
        #expect(listed.stdout.contains("widerrufen 2026-06-10T00:00:00Z"), "\(listed)")
        let again = try inst.run(["consent", "withdraw", id, "--municipality", "Troisdorf", "--json"])
        #expect(again.exitCode == 0 && again.json?["already-withdrawn"] as? Bool == true, "\(again)")
        #expect(try inst.auditVerify().exitCode == 0)

        // Exported, every withdrawal is a file of its own, earliest first; each verifies, naming its lines.
        let out = inst.path("export")
        let export = try inst.run(["consent", "export", id, "--out", out, "--json"])
        let files = try #require(export.json?["files"] as? [String], "\(export)")
        #expect(files.map { ($0 as NSString).lastPathComponent } == ["consent-\(id).jws.json", "withdrawal-\(id).jws.json",
                                                                      "withdrawal-\(id)-2.jws.json"])
        let verified = try inst.run(["consent", "verify", files[2], "--json"])
        #expect(verified.exitCode == 0 && verified.json?["clauses"] as? [String] == ["jobcenter"], "\(verified)")
    }
}
