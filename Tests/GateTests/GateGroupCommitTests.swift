import AuditLog
import Foundation
import Testing
@testable import Gate

/// Concurrent checks share durable commits: every caller gets its own index only after its entry is in
/// the log, the indices are distinct, and fewer checkpoints than entries are signed.
@Suite struct GateGroupCommitTests {
    @Test(arguments: [1, 8, 64])
    func concurrentChecksAreEachRecordedOnceAndShareCommits(callers: Int) async throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        let before = try gate.auditLog.size()
        let checkpointsBefore = try checkpointCount(inst)

        let indices = try await withThrowingTaskGroup(of: (Int, Int64).self) { group in
            for n in 0..<callers {
                group.addTask {
                    let r = try await gate.checkConcurrently(
                        Fixture.jobcenterCheck("RSK-2022-\(String(format: "%06d", n))", at: nil),
                        actor: Fixture.actor)
                    // The entry is committed by the time the call returns.
                    let entry = try AuditEntry(bytes: gate.auditLog.entryBytes(index: r.auditIndex), context: "entry")
                    #expect(entry.subject == "RSK-2022-\(String(format: "%06d", n))")
                    return (n, r.auditIndex)
                }
            }
            var all: [(Int, Int64)] = []
            for try await x in group { all.append(x) }
            return all
        }
        #expect(indices.count == callers)
        #expect(Set(indices.map { $0.1 }).count == callers, "indices are distinct")
        #expect(try gate.auditLog.size() == before + Int64(callers))
        let checkpoints = try checkpointCount(inst) - checkpointsBefore
        #expect(checkpoints >= 1 && checkpoints <= callers)
        if callers >= 64 { #expect(checkpoints < callers, "at least two decisions shared a commit") }
        try gate.verifyAuditLog()
    }

    func checkpointCount(_ inst: GateTestInstallation) throws -> Int {
        let text = try inst.sqlite("SELECT count(*) FROM audit_checkpoint").trimmingCharacters(in: .whitespacesAndNewlines)
        return try #require(Int(text), "sqlite3 printed \(text)")
    }
}
