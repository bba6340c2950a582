import Foundation
import GRDB
import Testing
@testable import Gate

/// Committing the staged rows of a run's partners in one transaction, and the background checkpoints the
/// export job runs its writes under.
@Suite struct GateExportLedgerCommitTests {
    /// Stages `count` records for `partner` in run `runID`.
    static func stage(_ ledger: ExportLedger, runID: String, partner: String, count: Int, fingerprintSalt: UInt8 = 0) throws {
        try ledger.beginPending(runID: runID, partner: partner)
        var chunk = ExportChunkWrite()
        var part = ExportChunkWrite.PartnerPart(runID: runID, partner: partner)
        part.records = (0..<count).map { i in
            ExportStagedRecord(subject: subject(i), fingerprint: Array(repeating: UInt8(i % 251) ^ fingerprintSalt, count: 32),
                               municipality: "Siegburg", shape: 0)
        }
        part.shapes = [(0, "{}")]
        part.reliance = [ExportReliance(partner: partner, consentID: "c-\(partner)", subject: "RSK-2026-000000")]
        chunk.partners = [part]
        try ledger.write(chunk, updatedAt: "2026-11-25T10:00:00Z")
    }

    static func subject(_ i: Int) -> String { "RSK-2026-\(String(format: "%06d", i))" }

