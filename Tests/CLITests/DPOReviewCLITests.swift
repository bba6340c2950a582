import Foundation
import Testing

/// The data protection officer's reads on the command line, from the review of the DPO workflows: every read of
/// the log is itself logged (`audit-read`), once, with what was asked.
@Suite struct DPOReviewCLITests {
    /// The `audit-read` entries of an installation, oldest first, as JSON objects (`audit log --json` would log one more).
    static func auditReads(_ inst: CLIInstallation) throws -> [[String: Any]] {
        try inst.sqlite("SELECT entry FROM audit_entry WHERE kind = 'audit-read' ORDER BY idx;").compactMap {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }

    @Test func explainingADecisionIsLoggedAsOneAuditRead() throws {
        let inst = try CLIInstallation()
        defer { inst.remove() }
        _ = try inst.grant()
        let check = try inst.check(fields: "name.family,health.notes", at: "2026-03-01T10:00:00Z")
        #expect(check.exitCode == 0, "\(check)")
        let index = try #require((check.json?["audit"] as? [String: Any])?["index"] as? Int, "\(check)")
        #expect(try Self.auditReads(inst).isEmpty)

        let explained = try inst.run(["audit", "explain", "--index", String(index), "--json"])
        #expect(explained.exitCode == 0, "\(explained)")
        let reads = try Self.auditReads(inst)
        #expect(reads.count == 1, "audit explain reads a decision (subject, partner, fields) and must log that read: \(reads)")
        let content = reads.first?["content"] as? [String: Any]
        #expect(content?["command"] as? String == "audit explain")
        #expect((content?["filters"] as? [String: String]) == ["index": String(index)])
        #expect(content?["results"] as? Int == 1)

        let human = try inst.run(["audit", "explain", "--index", String(index), "--lang", "en"])
        #expect(human.exitCode == 0, "\(human)")
        #expect(try Self.auditReads(inst).count == 2)
    }

    /// The table of `audit log` says what each entry is about, not only for decisions and disclosures: a consent's id and
    /// clauses, a withdrawal's consent, the bundle and version a `policy-loaded` entry put in force, the command and filters
    /// of an earlier read. Before, the last column was empty for every other kind, so a DPO reviewing a person's
    /// withdrawals or the policy changes saw only times.
    @Test func theLogTableNamesWhatEachEntryIsAbout() throws {
        let inst = try CLIInstallation()
        defer { inst.remove() }
        let id = try #require(try inst.grant().json["id"] as? String)
        #expect(try inst.run(["consent", "withdraw", id]).exitCode == 0)
        _ = try inst.run(["audit", "log", "--subject", CLIFixture.subject, "--json"])
        let table = try inst.run(["audit", "log", "--kind", "policy-loaded,consent-granted,consent-withdrawn,audit-read"])
        #expect(table.exitCode == 0, "\(table)")
        let rows = table.stdout.split(separator: "\n").map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        #expect(rows.first?.last == "fields / details", "\(table)")
        func details(_ kind: String) -> String? { rows.first { $0.count > 2 && $0[2] == kind }?.last }
        #expect(details("policy-loaded")?.hasPrefix("bundle=kim-rhein-sieg version=") == true && details("policy-loaded")?.contains("digest=sha256:") == true, "\(table)")
        #expect(details("consent-granted")?.hasPrefix("consent=\(id) clauses=jobcenter expires-at=") == true, "\(table)")
        #expect(details("consent-withdrawn")?.hasPrefix("consent=\(id) withdrawn-at=") == true, "\(table)")
        #expect(details("audit-read") == "command=audit log subject=\(CLIFixture.subject) results=2", "\(table)")
    }

    @Test func reportNamesTheNormOfEachFieldAReferralCheckReleased() throws {
        let inst = try CLIInstallation()
        defer { inst.remove() }
        _ = try inst.grant()
        let check = try inst.check(fields: "name.family,health.notes", at: "2026-03-01T10:00:00Z")
        #expect(check.exitCode == 0, "\(check)")
        let citation = try #require(CLIFixture.field(check.json, "name.family")?["citation"] as? String, "\(check)")

        let report = try inst.run(["audit", "report", "--subject", CLIFixture.subject, "--json"])
        #expect(report.exitCode == 0, "\(report)")
        let recipients = try #require(report.json?["recipients"] as? [[String: Any]], "\(report)")
        #expect(recipients.count == 1)
        let fields = recipients.first?["fields"] as? [[String: Any]] ?? []
        #expect(fields.map { $0["field"] as? String } == ["name.family"])
        #expect(fields.first?["citation"] as? String == citation, "the decision's norm, from the policy it was made under: \(report)")
        // The canonical (German) text as the German report reads it; the English one reads its English text
        // (CitationLanguageCLITests).
        let html = try inst.run(["audit", "report", "--subject", CLIFixture.subject, "--lang", "de"])
        #expect(html.stdout.contains(citation.replacingOccurrences(of: "§", with: "§")), "\(html)")
    }

    @Test func explainShowsTheRulesOfThePolicyOfTheTimeAndTodaysWhereTheyDiffer() throws {
        let inst = try CLIInstallation()
        defer { inst.remove() }
        _ = try inst.grant()
        let check = try inst.check(fields: "name.family,address.street", at: "2026-03-01T10:00:00Z")
        let index = try #require((check.json?["audit"] as? [String: Any])?["index"] as? Int, "\(check)")
        // A bundle whose jobcenter consent rule no longer covers names (as AuditExplainCLITests does).
        let copy = inst.dir.appendingPathComponent("policy-narrowed")
        try FileManager.default.copyItem(at: CLIRunner.packageRoot.appendingPathComponent("policies/kim-rhein-sieg"), to: copy)
        let rules = copy.appendingPathComponent("rules.yaml")
        let text = try String(contentsOf: rules, encoding: .utf8)
        let old = "fields: [case.id, name.*, birth.date, person.nationality, address.*, contact.*, residence.status,"
        try #require(text.components(separatedBy: old).count == 2)
        try Data(text.replacingOccurrences(of: old, with: old.replacingOccurrences(of: " name.*,", with: "")).utf8).write(to: rules)

        let human = try inst.run(["audit", "explain", "--index", String(index), "--policy", copy.path, "--lang", "en"])
        #expect(human.exitCode == 0, "\(human)")
        let lines = human.stdout.split(separator: "\n").map(String.init)
        let then = try #require(lines.firstIndex(of: "With the policy of the time:"), "\(human)")
        let now = try #require(lines.firstIndex(of: "With today's policy:"), "\(human)")
        #expect(then < now)
        let nameThen = lines[then..<now].first { $0.contains("(name.family)") } ?? ""
        let nameNow = lines[now...].first { $0.contains("(name.family)") } ?? ""
        #expect(nameThen.contains("released") && nameThen.contains("[jobcenter-consent]"), "as decided then: \(human)")
        #expect(nameNow.contains("withheld"), "as today's policy would decide: \(human)")

        // Unchanged policy: one table, the policy of the time's.
        let same = try inst.run(["audit", "explain", "--index", String(index), "--lang", "en"])
        #expect(same.stdout.contains("With the policy of the time:\n") && !same.stdout.contains("With today's policy:\n"), "\(same)")
    }

    @Test func auditLogPagesByIndexWithAfter() throws {
        let inst = try CLIInstallation()
        defer { inst.remove() }
        _ = try inst.grant()
        for _ in 0..<3 { #expect(try inst.check(fields: "name.family", at: "2026-03-01T10:00:00Z").exitCode == 0) }
        let all = try inst.sqlite("SELECT idx FROM audit_entry WHERE kind = 'decision' ORDER BY idx;").compactMap { Int($0) }
        #expect(all.count == 3)
        func page(_ extra: [String]) throws -> [Int] {
            let r = try inst.run(["audit", "log", "--kind", "decision", "--limit", "2", "--json"] + extra)
            #expect(r.exitCode == 0, "\(r)")
            return r.stdout.split(separator: "\n").compactMap {
                (try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["index"] as? Int
            }
        }
        let first = try page([])
        let second = try page(["--after", String(first.last ?? -1)])
        #expect(first + second == all)
        let reads = try Self.auditReads(inst)
        #expect((reads.last?["content"] as? [String: Any])?["filters"] as? [String: String] == ["kind": "decision", "after": String(first.last ?? -1)])
    }

    @Test func reportOfAnExportedPersonHoldsTheirExportsAndConsentsAndNobodyElses() throws {
        let inst = try CLIInstallation()
        defer { inst.remove() }
        let subject = "RSK-2022-000001"
        let (_, granted) = try inst.grant(subject: subject, clauses: "abh-kontakt", grantedAt: "2026-11-10T09:00:00Z",
                                          extra: ["--municipality", "Niederkassel", "--birth-date", "1968-01-02"])
        let consent = try #require(granted["id"] as? String)
        let drive = inst.dir.appendingPathComponent("drive")
        try FileManager.default.createDirectory(at: drive, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: inst.dir.appendingPathComponent("reports"), withIntermediateDirectories: true)
        let sample = CLIRunner.packageRoot.appendingPathComponent("../shared/data/registrations-sample.csv").standardizedFileURL.path
        let export = try inst.run(["export", "--input", sample, "--drive", drive.path,
                                   "--quarantine-dir", inst.dir.appendingPathComponent("reports").path])
        #expect(export.exitCode == 0, "\(export)")
        #expect(try inst.run(["consent", "withdraw", consent]).exitCode == 0)

        let exported = Set(try inst.sqlite("SELECT partner FROM audit_entry WHERE kind = 'disclosure' AND subject = '\(subject)';"))
        #expect(!exported.isEmpty)
        let report = try inst.run(["audit", "report", "--subject", subject, "--json"])
        #expect(report.exitCode == 0, "\(report)")
        let json = try #require(report.json, "\(report)")
        let recipients = json["recipients"] as? [[String: Any]] ?? []
        #expect(Set(recipients.compactMap { $0["partner"] as? String }) == exported)
        #expect(recipients.allSatisfy { $0["channel"] as? String == "export" && ($0["reference"] as? String)?.isEmpty == false })
        #expect(recipients.allSatisfy { ($0["fields"] as? [[String: Any]] ?? []).allSatisfy { $0["citation"] is String || $0["consent"] is [String: Any] } },
                "every field with its norm or consent")
        let consents = json["consents"] as? [[String: Any]] ?? []
        #expect(consents.map { $0["event"] as? String } == ["granted", "withdrawn"] && consents.allSatisfy { $0["consent"] as? String == consent })
        // Nobody else: no other case id anywhere in the answer.
        let others = report.stdout.matches(of: /RSK-\d{4}-\d{6}/).map { String($0.0) }.filter { $0 != subject }
        #expect(others.isEmpty, "\(others)")
    }
}
