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
        let gate = try inst.open()
        let checkpointer = try #require(gate.groupCommit.checkpointer)
        let before = try gate.auditLog.size()
        let batches = checkpointer.batchesPerCheckpoint * 4
        for n in 0..<batches {   // one caller at a time: one batch each
            _ = try await gate.checkConcurrently(Fixture.jobcenterCheck("RSK-2022-\(String(format: "%06d", n))", at: nil),
                                                 actor: Fixture.actor)
        }
        // The automatic checkpoint is off on the writer; the background ones ran.
        let auto = try await gate.database.writer.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA wal_autocheckpoint") }
        #expect(auto == 0)
        for _ in 0..<200 where checkpointer.completedCheckpoints < 3 { try await Task.sleep(for: .milliseconds(10)) }
        #expect(checkpointer.completedCheckpoints >= 3)
        // Bounded: far below what `batches` commits without a WAL restart would leave (each commit adds pages).
        let wal = try FileManager.default.attributesOfItem(atPath: inst.databasePath + "-wal")[.size] as? Int ?? 0
        let pageSize = try await gate.database.writer.read { db in try Int.fetchOne(db, sql: "PRAGMA page_size") } ?? 4096
        #expect(wal < pageSize * 12 * checkpointer.batchesPerCheckpoint * 2, "WAL is \(wal) bytes")
        #expect(try gate.auditLog.size() == before + Int64(batches))
        try gate.verifyAuditLog()
    }
}
