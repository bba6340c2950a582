import AuditLog
import ChildProcess
import ConsentRecords
import Foundation
import Gate
import PolicyEngine
import Signing
import StrictJSON
import Testing
@testable import DriveExport

/// Erasure notices per withdrawn line (GDPR Art. 19): the Jugendamt receives data of a child under the lines `jugendamt`
/// and `jugendamt-gesundheit` of one consent; each withdrawn line it received data under is notified once, a later
/// withdrawal of further lines gives a new notice naming only those, a whole withdrawal after a line notice one notice
/// about the whole consent; the ledger keeps which lines each notice covered (also across the `export-ledger-v4`
/// migration and a killed run), and `audit verify`'s notice check holds it to the log per line. Real installations,
/// real export runs through the job.
@Suite("Erasure notices per withdrawn line", .serialized)
struct LineNoticeTests {
    static let subjectID = "RSK-2022-000009"   // a child (born 2014) with health notes in the sample, Rheinbach
    static let manager = CaseManagerReference(caseManager: "cm.test", municipality: "Rheinbach")
    static let granted = ["jugendamt", "jugendamt-beratung", "jugendamt-gesundheit"]

    /// A copy of the shipped policy whose Jugendamt profile exports for child welfare (released on the `kim-beratung`
    /// consent's Jugendamt lines) and also the health notes (the `jugendamt-gesundheit` line).
    static func childWelfarePolicy(in dir: String) throws -> String {
        let target = dir + "/policy"
        try FileManager.default.copyItem(atPath: ExportHarness.shippedPolicy, toPath: target)
        let exports = target + "/exports.yaml"
        var text = try String(contentsOfFile: exports, encoding: .utf8)
        let purpose = "    partner: jugendamt\n    purpose: youth-welfare-planning\n"
        let columns = "household.unaccompanied-minor, childcare.kita-need]"
        #expect(text.contains(purpose) && text.contains(columns))
        text = text.replacingOccurrences(of: purpose, with: "    partner: jugendamt\n    purpose: child-welfare\n")
        text = text.replacingOccurrences(of: columns, with: "household.unaccompanied-minor, childcare.kita-need, health.notes]")
        try text.write(toFile: exports, atomically: true, encoding: .utf8)
        try? FileManager.default.removeItem(atPath: target + "/tests")
        return target
    }

    /// An installation whose first export passed the child's data to the Jugendamt under both lines; the consent id.
    func exported(_ label: String) throws -> (ExportHarness.Installation, consent: String) {
        let folder = try ExportHarness.tempDir(label)
        let inst = try ExportHarness.open(dir: folder, policy: try Self.childWelfarePolicy(in: folder.path))
        let grantedAt = ExportHarness.now.addingTimeInterval(-30 * 86_400)
        let (consent, _) = try inst.gate.grantConsent(GrantRequest(
            subject: Subject(id: Self.subjectID, birthDate: RFC3339.parse("2014-02-08T00:00:00Z"), municipality: "Rheinbach"),
            templateID: "kim-beratung", language: "de", clauses: Self.granted, grantedAt: grantedAt, collectedBy: Self.manager,
            guardians: [Guardian(name: "Sorgeberechtigte Person", relation: "Elternteil")]),
            actor: Actor(id: "test"), now: grantedAt)
        let first = try inst.run(ExportHarness.sample)
        #expect(first.partners.first { $0.partner == "jugendamt" }.map { $0.records > 0 } == true)
        #expect(try Self.linesDisclosed(inst, consent.id) == ["jugendamt", "jugendamt-gesundheit"], "data went under both lines")
        return (inst, consent.id)
    }

    /// The lines of `consent` under which export disclosures passed the child's data to the Jugendamt.
    static func linesDisclosed(_ inst: ExportHarness.Installation, _ consent: String) throws -> Set<String> {
        var out: Set<String> = []
        for e in try inst.gate.auditLog.entries(matching: AuditQuery(subject: subjectID, partner: "jugendamt", kinds: [.disclosure])) {
            guard case let .disclosure(d) = e.entry.content, d.exportRun != nil else { continue }
            for f in d.fields { if let c = f.consent, c.id == consent { out.insert(c.clause) } }
        }
        return out
    }

