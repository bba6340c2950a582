import AuditLog
import Foundation
import Testing
@testable import Gate

/// An installation opened with another audit-log origin than its log's is refused when it opens, before anything is
/// appended: a web service started so would otherwise come up and fail at every decision (`AuditOriginCLITests` for the
/// commands).
@Suite struct AuditOriginTests {
    @Test func anotherOriginIsRefusedWhenTheInstallationOpens() throws {
        let inst = try GateTestInstallation()
        var configuration = inst.configuration()
        let first = try Gate.open(configuration)
        let size = try first.auditLog.size()
        #expect(try first.auditLog.origin() == configuration.auditOrigin)

        configuration.auditOrigin = "rhein-sieg-kreis.de/consentgate/audit"
        #expect(throws: AuditLogError.originChanged(log: "consentgate.local/audit", given: "rhein-sieg-kreis.de/consentgate/audit")) {
            _ = try Gate.open(configuration)
        }
        #expect(try first.auditLog.size() == size)
        #expect(try first.auditLog.origin() == "consentgate.local/audit")
    }

    @Test func aLogWithoutCheckpointsHasNoOriginYet() throws {
        let inst = try GateTestInstallation()
        let gate = try Gate.open(inst.configuration())
        try gate.database.writer.write { db in
            try db.execute(sql: "DROP TRIGGER IF EXISTS audit_checkpoint_no_delete")
            try db.execute(sql: "DELETE FROM audit_checkpoint")
        }
        #expect(try gate.auditLog.origin() == nil)
    }
}