    static func count(_ gate: Gate, _ table: String) throws -> Int {
        try gate.database.writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? 0 }
    }

    @Test("several partners commit together; another run's staged rows stay pending", arguments: [false, true])
    func commitsPartnersTogether(anotherRunPending: Bool) throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        let ledger = gate.exportLedger
        try Self.stage(ledger, runID: "run-b", partner: "jugendamt", count: 30)
        try Self.stage(ledger, runID: "run-b", partner: "schulamt", count: 20)
        if anotherRunPending { try Self.stage(ledger, runID: "run-a", partner: "jugendamt", count: 5) }

        try ledger.commit(runID: "run-b", partners: ["jugendamt", "schulamt"])

        // Committing marks the runs; the staged records stay where they are (and the other run's stay pending).
        #expect(try ledger.count(partner: "jugendamt") == 30)
        #expect(try ledger.count(partner: "schulamt") == 20)
        #expect(try Self.count(gate, "export_committed_run") == 2)
        #expect(try Self.count(gate, "export_record") == 50 + (anotherRunPending ? 5 : 0))
        #expect(try Self.count(gate, "export_reliance") == 2)
        let pending = try ledger.pendingRuns().map { "\($0.runID)/\($0.partner)" }
        #expect(pending == (anotherRunPending ? ["run-a/jugendamt"] : []))
        #expect(try ledger.pendingRecords(runID: "run-a", partner: "jugendamt", after: "", limit: 100).count == (anotherRunPending ? 5 : 0))
        #expect(try Self.count(gate, "export_pending_shape") == (anotherRunPending ? 1 : 0))
        #expect(try Self.count(gate, "export_pending_reliance") == (anotherRunPending ? 1 : 0))
        // The committed fingerprints are those staged (hex of the 32 bytes), per partner.
        let fps = try ledger.fingerprints(partners: ["jugendamt", "schulamt", "jobcenter"], subjects: ["RSK-2026-000003", "RSK-2026-000025"])
        #expect(fps[0] == ["RSK-2026-000003": 0x0303030303030303, "RSK-2026-000025": 0x1919191919191919])
        #expect(fps[1] == ["RSK-2026-000003": 0x0303030303030303])
        #expect(fps[2].isEmpty)
        #expect(try ledger.hasCommitted(partner: "schulamt"))
        #expect(try !ledger.hasCommitted(partner: "jobcenter"))
    }

    @Test("background checkpoints copy the WAL while a writer writes, and restore the writer's setting")
    func backgroundCheckpoints() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        let writer = gate.database.writer
        let before = try writer.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA wal_autocheckpoint") }
        let fileSize = { (try? FileManager.default.attributesOfItem(atPath: inst.databasePath)[.size] as? Int) ?? 0 }
        let startSize = fileSize()
        let checkpoints = BackgroundCheckpoints(database: gate.database, interval: .milliseconds(20))
        let during = try writer.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA wal_autocheckpoint") }
        #expect(during == 0, "the writer does not checkpoint inside its commits")
        try writer.write { db in try db.execute(sql: "CREATE TABLE filler (b BLOB)") }
        let blob = Data(repeating: 0xAB, count: 64 * 1024)
        for _ in 0..<40 { try writer.write { db in try db.execute(sql: "INSERT INTO filler VALUES (?)", arguments: [blob]) } }
        // The rows reach the database file without any commit of the writer checkpointing.
        for _ in 0..<200 where fileSize() < startSize + 40 * blob.count { usleep(10_000) }
        #expect(fileSize() >= startSize + 40 * blob.count, "database file \(fileSize()) bytes, started at \(startSize)")
        checkpoints.finish()
        checkpoints.finish()   // idempotent
        let after = try writer.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA wal_autocheckpoint") }
        #expect(after == before)
        #expect(try Self.count(gate, "filler") == 40)
    }

    /// A writer that keeps writing: with catch-ups the WAL restarts and stays near the threshold; without
    /// (threshold out of reach) no catch-up runs. Every row is kept either way.
    @Test("background checkpoints catch up on the writer so that the WAL restarts", arguments: [true, false])
    func catchUpKeepsTheWALBounded(catchUp: Bool) throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        let writer = gate.database.writer
        let pageSize = try writer.read { db in try Int.fetchOne(db, sql: "PRAGMA page_size") } ?? 4096
        let threshold = 64
        let checkpoints = BackgroundCheckpoints(database: gate.database, interval: .milliseconds(5),
                                                catchUpFrames: catchUp ? threshold : Int.max)
        try writer.write { db in try db.execute(sql: "CREATE TABLE filler (b BLOB)") }
        let blob = Data(repeating: 0xCD, count: 4 * pageSize)
        let walPath = inst.databasePath + "-wal"
        var largestWAL = 0, rows = 0
        // Write ~40x the threshold's worth of pages, sampling the WAL file between transactions.
        while rows < 10 * threshold || (catchUp && checkpoints.counts.catchUps < 2 && rows < 100 * threshold) {
            try writer.write { db in try db.execute(sql: "INSERT INTO filler VALUES (?)", arguments: [blob]) }
            rows += 1
            largestWAL = max(largestWAL, (try? FileManager.default.attributesOfItem(atPath: walPath)[.size] as? Int) ?? 0)
        }
        checkpoints.finish()
        let counts = checkpoints.counts
        #expect(counts.background >= 1)
        #expect(try Self.count(gate, "filler") == rows)
        let written = rows * blob.count
        if catchUp {
            #expect(counts.catchUps >= 2, "\(counts)")
            #expect(largestWAL < written / 3, "WAL reached \(largestWAL) bytes for \(written) bytes written; \(counts)")
        } else {
            // Without catch-ups the WAL restarts only when a background checkpoint happens to find the writer
            // between two transactions with everything copied (timing: not asserted); it never catches up itself.
            #expect(counts.catchUps == 0)
        }
    }

    /// Several committed versions of a record: the latest commit counts, a pending or dropped run's rows never
    /// do, and the replaced rows are deleted with the next chunk that reads them.
    @Test("the latest committed run counts; pending runs do not; replaced rows are cleaned up")
    func latestCommittedRunCounts() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        let ledger = gate.exportLedger
        // Run "b" sorts before run "a": the commit order decides, not the run id.
        try Self.stage(ledger, runID: "run-b", partner: "jugendamt", count: 10)
        try ledger.commit(runID: "run-b", partners: ["jugendamt"])
        try Self.stage(ledger, runID: "run-a", partner: "jugendamt", count: 4, fingerprintSalt: 0xFF)
        let subjects = (0..<10).map(Self.subject)
        let first = try ledger.committedFingerprints(partners: ["jugendamt"], subjects: subjects)
        #expect(first.byPartner[0][Self.subject(2)] == 0x0202020202020202, "a pending run does not count")
        #expect(first.superseded.isEmpty)

        try ledger.commit(runID: "run-a", partners: ["jugendamt"])
        let second = try ledger.committedFingerprints(partners: ["jugendamt"], subjects: subjects)
        #expect(second.byPartner[0].count == 10)
        #expect(second.byPartner[0][Self.subject(2)] == 0xFDFDFDFDFDFDFDFD)
        #expect(second.byPartner[0][Self.subject(7)] == 0x0707070707070707)
        #expect(Set(second.superseded) == Set((0..<4).map { ExportRecordKey(partner: "jugendamt", subject: Self.subject($0), runID: "run-b") }))
        #expect(try Self.count(gate, "export_record") == 14)

        var chunk = ExportChunkWrite()
        chunk.superseded = second.superseded
        try ledger.write(chunk, updatedAt: "2026-11-25T10:00:00Z")
        #expect(try Self.count(gate, "export_record") == 10)
        let third = try ledger.committedFingerprints(partners: ["jugendamt"], subjects: subjects)
        #expect(third.byPartner == second.byPartner)
        #expect(third.superseded.isEmpty)
        #expect(try ledger.count(partner: "jugendamt") == 10)

        // A run that is dropped (never logged) leaves no record behind.
        try Self.stage(ledger, runID: "run-c", partner: "jugendamt", count: 3, fingerprintSalt: 0x11)
        #expect(try Self.count(gate, "export_record") == 13)
        try ledger.drop(runID: "run-c", partner: "jugendamt")
        #expect(try Self.count(gate, "export_record") == 10)
        #expect(try ledger.committedFingerprints(partners: ["jugendamt"], subjects: subjects).byPartner == second.byPartner)
    }

    /// A database written before `export-ledger-v3`: the committed ledger (hex fingerprints) and a pending run's
    /// staged records move into `export_record`; the ledger reads the same, and the pending run commits later.
    @Test("migrating the ledger keeps committed fingerprints and pending runs")
    func migrationFromTheCopyingLedger() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let path = inst.dir.appendingPathComponent("v2.sqlite").path
        do {
            let pool = try DatabasePool(path: path)
            try AppDatabase.migrator.migrate(pool, upTo: "export-ledger-v2")
            try pool.write { db in
                try db.execute(sql: """
                    INSERT INTO export_ledger (partner, subject, fingerprint, run_id) VALUES
                      ('schulamt', 'RSK-1', '0123456789abcdef' || printf('%048d', 0), 'run-old'),
                      ('schulamt', 'RSK-2', 'fedcba9876543210' || printf('%048d', 0), 'run-old'),
                      ('jugendamt', 'RSK-1', '1111111111111111' || printf('%048d', 0), 'run-older');
                    INSERT INTO export_pending_run (run_id, partner, entry_context) VALUES ('run-new', 'schulamt', '{}');
                    INSERT INTO export_pending_record (run_id, partner, subject, fingerprint, municipality, shape, consents)
                      VALUES ('run-new', 'schulamt', 'RSK-2', x'2222222222222222', 'Siegburg', 3, NULL);
                    """)
            }
        }
        let database = try AppDatabase.open(path: path)
        let ledger = ExportLedger(writer: database.writer)
        let before = try ledger.fingerprints(partners: ["schulamt", "jugendamt"], subjects: ["RSK-1", "RSK-2"])
        #expect(before == [["RSK-1": 0x0123456789ABCDEF, "RSK-2": 0xFEDCBA9876543210], ["RSK-1": 0x1111111111111111]])
        #expect(try ledger.hasCommitted(partner: "jugendamt"))
        let staged = try ledger.pendingRecords(runID: "run-new", partner: "schulamt", after: "", limit: 10)
        #expect(staged == [ExportStagedRecord(subject: "RSK-2", fingerprint: [], municipality: "Siegburg", shape: 3)])
        try ledger.commit(runID: "run-new", partners: ["schulamt"])
        let after = try ledger.committedFingerprints(partners: ["schulamt"], subjects: ["RSK-1", "RSK-2"])
        #expect(after.byPartner == [["RSK-1": 0x0123456789ABCDEF, "RSK-2": 0x2222222222222222]])
        #expect(after.superseded == [ExportRecordKey(partner: "schulamt", subject: "RSK-2", runID: "run-old")])
        #expect(try ledger.count(partner: "schulamt") == 2)
    }
}