    /// The index of the first export disclosure to the Jugendamt under line `clause` of `consent`.
    static func firstDisclosure(_ inst: ExportHarness.Installation, _ consent: String, clause: String) throws -> Int64? {
        try inst.gate.auditLog.entries(matching: AuditQuery(subject: subjectID, partner: "jugendamt", kinds: [.disclosure])).first {
            guard case let .disclosure(d) = $0.entry.content, d.exportRun != nil else { return false }
            return d.fields.contains { $0.consent?.id == consent && $0.consent?.clause == clause }
        }?.index
    }

    /// Withdraws `clauses` (nil: the whole consent) at `at`, recorded then.
    static func withdraw(_ inst: ExportHarness.Installation, _ consent: String, _ clauses: [String]?, at: Date) throws {
        _ = try inst.gate.withdrawConsent(id: consent, at: at, clauses: clauses, recordedBy: manager, actor: Actor(id: "test"), now: at)
    }

    /// The `erasure-notice` entries about the child, in log order.
    static func noticeEntries(_ inst: ExportHarness.Installation) throws -> [ErasureNoticeRecord] {
        try inst.gate.auditLog.entries(matching: AuditQuery(subject: subjectID, kinds: [.erasureNotice])).compactMap {
            if case let .erasureNotice(n) = $0.entry.content { return n } else { return nil }
        }
    }

    /// The rows of `erasure-notices.csv` in the Jugendamt's latest run folder.
    static func latestNoticeRows(_ inst: ExportHarness.Installation) throws -> [[String]] {
        let folder = inst.drive + "/Jugendamt/" + (ExportHarness.runFolders(inst.drive, "Jugendamt").last ?? "")
        return try ExportHarness.readPartnerCSV(folder + "/erasure-notices.csv").rows
    }

    /// The notices a run wrote to the Jugendamt (0 when it had nothing for it).
    static func notices(_ summary: ExportSummary) -> Int { summary.partners.first { $0.partner == "jugendamt" }?.notices ?? 0 }

    static func at(hours: Double) -> Date { ExportHarness.now.addingTimeInterval(hours * 3_600) }

    static func problem(_ inst: ExportHarness.Installation) throws -> ErasureNoticeFinding? {
        try ErasureNoticeCheck.problem(in: inst.gate.database.writer)
    }

