import ChildProcess
import Foundation
import TestFolders
import Testing

/// docs/dpo-guide.md, executed: the data protection officer's recurring tasks (verify the log and keep a checkpoint,
/// answer an Art. 15 request, review disclosures, follow a withdrawal to its erasure notice, change the policy, hand out
/// proofs), run as the page writes them, then held to what each step must have shown.
///
/// Every ` ```sh ` block of the page is run in order with `/bin/sh -e` (`MarkdownShellBlocks`, as `GoingLiveCLITests`
/// runs docs/going-live.md) in a new empty folder `installation`, the built `consentgate` first on `PATH`, `SRC` the
/// checkout and the shared sample list at `input/registrations.csv`; `../dpo-records` is the folder beside it. Nothing
/// of the page is changed. Outcomes are checked against the database (`sqlite3`), the drive's files and independent
/// checkers, not against the page's own words.
@Suite struct DPOGuideCLITests {
    static let page = "docs/dpo-guide.md"
    static let person = "RSK-2022-000001"

    /// What one run of the page left: the folders, the blocks and each block's result by its first line.
    struct Run {
        let folder: TemporaryDirectory
        let installation: String
        let records: String
        let env: [String: String]
        let blocks: [(line: Int, text: String)]
        let outputs: [Int: CLIResult]
        /// A copy of the database as the first verify block left it (before any later entry).
        let earlyDatabase: String

        var database: String { installation + "/data/consentgate.sqlite" }

