import Foundation
import GRDB
import Signing
import Testing
@testable import Gate

/// `export-runs-v2-queued`: a database written before it keeps every run (state, times, summary, errors), a run
/// recorded `running` counts as begun when it started (v1 began every run at once), and from then on a run is
/// recorded `queued` until it begins. The table's check still refuses an unknown state.
@Suite struct ExportRunMigrationTests {
    @Test func runsOfAVersionOneDatabaseAreKeptAndQueuedRunsAreRecorded() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let path = inst.dir.appendingPathComponent("runs-v1.sqlite").path
        do {
            let pool = try DatabasePool(path: path)
            try AppDatabase.migrator.migrate(pool, upTo: "export-runs-v1")
            try pool.write { db in
                try db.execute(sql: """
                    INSERT INTO export_run (id, actor, state, started_at, finished_at, summary, error_de, error_en) VALUES
                      ('done', 'exp', 'succeeded', '2026-11-01T10:00:00.000Z', '2026-11-01T10:01:00.000Z', '{"read":3}', NULL, NULL),
                      ('broke', 'exp', 'failed', '2026-11-02T10:00:00.000Z', '2026-11-02T10:00:05.000Z', NULL, 'kaputt', 'broken'),
                      ('live', 'exp', 'running', '2026-11-03T10:00:00.000Z', NULL, NULL, NULL, NULL);
                    """)
            }
        }
        let database = try AppDatabase.open(path: path)
        let store = ExportRunStore(database: database)
        let done = try #require(try store.run(id: "done"))
        #expect(done.state == "succeeded" && done.summaryJSON == #"{"read":3}"#)
        #expect(done.finishedAt.map(RFC3339.format) == "2026-11-01T10:01:00.000Z")
        #expect(done.beganAt.map(RFC3339.format) == "2026-11-01T10:00:00.000Z")
        let broke = try #require(try store.run(id: "broke"))
        #expect(broke.state == "failed" && broke.errorDE == "kaputt" && broke.errorEN == "broken")
        let live = try #require(try store.run(id: "live"))
        #expect(live.state == "running" && live.beganAt == live.startedAt)
        #expect(try store.recentIDs(limit: 10) == ["live", "broke", "done"])

        // New runs: queued, then running once begun; a restart's mark takes both.
        try store.insert(id: "waits", actor: "exp", startedAt: Date(timeIntervalSince1970: 1_800_000_000))
        try store.insert(id: "runs", actor: "exp", startedAt: Date(timeIntervalSince1970: 1_800_000_001))
        #expect(try store.run(id: "waits")?.state == "queued")
        try store.began(id: "runs", at: Date(timeIntervalSince1970: 1_800_000_002))
        let runs = try #require(try store.run(id: "runs"))
        #expect(runs.state == "running" && runs.beganAt.map(RFC3339.format) == RFC3339.format(Date(timeIntervalSince1970: 1_800_000_002)))
        try store.began(id: "broke", at: Date())
        #expect(try store.run(id: "broke")?.state == "failed", "an ended run does not begin again")
        #expect(try store.markInterrupted(at: Date(), de: "abgebrochen", en: "interrupted") == 3)
        #expect(try ["waits", "runs", "live"].map { try store.run(id: $0)?.state } == ["failed", "failed", "failed"])
        #expect(throws: (any Error).self) {
            try database.writer.write { try $0.execute(sql: "UPDATE export_run SET state = 'paused' WHERE id = 'done'") }
        }
    }
}