    @Test("one line withdrawn, then another: each notified once, the second notice naming only the new line; then nothing")
    func jugendamtSequence() throws {
        let (inst, consent) = try exported("line-notices")
        defer { inst.remove() }
        let reason = ErasureNoticeRecord.consentWithdrawnReason(consent)

        try Self.withdraw(inst, consent, ["jugendamt-gesundheit"], at: Self.at(hours: 1))
        #expect(try Self.problem(inst) == nil, "due with the next run")
        let second = try inst.run(ExportHarness.sample, now: Self.at(hours: 2))
        #expect(Self.notices(second) == 1)
        let firstRows = try Self.latestNoticeRows(inst)
        #expect(firstRows.count == 1 && firstRows.first?[1] == consent)
        #expect(firstRows.first?[2] == RFC3339.format(Self.at(hours: 1)))
        #expect(firstRows.first?[3].hasPrefix("Einzelne Zeilen der Einwilligung widerrufen (jugendamt-gesundheit):") == true, "\(firstRows)")
        #expect(try Self.noticeEntries(inst) == [ErasureNoticeRecord(subject: Self.subjectID, reason: reason, notify: ["jugendamt"],
                                                                     clauses: ["jugendamt-gesundheit"])])
        #expect(try Self.problem(inst) == nil, "sent")

        // The main line later: owed a second notice, for that line only.
        try Self.withdraw(inst, consent, ["jugendamt"], at: Self.at(hours: 3))
        #expect(try Self.problem(inst) == nil, "due with the next run")
        let third = try inst.run(ExportHarness.sample, now: Self.at(hours: 4))
        #expect(Self.notices(third) == 1, "the Jugendamt hears of the second withdrawn line")
        let secondRows = try Self.latestNoticeRows(inst)
        #expect(secondRows.count == 1 && secondRows.first?[1] == consent)
        #expect(secondRows.first?[2] == RFC3339.format(Self.at(hours: 3)))
        #expect(secondRows.first?[3].hasPrefix("Einzelne Zeilen der Einwilligung widerrufen (jugendamt):") == true, "\(secondRows)")
        #expect(try Self.noticeEntries(inst).map(\.clauses) == [["jugendamt-gesundheit"], ["jugendamt"]])
        #expect(try inst.gate.exportLedger.sentNotices(consentID: consent, partner: "jugendamt").clauses == ["jugendamt", "jugendamt-gesundheit"])
        #expect(try Self.problem(inst) == nil, "sent")
        try expectLinesShown(inst, consent)

        // No new withdrawal: nothing new.
        let fourth = try inst.run(ExportHarness.sample, now: Self.at(hours: 5))
        #expect(Self.notices(fourth) == 0)
        #expect(try Self.noticeEntries(inst).count == 2)

        // The rest withdrawn (the whole consent): every line the Jugendamt received data under was notified already.
        try Self.withdraw(inst, consent, nil, at: Self.at(hours: 6))
        let fifth = try inst.run(ExportHarness.sample, now: Self.at(hours: 7))
        #expect(Self.notices(fifth) == 0, "told to erase all it got")
        #expect(try Self.noticeEntries(inst).count == 2)
        #expect(try Self.problem(inst) == nil)
    }

    @Test("the whole consent withdrawn after a line notice: one notice about the whole consent, once")
    func wholeAfterALineNotice() throws {
        let (inst, consent) = try exported("whole-after-line")
        defer { inst.remove() }
        try Self.withdraw(inst, consent, ["jugendamt-gesundheit"], at: Self.at(hours: 1))
        #expect(Self.notices(try inst.run(ExportHarness.sample, now: Self.at(hours: 2))) == 1)

        try Self.withdraw(inst, consent, nil, at: Self.at(hours: 3))
        #expect(try Self.problem(inst) == nil, "due with the next run")
        let next = try inst.run(ExportHarness.sample, now: Self.at(hours: 4))
        #expect(Self.notices(next) == 1)
        let rows = try Self.latestNoticeRows(inst)
        #expect(rows.count == 1 && rows.first?[1] == consent)
        #expect(rows.first?[2] == RFC3339.format(Self.at(hours: 3)), "the time of the withdrawal it is about")
        // Erase everything passed on the consent; the columns that held it are named (a review, 2026-12-06).
        let note = try #require(rows.first?[3])
        #expect(note.hasPrefix(ErasureNotices.note.components(separatedBy: " / ")[0] + "; Spalten: "), "\(rows)")
        #expect(note.contains("Gesundheitliche Hinweise") && note.contains("(GDPR Art. 17, 19); columns: "), "\(rows)")
        #expect(try Self.noticeEntries(inst).map(\.clauses) == [["jugendamt-gesundheit"], nil])
        #expect(try inst.gate.exportLedger.sentNotices(consentID: consent, partner: "jugendamt").whole)
        #expect(try Self.problem(inst) == nil)

        let again = try inst.run(ExportHarness.sample, now: Self.at(hours: 5))
        #expect(Self.notices(again) == 0, "once")
        #expect(try Self.noticeEntries(inst).count == 2)
    }

    @Test("a ledger from before export-ledger-v4: its notice covers what was withdrawn when it was sent, not what is withdrawn later")
    func migratedNoticeRow() throws {
        let (first, consent) = try exported("notice-migration")
        defer { first.remove() }
        let reason = ErasureNoticeRecord.consentWithdrawnReason(consent)
        try Self.withdraw(first, consent, ["jugendamt-gesundheit"], at: Self.at(hours: 1))
        // What the previous version did with its next run (at 02:00 after the run time): one notice, its entry naming no
        // line, and one `export_notice` row per (consent, partner) in the table as `export-ledger-v1` created it.
        let gate = first.gate
        _ = try gate.auditLog.append(AuditEntry(time: Self.at(hours: 2), actor: "test-export", policyDigest: gate.policy.digest,
                                                content: .erasureNotice(ErasureNoticeRecord(subject: Self.subjectID, reason: reason,
                                                                                            notify: ["jugendamt"]))),
                                     signer: try gate.auditSigner())
        try sqlite(first, """
            DROP TABLE export_notice;
            CREATE TABLE export_notice (consent_id TEXT NOT NULL, partner TEXT NOT NULL, subject TEXT NOT NULL,
              run_id TEXT NOT NULL, PRIMARY KEY (consent_id, partner)) WITHOUT ROWID;
            DROP TABLE export_pending_notice;
            CREATE TABLE export_pending_notice (run_id TEXT NOT NULL, partner TEXT NOT NULL, consent_id TEXT NOT NULL,
              subject TEXT NOT NULL, PRIMARY KEY (run_id, partner, consent_id)) WITHOUT ROWID;
            INSERT INTO export_notice VALUES ('\(consent)', 'jugendamt', '\(Self.subjectID)', '20261125T120000Z-0000abcd');
            DELETE FROM grdb_migrations WHERE identifier = 'export-ledger-v4';
            """)
        // Opened by this version: migrated.
        let inst = try ExportHarness.open(dir: first.folder, policy: first.dir + "/policy")
        let sent = try inst.gate.exportLedger.sentNotices(consentID: consent, partner: "jugendamt")
        #expect(sent.earlierRuns == ["20261125T120000Z-0000abcd"] && sent.clauses.isEmpty && !sent.whole)
        #expect(try Self.problem(inst) == nil, "the old entry covers the line withdrawn before it")

        // The old notice covered the line withdrawn before its run: nothing again.
        #expect(Self.notices(try inst.run(ExportHarness.sample, now: Self.at(hours: 3))) == 0)
        // A line withdrawn after it is owed its own notice.
        try Self.withdraw(inst, consent, ["jugendamt"], at: Self.at(hours: 4))
        #expect(try Self.problem(inst) == nil, "due with the next run")
        let next = try inst.run(ExportHarness.sample, now: Self.at(hours: 5))
        #expect(Self.notices(next) == 1)
        #expect(try Self.latestNoticeRows(inst).first?[3].hasPrefix("Einzelne Zeilen der Einwilligung widerrufen (jugendamt):") == true)
        #expect(try Self.noticeEntries(inst).map(\.clauses) == [nil, ["jugendamt"]])
        #expect(Self.notices(try inst.run(ExportHarness.sample, now: Self.at(hours: 6))) == 0)
        #expect(try Self.problem(inst) == nil)
    }

    @Test("a run killed after staging a line notice: the next run finishes it; the line is logged and sent once",
          arguments: ["after-audit", "after-publish"])
    func killedRunWithALineNotice(point: String) throws {
        let binary = ExportHarness.root.appendingPathComponent(".build/debug/consentgate").path
        try #require(FileManager.default.isExecutableFile(atPath: binary), "build first: swift build --build-tests")
        let (inst, consent) = try exported("line-notice-killed")
        defer { inst.remove() }
        try Self.withdraw(inst, consent, ["jugendamt-gesundheit"], at: Self.at(hours: 1))
        let before = ExportHarness.runFolders(inst.drive, "Jugendamt").count
        let child = try Spawn.run(binary, ["export", "--demo", "--db", inst.dir + "/consentgate.sqlite", "--policy", inst.dir + "/policy",
                                           "--trust", ExportHarness.root.appendingPathComponent("keys/trust.yaml").path,
                                           "--input", ExportHarness.sample, "--drive", inst.drive, "--quarantine-dir", inst.dir + "/reports"],
                                  environment: .inherited(overriding: ["CONSENTGATE_EXPORT_CRASH_AT": point + ":jugendamt"]),
                                  stdout: .null, stderr: .null)
        #expect(child.termination == .signalled(SIGKILL))
        #expect(try Self.noticeEntries(inst).map(\.clauses) == [["jugendamt-gesundheit"]], "logged before the kill")
        #expect(try Self.problem(inst) == nil, "staged")

        let next = try inst.run(ExportHarness.sample, now: Date())
        let expected = point == "after-publish" ? "committed" : "published and committed"
        #expect(next.recovered.contains { $0.hasSuffix("/jugendamt: " + expected) }, "\(next.recovered)")
        #expect(Self.notices(next) == 0, "nothing left to send")
        #expect(ExportHarness.runFolders(inst.drive, "Jugendamt").count == before + 1)
        #expect(try Self.latestNoticeRows(inst).map { $0[1] } == [consent])
        #expect(try Self.noticeEntries(inst).map(\.clauses) == [["jugendamt-gesundheit"]], "logged once")
        #expect(try inst.gate.exportLedger.sentNotices(consentID: consent, partner: "jugendamt").clauses == ["jugendamt-gesundheit"])
        #expect(try Self.problem(inst) == nil)

        // The committed row covers that line only: the next withdrawn line is notified on its own.
        try Self.withdraw(inst, consent, ["jugendamt"], at: Date())
        let later = try inst.run(ExportHarness.sample, now: Date().addingTimeInterval(1))
        #expect(Self.notices(later) == 1)
        #expect(try Self.noticeEntries(inst).map(\.clauses) == [["jugendamt-gesundheit"], ["jugendamt"]])
        #expect(try Self.problem(inst) == nil)
    }

    @Test("the ledger edited so the second line's notice is never sent (that line marked sent, the reliance deleted, a whole notice forged): found",
          arguments: [
              "INSERT INTO export_notice (consent_id, partner, clause, subject, run_id) VALUES ('%@', 'jugendamt', 'jugendamt', 'RSK-2022-000009', 'forged')",
              "DELETE FROM export_reliance WHERE consent_id = '%@'",
              "INSERT INTO export_notice (consent_id, partner, subject, run_id) VALUES ('%@', 'jugendamt', 'RSK-2022-000009', 'forged')",
          ])
    func suppressedLineNotice(edit: String) throws {
        let (inst, consent) = try exported("line-notice-suppressed")
        defer { inst.remove() }
        try Self.withdraw(inst, consent, ["jugendamt-gesundheit"], at: Self.at(hours: 1))
        #expect(Self.notices(try inst.run(ExportHarness.sample, now: Self.at(hours: 2))) == 1)
        try Self.withdraw(inst, consent, ["jugendamt"], at: Self.at(hours: 3))
        #expect(try StoreChecks.problem(in: inst.gate.database.writer) == nil, "the second notice is due")

        try sqlite(inst, edit.replacingOccurrences(of: "%@", with: consent))
        let finding = try StoreChecks.problem(in: inst.gate.database.writer)
        let index = try #require(try Self.firstDisclosure(inst, consent, clause: "jugendamt"))
        #expect(finding as? ErasureNoticeFinding == .lineNoticeSuppressed(consentID: consent, clause: "jugendamt", partner: "jugendamt",
                                                                          subject: Self.subjectID, disclosureIndex: index))
        #expect(finding?.category.exitCode == 4)
        #expect(finding?.message(in: .de).contains("widerrufene Zeile jugendamt") == true)
        #expect(finding?.message(in: .en).contains("withdrawn line jugendamt") == true)
        // What the edit does: the next run sends no notice, and the finding stays.
        #expect(Self.notices(try inst.run(ExportHarness.sample, now: Self.at(hours: 4))) == 0)
        #expect(try Self.problem(inst) != nil)
    }

    /// A run in progress relies on the consent again (its other lines still hold, so every run does): its staged reliance
    /// must not hide a forged "sent" row for the withdrawn line, which would suppress the notice once the run commits
    /// (found in this session's review: staged reliance counted as "due" for every line).
    @Test func aRunInProgressDoesNotHideAForgedSentLine() throws {
        let (inst, consent) = try exported("line-notice-pending")
        defer { inst.remove() }
        try Self.withdraw(inst, consent, ["jugendamt-gesundheit"], at: Self.at(hours: 1))
        #expect(Self.notices(try inst.run(ExportHarness.sample, now: Self.at(hours: 2))) == 1)
        try Self.withdraw(inst, consent, ["jugendamt"], at: Self.at(hours: 3))
        // A run of the Jugendamt in progress that relies on the consent, as any run does while a line still holds.
        try sqlite(inst, """
            INSERT INTO export_pending_run (run_id, partner, entry_context) VALUES ('20261207T000000Z-inprogress', 'jugendamt', '{}');
            INSERT INTO export_pending_reliance (run_id, partner, consent_id, subject) VALUES ('20261207T000000Z-inprogress', 'jugendamt', '\(consent)', '\(Self.subjectID)');
            """)
        #expect(try Self.problem(inst) == nil, "the second notice is still due")
        try sqlite(inst, "INSERT INTO export_notice (consent_id, partner, clause, subject, run_id) VALUES ('\(consent)', 'jugendamt', 'jugendamt', '\(Self.subjectID)', 'forged')")
        let index = try #require(try Self.firstDisclosure(inst, consent, clause: "jugendamt"))
        #expect(try Self.problem(inst) == .lineNoticeSuppressed(consentID: consent, clause: "jugendamt", partner: "jugendamt",
                                                                 subject: Self.subjectID, disclosureIndex: index))
    }

    /// The person's report (JSON and HTML, German and English) and `audit log` name the lines of each notice.
    func expectLinesShown(_ inst: ExportHarness.Installation, _ consent: String) throws {
        let entries = try inst.gate.auditLog.entries(matching: AuditQuery(subject: Self.subjectID))
        let report = SubjectReport(subject: Self.subjectID, entries: entries)
        #expect(report.erasureNotices.map(\.clauses) == [["jugendamt-gesundheit"], ["jugendamt"]])
        let json = String(decoding: CanonicalJSON.encode(report.json), as: UTF8.self)
        #expect(json.contains("\"clauses\":[\"jugendamt-gesundheit\"],\"entry\""), "\(json)")
        let de = report.html(language: .de), en = report.html(language: .en)
        #expect(de.contains("Widerruf der Zeile(n) jugendamt-gesundheit der Einwilligung \(consent)"))
        #expect(de.contains("Widerruf der Zeile(n) jugendamt der Einwilligung \(consent)"))
        #expect(en.contains("withdrawal of the line(s) jugendamt-gesundheit of consent \(consent)"))
        // With the policy's names (as `audit report`, the API and the DPO's page give the report): each line by the
        // wording of the template version the consent was signed on, then its id; in the JSON as `clause-names`.
        let labels = ReportLabels(policy: inst.gate.policy.bundle)
        let namedDE = report.html(language: .de, labels: labels), namedEN = report.html(language: .en, labels: labels)
        #expect(namedDE.contains("Widerruf der Zeile(n) „Ausdrücklich: Gesundheitliche Hinweise an das Jugendamt“ (jugendamt-gesundheit) der Einwilligung \(consent)"), "\(namedDE)")
        #expect(namedDE.contains("<td>„Weitergabe an das Jugendamt für Hilfen für Kinder und Familien“ (jugendamt)</td><td>diese Zeilen widerrufen"), "\(namedDE)")
        #expect(namedEN.contains("withdrawal of the line(s) &quot;Passing to the youth welfare office for help for children and families&quot; (jugendamt) of consent \(consent)"), "\(namedEN)")
        let namedJSON = String(decoding: CanonicalJSON.encode(report.json(labels: labels)), as: UTF8.self)
        #expect(namedJSON.contains(#""clause-names":{"jugendamt-gesundheit":{"de":"Ausdrücklich: Gesundheitliche Hinweise an das Jugendamt","en":"Explicitly: health notes to the youth welfare office"}}"#), "\(namedJSON)")
        #expect(namedJSON.contains(#""clause-names":{"jugendamt":{"de":"Weitergabe an das Jugendamt für Hilfen für Kinder und Familien""#), "\(namedJSON)")
        let binary = ExportHarness.root.appendingPathComponent(".build/debug/consentgate").path
        try #require(FileManager.default.isExecutableFile(atPath: binary), "build first: swift build --build-tests")
        let log = try Spawn.run(binary, ["audit", "log", "--demo", "--db", inst.dir + "/consentgate.sqlite", "--kind", "erasure-notice"],
                                stderr: .standardOutput)
        let lines = log.stdoutText.split(separator: "\n").filter { $0.contains("erasure-notice") }
        #expect(lines.count == 2 && lines[0].hasSuffix("notify=jugendamt reason=consent-withdrawn:\(consent) clauses=jugendamt-gesundheit"),
                "\(log.stdoutText)")
    }

    func sqlite(_ inst: ExportHarness.Installation, _ sql: String) throws {
        let r = try Spawn.run("/usr/bin/env", ["sqlite3", "-cmd", ".timeout 10000", inst.dir + "/consentgate.sqlite", sql])
        try #require(r.status == 0, "\(r.stderrText)")
    }
}