        /// The block running `command` (the first one), and what it printed.
        func block(containing command: String) throws -> (line: Int, text: String, result: CLIResult) {
            let block = try #require(blocks.first { $0.text.contains(command) }, "no block of the page runs \(command)")
            return (block.line, block.text, try #require(outputs[block.line]))
        }

        /// The rows `sql` selects from the installation's database, one string per row (`sqlite3 -list`).
        func sqlite(_ sql: String, database: String? = nil) throws -> [String] {
            let r = try CLIRunner.runTool("sqlite3", [database ?? self.database, sql])
            #expect(r.exitCode == 0, "\(sql): \(r)")
            return r.stdout.split(separator: "\n").map(String.init)
        }

        /// The log's entries of `kind` (index, parsed entry), oldest first.
        func entries(kind: String) throws -> [(index: Int, entry: [String: Any])] {
            try sqlite("SELECT idx, hex(entry) FROM audit_entry WHERE kind = '\(kind)' ORDER BY idx;").map { row in
                let parts = row.split(separator: "|")
                let bytes = try #require(hexBytes(String(parts[1])))
                let entry = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
                return (try #require(Int(parts[0])), entry)
            }
        }

        func text(_ relative: String) throws -> String {
            try String(contentsOfFile: installation + "/" + relative, encoding: .utf8)
        }
    }

    /// `hex` as bytes (nil when it is not hex).
    static func hexBytes(_ hex: String) -> [UInt8]? {
        var bytes: [UInt8] = []
        var i = hex.startIndex
        while i < hex.endIndex {
            let j = hex.index(i, offsetBy: 2, limitedBy: hex.endIndex) ?? hex.endIndex
            guard let b = UInt8(hex[i..<j], radix: 16) else { return nil }
            bytes.append(b)
            i = j
        }
        return bytes
    }

    /// Runs every block of `markdown` in a new installation folder; a block that fails stops the run (the test fails
    /// naming the block's line).
    static func runPage(_ markdown: String) throws -> Run {
        let folder = try TemporaryDirectory("cli-dpo-guide")
        let bin = try MarkdownShellBlocks.binFolder(in: folder)
        let installation = try folder.folder("installation").path
        try FileManager.default.createDirectory(atPath: installation + "/input", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: ExportCLITests.Installation.sample, toPath: installation + "/input/registrations.csv")
        let env = MarkdownShellBlocks.environment(bin: bin)
        let blocks = MarkdownShellBlocks.shellBlocks(markdown)
        var outputs: [Int: CLIResult] = [:]
        var early: String? = nil
        for block in blocks {
            let r = try MarkdownShellBlocks.shell(block.text, in: installation, environment: env)
            outputs[block.line] = r
            try #require(r.exitCode == 0, "\(page):\(block.line) failed:\n\(block.text)\n\(r)")
            if early == nil && block.text.contains("consentgate audit verify") {
                let copy = folder.path + "/early.sqlite"
                let backup = try CLIRunner.runTool("sqlite3", [installation + "/data/consentgate.sqlite", ".backup '\(copy)'"])
                try #require(backup.exitCode == 0, "\(backup)")
                early = copy
            }
        }
        return Run(folder: folder, installation: installation, records: folder.path + "/dpo-records", env: env, blocks: blocks,
                   outputs: outputs, earlyDatabase: try #require(early, "the page verifies the log"))
    }

    @Test("docs/dpo-guide.md run as written: verify, Art. 15 report, review, withdrawal, policy change, proofs",
          .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3")), .timeLimit(.minutes(10)))
    func thePageTakesADPOThroughTheirTasks() throws {
        let markdown = try String(contentsOf: CLIRunner.packageRoot.appendingPathComponent(Self.page), encoding: .utf8)
        let run = try Self.runPage(markdown)
        #expect(run.blocks.count >= 10, "\(run.blocks.map(\.line))")
        let person = Self.person

        // 0. The set-up: three consents, one withdrawn, the Jobcenter check, one export run to three partners.
        #expect(try run.entries(kind: "consent-granted").count == 3)
        let disclosures = try run.entries(kind: "disclosure")
        let firstRun = try #require(disclosures.first.flatMap { ($0.entry["content"] as? [String: Any])?["export-run"] as? String })

        // 1. verify: OK, with the count of entries the database held then, and the consents and withdrawal; the kept
        // checkpoint names that size, and the later verify against it held.
        let verify = try run.block(containing: "consentgate audit verify --demo\n")
        let earlyCount = try #require(try run.sqlite("SELECT count(*) FROM audit_entry;", database: run.earlyDatabase).first)
        #expect(verify.result.stdout.hasPrefix("Audit-Protokoll in Ordnung: \(earlyCount) Einträge")
                && verify.result.stdout.contains("3 Einwilligungen, 1 Widerruf"), "\(verify.result)")
        let trusted = try run.block(containing: "--trusted-checkpoint ../dpo-records/checkpoint.txt")
        #expect(trusted.result.stdout.contains("erweitert den vertrauenswürdigen Checkpoint der Größe \(earlyCount)"), "\(trusted.result)")
        let kept = try String(contentsOfFile: run.records + "/checkpoint.txt", encoding: .utf8).split(separator: "\n")
        #expect(kept.count >= 4 && kept[1] == earlyCount, "\(kept)")

        // 2. The access report names exactly the partners the log has disclosures (or releasing checks) for, and no
        // value of the person's row as the drive's CSV holds it.
        let report = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: run.records
            + "/access-RSK-2022-000001.json"))) as? [String: Any])
        let recipients = try #require(report["recipients"] as? [[String: Any]], "\(report)")
        let expected = try Set(run.sqlite("""
            SELECT partner FROM audit_entry WHERE subject = '\(person)' AND idx < \(earlyCount)
              AND (kind = 'disclosure' OR (kind = 'decision' AND released > 0));
            """))
        #expect(expected == ["auslaenderbehoerde", "jobcenter"], "\(expected)")
        #expect(Set(recipients.compactMap { $0["partner"] as? String }) == expected, "\(recipients)")
        let abh = try #require(recipients.first { $0["partner"] as? String == "auslaenderbehoerde" })
        let phone = try #require((abh["fields"] as? [[String: Any]])?.first { $0["field"] as? String == "contact.phone" }, "\(abh)")
        #expect(phone["basis"] as? String == "consent" && (phone["consent"] as? [String: Any])?["clause"] as? String == "abh-kontakt", "\(phone)")
        let html = try String(contentsOfFile: run.records + "/access-RSK-2022-000001.html", encoding: .utf8)
        let json = try String(contentsOfFile: run.records + "/access-RSK-2022-000001.json", encoding: .utf8)
        #expect(html.contains("Immigration office (auslaenderbehoerde)") && html.contains("Phone (contact.phone)")
                && html.contains("abh-kontakt"), "the English report names recipient, field and clause")
        // Times for the person: the export's time in Berlin time (December: MEZ/CET), the exact UTC time kept in datetime.
        let abhTime = try #require(abh["time"] as? String)
        let date = try #require(ISO8601DateFormatter().date(from: abhTime))
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Berlin")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let zone = calendar.timeZone.isDaylightSavingTime(for: date) ? "CEST" : "CET"
        let local = "\(c.day!) \(months[c.month! - 1]) \(c.year!), " + String(format: "%02d:%02d", c.hour!, c.minute!) + " " + zone
        #expect(html.contains("<time datetime=\"\(abhTime)\">\(local)</time>"), "\(local)")
        let delivered = try String(contentsOfFile: run.installation + "/drive/Auslaenderbehoerde/\(firstRun)/registrations.csv", encoding: .utf8)
        let row = try #require(delivered.split(separator: "\r\n").first { $0.hasPrefix(person + ";") }, "\(delivered.prefix(500))")
        let values = row.split(separator: ";").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "'\"")) }
            .filter { $0.count >= 5 && $0 != person }
        #expect(values.count >= 8 && values.contains("Tkachenko") && values.contains("+380 91 149 2186"), "\(values)")
        for value in values {
            #expect(!html.contains(value) && !json.contains(value), "a field value in the access report: \(value)")
        }

        // 3. The partner filter returns only that partner's disclosures, as many as the first run's export-run entry counts.
        let filtered = try String(contentsOfFile: run.records + "/abh-this-month.jsonl", encoding: .utf8).split(separator: "\n")
        let lines = try filtered.map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        let partners = lines.map { (($0["entry"] as? [String: Any])?["content"] as? [String: Any])?["partner"] as? String }
        let kinds = lines.map { ($0["entry"] as? [String: Any])?["kind"] as? String }
        let abhRun = try #require(try run.entries(kind: "export-run").first {
            ($0.entry["content"] as? [String: Any])?["partner"] as? String == "auslaenderbehoerde"
        })
        #expect(lines.count == (abhRun.entry["content"] as? [String: Any])?["records"] as? Int, "\(lines.count)")
        #expect(Set(partners) == ["auslaenderbehoerde"] && Set(kinds) == ["disclosure"], "\(Set(partners)) \(Set(kinds))")
        // The person's table and the statistics.
        let table = try run.block(containing: "--actor kreis-dsb --subject RSK-2022-000001\n")
        #expect(table.result.stdout.contains("\tdisclosure\t") && table.result.stdout.contains("\tdecision\t"), "\(table.result)")
        let stats = try String(contentsOfFile: run.records + "/stats.csv", encoding: .utf8)
        #expect(stats.contains("auslaenderbehoerde;") && stats.contains("jobcenter;") && stats.contains(";\(lines.count);"), "\(stats)")
        // explain reproduced the Jobcenter decision (two fields released, health notes forbidden) under the policy of then.
        let decision = try #require(try run.entries(kind: "decision").first, "the set-up's check")
        let explained = try String(contentsOfFile: run.records + "/explain.txt", encoding: .utf8)
        #expect(explained.hasPrefix("Entscheidung \(decision.index): \(person) → jobcenter")
                && explained.contains("Mit der damaligen Richtlinie: gleiches Ergebnis.")
                && explained.contains("Freigegeben: 2 von 3 Feldern"), "\(explained)")

        // Every DPO read added one audit-read entry, by kreis-dsb, in the order of the page, with what was asked.
        let reads = try run.entries(kind: "audit-read")
        let content = reads.map { $0.entry["content"] as? [String: Any] ?? [:] }
        #expect(reads.allSatisfy { $0.entry["actor"] as? String == "kreis-dsb" }, "\(reads)")
        #expect(content.map { $0["command"] as? String ?? "" } == ["audit report", "audit report", "audit log", "audit log",
                                                                "audit stats", "audit log", "audit explain", "audit log",
                                                                "audit log", "audit log"], "\(content)")
        #expect((content[2]["filters"] as? [String: String])?["partner"] == "auslaenderbehoerde", "\(content[2])")
        #expect((content[6]["filters"] as? [String: String]) == ["index": String(decision.index)], "\(content[6])")
        #expect(content[0]["results"] as? Int == 4, "\(content[0])")

        // 4. The withdrawal: an erasure notice in the Ausländerbehörde's next run folder, signed through its manifest, and
        // an erasure-notice entry naming that partner and the consent; the page's table shows it with its recipient.
        let consentID = try run.text("consent-abh.txt").trimmingCharacters(in: .whitespacesAndNewlines)
        let notices = try run.entries(kind: "erasure-notice")
        #expect(notices.count == 1, "\(notices)")
        let notice = notices.first?.entry["content"] as? [String: Any]
        #expect(notice?["reason"] as? String == "consent-withdrawn:\(consentID)" && (notice?["notify"] as? [String]) == ["auslaenderbehoerde"]
                && notice?["subject"] as? String == person, "\(String(describing: notice))")
        let abhFolders = try FileManager.default.contentsOfDirectory(atPath: run.installation + "/drive/Auslaenderbehoerde").filter { $0 != firstRun && !$0.hasPrefix(".") }
        #expect(abhFolders.count == 1, "\(abhFolders)")
        let noticeFolder = run.installation + "/drive/Auslaenderbehoerde/" + (abhFolders.first ?? "")
        let csv = try String(contentsOfFile: noticeFolder + "/erasure-notices.csv", encoding: .utf8)
        #expect(csv.contains(person) && csv.contains(consentID), "\(csv)")
        #expect(try String(contentsOfFile: noticeFolder + "/manifest.json", encoding: .utf8).contains("erasure-notices.csv"))
        let withdrawal = try run.block(containing: "--kind consent-withdrawn,erasure-notice")
        #expect(withdrawal.result.stdout.contains("\terasure-notice\t") && withdrawal.result.stdout.contains("notify=auslaenderbehoerde reason=consent-withdrawn:\(consentID)"),
                "\(withdrawal.result)")
        // The partner filter finds the notice told to the Ausländerbehörde (its recipients are in notify, not in the
        // partner column), and not for another partner.
        let toABH = try CLIRunner.run(["audit", "log", "--demo", "--partner", "auslaenderbehoerde", "--kind", "erasure-notice", "--json"],
                                      workingDirectory: URL(fileURLWithPath: run.installation))
        #expect(toABH.exitCode == 0 && toABH.stdout.split(separator: "\n").count == 1 && toABH.stdout.contains(consentID), "\(toABH)")
        let toSchulamt = try CLIRunner.run(["audit", "log", "--demo", "--partner", "schulamt", "--kind", "erasure-notice", "--json"],
                                           workingDirectory: URL(fileURLWithPath: run.installation))
        #expect(toSchulamt.exitCode == 0 && toSchulamt.stdout.isEmpty, "\(toSchulamt)")
        // The person's record went again, without the phone number.
        let again = try String(contentsOfFile: noticeFolder + "/registrations.csv", encoding: .utf8)
        #expect(again.contains(person) && !again.contains("+380 91 149 2186"), "\(again)")

        // 5. policy diff names the removed rule and says narrower; the next open logged policy-loaded with the new version
        // and the old digest as previous, and the check it made is denied for want of a rule.
        let diff = try String(contentsOfFile: run.records + "/policy-diff.txt", encoding: .utf8)
        #expect(diff.contains("migrationsberatung-consent") && diff.contains("migrationsberatung / migration-counselling / integration.plan: nicht mehr geregelt; enger"),
                "\(diff)")
        #expect(!diff.contains("WEITER"), "\(diff)")
        let loaded = try run.entries(kind: "policy-loaded")
        #expect(loaded.count == 2, "\(loaded)")
        let first = loaded.first?.entry["content"] as? [String: Any], second = loaded.last?.entry["content"] as? [String: Any]
        #expect(second?["previous-digest"] as? String == first?["digest"] as? String && second?["version"] as? String == "2026-12-07"
                && loaded.last?.entry["actor"] as? String == "kreis-dsb", "\(loaded)")
        let check = try run.block(containing: "--partner migrationsberatung")
        #expect(check.result.stdout.contains("keine Regel erlaubt die Weitergabe") && check.result.stdout.contains("Freigegeben: 0 von 1"), "\(check.result)")
        #expect(check.result.stdout.contains("\tpolicy-loaded\t") && check.result.stdout.contains("version=2026-12-07"), "\(check.result)")

        // 6. The inclusion and consistency proofs check with the independent RFC 9162 implementation, which recomputes
        // each root from every entry of the log (read from the database here); an altered proof does not.
        let proof = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: run.records + "/inclusion-proof.json"))) as? [String: Any])
        let consistency = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: run.records + "/consistency-proof.json"))) as? [String: Any])
        let abhDisclosure = try #require(disclosures.first { ($0.entry["subject"] as? String ?? ($0.entry["content"] as? [String: Any])?["subject"] as? String) == person
            && ($0.entry["content"] as? [String: Any])?["partner"] as? String == "auslaenderbehoerde" })
        #expect(proof["leaf-index"] as? Int == abhDisclosure.index, "\(proof)")
        let now = try String(contentsOfFile: run.records + "/checkpoint-now.txt", encoding: .utf8).split(separator: "\n")
        #expect(proof["tree-size"] as? Int == Int(now[1]) && proof["root-hash"] as? String == String(now[2]), "\(proof) \(now)")
        #expect(consistency["tree-size-1"] as? Int == Int(earlyCount) && consistency["tree-size-2"] as? Int == Int(now[1]), "\(consistency)")
        let leaves = try run.sqlite("SELECT hex(entry) FROM audit_entry ORDER BY idx;").map { $0.lowercased() }
        var bad = proof
        var hashes = try #require(proof["hashes"] as? [String])
        hashes.swapAt(0, hashes.count - 1)
        bad["hashes"] = hashes
        bad["expect-invalid"] = true
        let cases: [String: Any] = ["leaves": leaves, "cases": [proof, consistency, bad]]
        let casesFile = run.folder.path + "/proof-cases.json"
        try JSONSerialization.data(withJSONObject: cases).write(to: URL(fileURLWithPath: casesFile))
        let checker = CLIRunner.packageRoot.appendingPathComponent("Tests/AuditLogTests/Fixtures/rfc9162_check.py").path
        let checked = try CLIRunner.runTool("python3", [checker, casesFile])
        #expect(checked.exitCode == 0 && checked.stdout == "OK 3 checks\n", "\(checked)")
        // The entry in the proof is the disclosure's stored bytes.
        let entryBytes = try #require(Data(base64Encoded: proof["entry"] as? String ?? ""))
        #expect(entryBytes.map { String(format: "%02x", $0) }.joined() == leaves[abhDisclosure.index])
        // The checkpoint's signature checked on the page with note_check.py.
        let signature = try run.block(containing: "note_check.py")
        #expect(signature.result.stdout == "OK consentgate.local/audit \(now[1])\n", "\(signature.result)")

        // The access report now lists the withdrawal and the notice (a read of the test's, after the page's reads).
        let later = try CLIRunner.run(["audit", "report", "--demo", "--subject", person, "--json"], workingDirectory: URL(fileURLWithPath: run.installation))
        #expect((later.json?["erasure-notices"] as? [[String: Any]])?.count == 1
                && (later.json?["consents"] as? [[String: Any]])?.contains { $0["event"] as? String == "withdrawn" } == true, "\(later)")
    }

    /// The page's verify step on a tampered copy of the installation fails with exit 4 and names the changed entry; the
    /// database as it was when the checkpoint was kept, verified against a checkpoint signed later, is "rolled back".
    @Test("the page's verify fails on a log changed with sqlite3 (exit 4, first bad entry) and on a rolled-back one",
          .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3")), .timeLimit(.minutes(10)))
    func verifyFindsTamperingAndRollback() throws {
        let markdown = try String(contentsOf: CLIRunner.packageRoot.appendingPathComponent(Self.page), encoding: .utf8)
        let run = try Self.runPage(markdown)
        let verify = try run.block(containing: "consentgate audit verify --demo\n")

        // A copy of the installation whose disclosure to the Ausländerbehörde says e-mail where the phone number went.
        let copy = run.folder.path + "/tampered"
        let cp = try MarkdownShellBlocks.shell("cp -R installation tampered\n", in: run.folder.path, environment: run.env)
        try #require(cp.exitCode == 0, "\(cp)")
        let target = try #require(try run.sqlite("""
            SELECT idx FROM audit_entry WHERE kind = 'disclosure' AND subject = '\(Self.person)' ORDER BY idx LIMIT 1;
            """).first)
        let tamper = try CLIRunner.runTool("sqlite3", [copy + "/data/consentgate.sqlite", """
            DROP TRIGGER audit_entry_no_update;
            UPDATE audit_entry SET entry = CAST(replace(CAST(entry AS TEXT), 'contact.phone', 'contact.email') AS BLOB) WHERE idx = \(target);
            SELECT changes();
            """])
        #expect(tamper.exitCode == 0 && tamper.stdout == "1\n", "\(tamper)")
        let failed = try MarkdownShellBlocks.shell(verify.text, in: copy, environment: run.env)
        #expect(failed.exitCode == 4, "\(failed)")
        #expect(failed.stderr.contains("Eintrag \(target) wurde verändert"), "\(failed)")
        // The untouched installation still verifies with the same block.
        let intact = try MarkdownShellBlocks.shell(verify.text, in: run.installation, environment: run.env)
        #expect(intact.exitCode == 0, "\(intact)")

        // Rolled back: the database as the first verify left it, against the checkpoint the page kept last.
        let rolledBack = try CLIRunner.run(["audit", "verify", "--demo", "--db", run.earlyDatabase, "--trust", run.installation + "/keys/trust.yaml",
                                            "--trusted-checkpoint", run.records + "/checkpoint-now.txt"],
                                           environment: ["CONSENTGATE_LANG": "de"])
        #expect(rolledBack.exitCode == 4 && rolledBack.stderr.contains("zurückgesetzt"), "\(rolledBack)")
    }

    /// The test must fail when the page is wrong: a block naming an option `audit log` does not have stops the run
    /// (exit 2), so a renamed option on the page fails here.
    @Test("a page whose DPO step names a wrong option fails at that block")
    func aWrongOptionFails() throws {
        let folder = try TemporaryDirectory("cli-dpo-guide-wrong")
        let bin = try MarkdownShellBlocks.binFolder(in: folder)
        let markdown = "```sh\nconsentgate audit log --demo --partnr auslaenderbehoerde\n```\n"
        let blocks = MarkdownShellBlocks.shellBlocks(markdown)
        let r = try MarkdownShellBlocks.shell(blocks[0].text, in: folder.path, environment: MarkdownShellBlocks.environment(bin: bin))
        #expect(r.exitCode == 2 && r.stderr.contains("--partnr"), "\(r)")
    }
}
