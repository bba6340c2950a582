import Foundation
import GRDB
import Testing
@testable import Gate

/// The export ledger's notices per line (`export-ledger-v4`): a database written before keeps its sent and staged
/// notices (rows naming no line); a run staged after it stages and commits one row per line; what was sent reads back
/// by line. Real SQLite files, migrated by the application's migrator.
@Suite struct ExportNoticeLineLedgerTests {
    /// A database at `export-ledger-v3` with one sent notice and one staged by a run in progress, opened by this version.
    @Test("migrating keeps sent and staged notices (naming no line); a recovered run commits its staged notice as staged")
    func migrationKeepsNotices() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let path = inst.dir.appendingPathComponent("v3.sqlite").path
        do {
            let pool = try DatabasePool(path: path)
            try AppDatabase.migrator.migrate(pool, upTo: "export-ledger-v3")
            try pool.write { db in
                try db.execute(sql: """
                    INSERT INTO export_notice (consent_id, partner, subject, run_id) VALUES ('c-1', 'jugendamt', 'RSK-1', '20261125T100000Z-00000001');
                    INSERT INTO export_pending_run (run_id, partner, entry_context) VALUES ('20261126T100000Z-00000002', 'schulamt', '{}');
                    INSERT INTO export_pending_notice (run_id, partner, consent_id, subject) VALUES ('20261126T100000Z-00000002', 'schulamt', 'c-2', 'RSK-2');
                    """)
            }
        }
        let database = try AppDatabase.open(path: path)
        let ledger = ExportLedger(writer: database.writer)
        var earlier = SentNotices()
        earlier.earlierRuns = ["20261125T100000Z-00000001"]
        #expect(try ledger.sentNotices(consentID: "c-1", partner: "jugendamt") == earlier)
        // Still the notice a recovery logs and commits: about the consent, naming no line (as it was sent by then).
        let staged = try ledger.pendingContents(runID: "20261126T100000Z-00000002", partner: "schulamt")
        #expect(staged.notices == [ExportNotice(partner: "schulamt", consentID: "c-2", subject: "RSK-2", clauses: nil)])
        try ledger.commit(runID: "20261126T100000Z-00000002", partners: ["schulamt"])
        var committed = SentNotices()
        committed.earlierRuns = ["20261126T100000Z-00000002"]
        #expect(try ledger.sentNotices(consentID: "c-2", partner: "schulamt") == committed)

        // A run of this version: one row per line; a whole-consent notice one `*` row; staged and committed as such.
        try ledger.beginPending(runID: "20261127T100000Z-00000003", partner: "jugendamt")
        try ledger.stageNotices(runID: "20261127T100000Z-00000003", partner: "jugendamt", notices: [
            ExportNotice(partner: "jugendamt", consentID: "c-1", subject: "RSK-1", clauses: ["jugendamt", "jugendamt-beratung"]),
            ExportNotice(partner: "jugendamt", consentID: "c-3", subject: "RSK-3"),
        ])
        #expect(try ledger.pendingContents(runID: "20261127T100000Z-00000003", partner: "jugendamt").notices == [
            ExportNotice(partner: "jugendamt", consentID: "c-1", subject: "RSK-1", clauses: ["jugendamt", "jugendamt-beratung"]),
            ExportNotice(partner: "jugendamt", consentID: "c-3", subject: "RSK-3"),
        ])
        try ledger.commit(runID: "20261127T100000Z-00000003", partners: ["jugendamt"])
        let lines = try ledger.sentNotices(consentID: "c-1", partner: "jugendamt")
        #expect(lines.clauses == ["jugendamt", "jugendamt-beratung"] && !lines.whole && lines.earlierRuns == ["20261125T100000Z-00000001"])
        #expect(try ledger.sentNotices(consentID: "c-3", partner: "jugendamt").whole)
    }

    @Test("a row from before v4 covers the withdrawals recorded before its run's second; an unreadable run id covers nothing",
          arguments: [("20261125T100000Z-0000abcd", true), ("20261125T095959Z-0000abcd", false), ("forged", false)])
    func runStart(run: String, covers: Bool) throws {
        let start = try #require(SentNotices.start(ofRun: "20261125T100000Z-0000abcd"))
        #expect(start == ISO8601DateFormatter().date(from: "2026-11-25T10:00:00Z"))
        // A withdrawal recorded at 09:59:59 is before the run of 10:00:00, not before one of 09:59:59 (the same second).
        let recorded = ISO8601DateFormatter().date(from: "2026-11-25T09:59:59Z")!
        #expect(SentNotices.start(ofRun: run).map { recorded < $0 } ?? false == covers)
    }
}
