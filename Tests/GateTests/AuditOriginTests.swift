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
        configuration.auditOriginGiven = true
        #expect(throws: AuditLogError.originChanged(log: "consentgate.local/audit", given: "rhein-sieg-kreis.de/consentgate/audit")) {
            _ = try Gate.open(configuration)
        }
        #expect(try first.auditLog.size() == size)
        #expect(try first.auditLog.origin() == "consentgate.local/audit")
    }

    @Test("given no origin, an installation takes its log's, also for the audit key decrypted ahead")
    func noOriginGivenTakesTheLogs() throws {
        let inst = try GateTestInstallation()
        let county = "rhein-sieg-kreis.de/consentgate/audit"
        let environment = ["CONSENTGATE_AUDIT_ORIGIN": county]
        let first = try Gate.open(GateConfiguration(databasePath: inst.databasePath, policyDirectory: GateTestInstallation.shippedPolicy,
                                                    trustFile: GateTestInstallation.trustFile, demoMode: true, environment: environment))
        #expect(first.configuration.auditOriginGiven && first.configuration.auditOrigin == county)
        #expect(try first.auditLog.origin() == county)

        for prefetching in [false, true] {
            let configuration = inst.configuration()
            #expect(!configuration.auditOriginGiven && configuration.auditOrigin == "consentgate.local/audit")
            let gate = try Gate.open(configuration, prefetchingAuditKey: prefetching)
            #expect(gate.configuration.auditOrigin == county)
            #expect(try gate.auditSigner().verifier.name == county)
            _ = try gate.auditLog.append(AuditEntry(time: Date(), actor: "test", policyDigest: gate.policy.digest,
                                                    content: .auditRead(AuditReadRecord(command: "test", filters: [:], results: 0))),
                                         signer: gate.auditSigner())
            #expect(try gate.auditLog.origin() == county)
        }
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
