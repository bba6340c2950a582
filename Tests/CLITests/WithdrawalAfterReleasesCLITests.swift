import Foundation
import Testing

/// `consent withdraw --at` a time before releases the audit log records on that consent (a letter typed in late) warns,
/// naming each release and what to do (GDPR Art. 19 and 33), and lists them in `--json`; a withdrawal with nothing
/// released after it says nothing more (found in a domain review: such a withdrawal was accepted without a word). The
/// withdrawal itself is recorded either way (exit 0).
@Suite struct WithdrawalAfterReleasesCLITests {
    func grant(_ inst: CLIInstallation, _ subject: String, clauses: String = "jobcenter",
               grantedAt: String) throws -> String {
        let r = try inst.run(["consent", "grant", "--subject", subject, "--clauses", clauses, "--collected-by", "cm.siegburg.1",
                              "--municipality", "Siegburg", "--birth-date", "1980-01-01", "--granted-at", grantedAt, "--json"])
        #expect(r.exitCode == 0, "\(r)")
        return try #require(r.json?["id"] as? String)
    }

    @Test func aBackDatedWithdrawalNamesTheReleasesAfterIt() throws {
        let inst = try CLIInstallation()
        defer { inst.remove() }
        // Checked now: a consent in force today (signed 60 days ago), withdrawn as of 50 days ago.
        let id = try grant(inst, "RSK-2026-000801", grantedAt: RecentTime.daysAgo(60))
        let withdrawnAt = RecentTime.daysAgo(50)
        let check = try inst.run(["check", "--subject", "RSK-2026-000801", "--partner", "jobcenter", "--purpose", "job-placement",
                                  "--fields", "name.family", "--referral", "REF-1", "--json"])
        #expect(check.exitCode == 0 && check.stdout.contains("\"released\":[\"name.family\"]"), "\(check)")
        let withdraw = try inst.run(["consent", "withdraw", id, "--at", withdrawnAt, "--json"])
        #expect(withdraw.exitCode == 0, "\(withdraw)")
        #expect(withdraw.stderr.contains("warning: after the time of the withdrawal (\(withdrawnAt.dropLast())"), "\(withdraw.stderr)")
        #expect(withdraw.stderr.contains("1 release(s) on this consent") && withdraw.stderr.contains("jobcenter: name.family; via REF-1"), "\(withdraw.stderr)")
        #expect(withdraw.stderr.contains("GDPR Art. 19"), "\(withdraw.stderr)")
        let after = try #require(withdraw.json?["released-after-withdrawal"] as? [[String: Any]], "\(withdraw.stdout)")
        #expect(after.count == 1 && after.first?["partner"] as? String == "jobcenter")
    }

    @Test func aWithdrawalWithNothingReleasedAfterItSaysNothingMore() throws {
        let inst = try CLIInstallation()
        defer { inst.remove() }
        let id = try grant(inst, "RSK-2026-000802", grantedAt: RecentTime.daysAgo(30))
        _ = try inst.run(["check", "--subject", "RSK-2026-000802", "--partner", "jobcenter", "--purpose", "job-placement", "--fields", "name.family"])
        let withdraw = try inst.run(["consent", "withdraw", id, "--json"])
        #expect(withdraw.exitCode == 0 && withdraw.stderr.isEmpty, "\(withdraw)")
        #expect((withdraw.json?["released-after-withdrawal"] as? [Any])?.isEmpty == true, "\(withdraw.stdout)")
    }

