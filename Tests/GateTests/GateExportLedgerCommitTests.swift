import Foundation
import GRDB
import Testing
@testable import Gate

/// Committing the staged rows of a run's partners in one transaction, and the background checkpoints the
/// export job runs its writes under.
@Suite struct GateExportLedgerCommitTests {
    /// Stages `count` records for `partner` in run `runID`.
    static func stage(_ ledger: ExportLedger, runID: String, partner: String, count: Int) throws {
        try ledger.beginPending(runID: runID, partner: partner)
        var chunk = ExportChunkWrite()
        var part = ExportChunkWrite.PartnerPart(runID: runID, partner: partner)
        part.records = (0..<count).map { i in
            ExportStagedRecord(subject: "RSK-2026-\(String(format: "%06d", i))", fingerprint: Array(repeating: UInt8(i % 251), count: 32),
                               municipality: "Siegburg", shape: 0)
        }
        part.shapes = [(0, "{}")]
        part.reliance = [ExportReliance(partner: partner, consentID: "c-\(partner)", subject: "RSK-2026-000000")]
        chunk.partners = [part]
        try ledger.write(chunk, updatedAt: "2026-11-25T10:00:00Z")
    }

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

        #expect(try Self.count(gate, "export_ledger") == 50)
        #expect(try Self.count(gate, "export_reliance") == 2)
        let pending = try ledger.pendingRuns().map { "\($0.runID)/\($0.partner)" }
        #expect(pending == (anotherRunPending ? ["run-a/jugendamt"] : []))
        #expect(try Self.count(gate, "export_pending_record") == (anotherRunPending ? 5 : 0))
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

    /// A writer that never pauses: with catch-ups the WAL restarts and stays near the threshold; without
    /// (threshold out of reach) it grows by everything written. Every row is kept either way.
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
            #expect(counts.catchUps == 0)
            #expect(largestWAL >= written, "WAL reached \(largestWAL) bytes for \(written) bytes written")
        }
    }
}
