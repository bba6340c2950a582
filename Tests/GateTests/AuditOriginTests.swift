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

    /// A checkpoint row inserted by hand with another origin (its signature verifies under no key of the trust store) is
    /// not followed: the installation keeps the default origin, and every append is refused (nothing is signed under the
    /// row's origin, which would leave a log that verifies under no single origin: found in a review of this change).
    @Test func anUnverifiedNewestCheckpointIsNotFollowed() throws {
        let inst = try GateTestInstallation()
        let county = "rhein-sieg-kreis.de/consentgate/audit"
        let first = try Gate.open(GateConfiguration(databasePath: inst.databasePath, policyDirectory: GateTestInstallation.shippedPolicy,
                                                    trustFile: GateTestInstallation.trustFile, demoMode: true,
                                                    environment: ["CONSENTGATE_AUDIT_ORIGIN": county]))
        let size = try first.auditLog.size()
        try first.database.writer.write { db in
            let root = Data(repeating: 7, count: 32).base64EncodedString(), sig = Data(repeating: 1, count: 68).base64EncodedString()
            try db.execute(sql: "INSERT INTO audit_checkpoint (tree_size, note, created_at) VALUES (?, ?, ?)",
                           arguments: [size + 100, "evil.example/audit\n\(size + 100)\n\(root)\n\n\u{2014} evil.example/audit \(sig)\n",
                                       "2026-12-07T00:00:00Z"])
        }
        #expect(try first.auditLog.origin() == "evil.example/audit")
        let gate = try Gate.open(inst.configuration())
        #expect(gate.configuration.auditOrigin == GateConfiguration.defaultAuditOrigin, "not taken from the inserted row")
        #expect(throws: AuditLogError.originChanged(log: "evil.example/audit", given: GateConfiguration.defaultAuditOrigin)) {
            _ = try gate.auditLog.append(AuditEntry(time: Date(), actor: "test", policyDigest: gate.policy.digest,
                                                    content: .auditRead(AuditReadRecord(command: "test", filters: [:], results: 0))),
                                         signer: gate.auditSigner())
        }
        #expect(try gate.auditLog.size() == size, "nothing appended")
        // The county's origin given explicitly is refused too: the newest row names another.
        var given = inst.configuration()
        given.auditOrigin = county
        given.auditOriginGiven = true
        #expect(throws: AuditLogError.originChanged(log: "evil.example/audit", given: county)) { _ = try Gate.open(given) }
    }

    @Test("an export dry run refuses another origin than the log's, as the real run does")
    func dryRunRefusesAnotherOrigin() throws {
        let inst = try GateTestInstallation()
        _ = try Gate.open(inst.configuration())
        var given = inst.configuration()
        given.auditOrigin = "rhein-sieg-kreis.de/consentgate/audit"
        given.auditOriginGiven = true
        #expect(throws: AuditLogError.originChanged(log: GateConfiguration.defaultAuditOrigin, given: given.auditOrigin)) {
            _ = try Gate.openForExportDryRun(given)
        }
        #expect(try Gate.openForExportDryRun(inst.configuration()).configuration.auditOrigin == GateConfiguration.defaultAuditOrigin)
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
