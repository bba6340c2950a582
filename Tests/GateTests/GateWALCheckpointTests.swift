import AuditLog
import Foundation
import Testing
@testable import Gate

/// The group commit keeps WAL checkpoints out of its transactions and the WAL file bounded, and every
/// entry stays in the log.
@Suite struct GateWALCheckpointTests {
    @Test func checkpointsRunBesideTheGroupCommitAndTheWALStaysBounded() async throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let opened = try inst.open()
        // A small catch-up threshold, so that this test crosses it several times.
        let gate = Gate(configuration: opened.configuration, database: opened.database, policy: opened.policy, keyRing: opened.keyRing,
                        checkpointer: WALCheckpointer(database: opened.database, batchesPerCheckpoint: 16, catchUpFrames: 64))
        let checkpointer = try #require(gate.groupCommit.checkpointer)
        let before = try gate.auditLog.size()
        let batches = checkpointer.batchesPerCheckpoint * 12
        for n in 0..<batches {   // one caller at a time: one batch each
            _ = try await gate.checkConcurrently(Fixture.jobcenterCheck("RSK-2022-\(String(format: "%06d", n))", at: nil),
                                                 actor: Fixture.actor)
        }
        // The automatic checkpoint is off on the writer; the background ones ran.
        let auto = try await gate.database.writer.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA wal_autocheckpoint") }
        #expect(auto == 0)
        for _ in 0..<200 where checkpointer.completedCheckpoints < 3 { try await Task.sleep(for: .milliseconds(10)) }
        #expect(checkpointer.completedCheckpoints >= 3)
        #expect(checkpointer.completedCatchUps >= 1, "the writer caught up once the WAL passed the threshold")
        // Bounded: far below what `batches` commits without a WAL restart would leave (each commit adds pages).
        let wal = try FileManager.default.attributesOfItem(atPath: inst.databasePath + "-wal")[.size] as? Int ?? 0
        let pageSize = try await gate.database.writer.read { db in try Int.fetchOne(db, sql: "PRAGMA page_size") } ?? 4096
        #expect(wal < pageSize * (2 * checkpointer.catchUpFrames + 12 * checkpointer.batchesPerCheckpoint * 2), "WAL is \(wal) bytes")
        #expect(try gate.auditLog.size() == before + Int64(batches))
        try gate.verifyAuditLog()
    }
}