    /// After the warning, the DPO's tools say it too (DPO review, session 35: the Art. 15 report named the consent as the
    /// basis of such a release, and `audit explain` said "same result today"): the report marks the row, in JSON and HTML
    /// (row and overview), and `audit explain` names the withdrawal recorded after the decision that counts from before it.
    /// Counted by the time a release was logged, as the warning counts: a check made for a moment before the withdrawal's
    /// time (`--at`) but logged after it is marked too (its data could go out only when it was made). A withdrawal recorded
    /// now, and one of a line the release did not go on, mark nothing; a line and then the whole consent name it once.
    @Test(arguments: [(backDated: true, lines: nil as String?, thenWhole: false, marked: true),
                      (backDated: true, lines: "sprachkurs", thenWhole: false, marked: false),
                      (backDated: true, lines: "jobcenter", thenWhole: false, marked: true),
                      (backDated: true, lines: "jobcenter", thenWhole: true, marked: true),
                      (backDated: false, lines: nil, thenWhole: false, marked: false)])
    func theReportAndExplainMarkAReleaseAfterABackDatedWithdrawal(backDated: Bool, lines: String?, thenWhole: Bool, marked: Bool) throws {
        let inst = try CLIInstallation()
        defer { inst.remove() }
        let subject = "RSK-2026-000803"
        // Days before now, so that the consent is in force today whenever the test runs (it was signed on a fixed 2026 day).
        let withdrawnAt = backDated ? RecentTime.daysAgo(50) : nil
        let id = try grant(inst, subject, clauses: "jobcenter,sprachkurs", grantedAt: RecentTime.daysAgo(60))
        // Two releases logged now: one checked for a moment before the withdrawal's time (`--at`), one for now.
        let before = try inst.run(["check", "--subject", subject, "--partner", "jobcenter", "--purpose", "job-placement",
                                   "--fields", "name.family", "--referral", "REF-0", "--at", RecentTime.daysAgo(55), "--json"])
        let after = try inst.run(["check", "--subject", subject, "--partner", "jobcenter", "--purpose", "job-placement",
                                  "--fields", "name.family", "--referral", "REF-1", "--json"])
        let beforeIndex = try #require((before.json?["audit"] as? [String: Any])?["index"] as? Int, "\(before)")
        let afterIndex = try #require((after.json?["audit"] as? [String: Any])?["index"] as? Int, "\(after)")
        let withdraw = try inst.run(["consent", "withdraw", id, "--json"] + (withdrawnAt.map { ["--at", $0] } ?? [])
                                    + (lines.map { ["--clause", $0] } ?? []))
        #expect(withdraw.exitCode == 0, "\(withdraw)")
        let withdrawalIndex = try #require((withdraw.json?["audit"] as? [String: Any])?["index"] as? Int, "\(withdraw)")
        // The warning names the same releases the report marks.
        #expect((withdraw.json?["released-after-withdrawal"] as? [Any])?.count == (marked ? 2 : 0), "\(withdraw.stdout)")
        if thenWhole {
            let whole = try inst.run(["consent", "withdraw", id, "--at", RecentTime.daysAgo(40)])
            #expect(whole.exitCode == 0, "\(whole)")
        }

        let report = try inst.run(["audit", "report", "--subject", subject, "--json"])
        let recipients = try #require(report.json?["recipients"] as? [[String: Any]], "\(report)")
        let rows = Dictionary(uniqueKeysWithValues: recipients.map { ($0["entry"] as? Int ?? -1, $0) })
        for index in [beforeIndex, afterIndex] {
            let mark = rows[index]?["after-withdrawal"] as? [[String: Any]]
            #expect((mark != nil) == marked, "entry \(index): \(report.stdout)")
            guard marked else { continue }
            #expect(mark?.count == 1, "named once, by the earliest withdrawal: \(report.stdout)")
            #expect(mark?.first?["entry"] as? Int == withdrawalIndex && mark?.first?["consent"] as? String == id)
            #expect(mark?.first?["withdrawn-at"] as? String == withdrawnAt && mark?.first?["fields"] as? [String] == ["name.family"])
            #expect(mark?.first?["clauses"] as? [String] == lines.map { [$0] }, "\(report.stdout)")
        }
        // Every row names the policy it was decided under.
        #expect((rows[afterIndex]?["policy"] as? [String: Any])?["version"] as? String != nil, "\(report.stdout)")
        for (lang, words) in [("en", "Without a legal basis: Family name (name.family)"), ("de", "Ohne Rechtsgrundlage: Familienname (name.family)")] {
            let html = try inst.run(["audit", "report", "--subject", subject, "--lang", lang])
            #expect(html.exitCode == 0)
            #expect(html.stdout.contains(words) == marked, "\(html.stdout)")
            #expect(html.stdout.contains(SubjectReportWords.overview(lang)) == marked, "\(html.stdout)")
            // A whole withdrawal's row names no lines of its own: it says all of them (C8), a withdrawal of lines names them.
            #expect(html.stdout.contains(lang == "de" ? "<td>alle Zeilen</td>" : "<td>all lines</td>") == (lines == nil || thenWhole), "\(html.stdout)")
        }

        for index in [beforeIndex, afterIndex] {
            let explained = try inst.run(["audit", "explain", "--index", String(index), "--json"])
            let since = try #require(explained.json?["withdrawn-since"] as? [[String: Any]], "\(explained)")
            #expect(since.count == (marked ? 1 : 0), "\(explained.stdout)")
            if marked { #expect(since.first?["entry"] as? Int == withdrawalIndex && since.first?["fields"] as? [String] == ["name.family"]) }
        }
        let text = try inst.run(["audit", "explain", "--index", String(afterIndex), "--lang", "en"])
        #expect(text.stdout.contains("Attention: recorded after this decision") == marked, "\(text.stdout)")
        #expect(text.stdout.contains("The field name.family went out without a legal basis") == marked, "\(text.stdout)")
    }
}

extension WithdrawalAfterReleasesCLITests {
    /// A recorded withdrawal lists the partners that received data on the consent through referrals (whom the case
    /// manager tells, GDPR Art. 19): after a withdrawal of one line only the partner under that line, after the whole
    /// consent those under the lines left (DPO review, session 35: nothing listed them). A repeated whole withdrawal lists none.
    @Test func aWithdrawalListsTheReferralRecipientsOfTheConsent() throws {
        let inst = try CLIInstallation()
        defer { inst.remove() }
        let subject = "RSK-2026-000804"
        let id = try grant(inst, subject, clauses: "jobcenter,sprachkurs", grantedAt: RecentTime.daysAgo(30))
        for (partner, purpose, referral) in [("jobcenter", "job-placement", "REF-J"), ("sprachkurstraeger", "language-course", "REF-S")] {
            let r = try inst.run(["check", "--subject", subject, "--partner", partner, "--purpose", purpose, "--fields", "name.family",
                                  "--referral", referral, "--json"])
            #expect(r.exitCode == 0 && r.stdout.contains("\"released\":[\"name.family\"]"), "\(r)")
        }
        let line = try inst.run(["consent", "withdraw", id, "--clause", "sprachkurs", "--json"])
        let lineRecipients = try #require(line.json?["referral-recipients"] as? [[String: Any]], "\(line)")
        #expect(lineRecipients.map { $0["partner"] as? String } == ["sprachkurstraeger"], "\(line.stdout)")
        #expect(lineRecipients.first?["referrals"] as? [String] == ["REF-S"] && lineRecipients.first?["fields"] as? [String] == ["name.family"])
        let whole = try inst.run(["consent", "withdraw", id, "--lang", "en"])
        #expect(whole.exitCode == 0, "\(whole)")
        #expect(whole.stdout.contains("These partners received data on the basis of this consent through referrals; please tell them (GDPR Art. 19"), "\(whole.stdout)")
        #expect(whole.stdout.contains("  jobcenter: name.family (entries ") && whole.stdout.contains("; referral REF-J)"), "\(whole.stdout)")
        // The language course provider was listed with its line; the whole withdrawal lists only the lines left.
        #expect(!whole.stdout.contains("sprachkurstraeger"), "\(whole.stdout)")
        let again = try inst.run(["consent", "withdraw", id, "--json"])
        #expect((again.json?["referral-recipients"] as? [Any])?.isEmpty == true, "\(again.stdout)")
    }
}

/// The report's words for an overview line of releases after a withdrawal, as a reader sees them.
enum SubjectReportWords {
    static func overview(_ lang: String) -> String {
        lang == "de" ? "ohne Rechtsgrundlage: nach einem Widerruf" : "without a legal basis: after a withdrawal"
    }
}
