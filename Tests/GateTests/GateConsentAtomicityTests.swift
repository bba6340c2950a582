import AuditLog
import ConsentRecords
import Foundation
import GRDB
import Testing
@testable import Gate

/// A grant (or withdrawal) and its audit entry are one transaction: when the log cannot take the entry,
/// neither the consent, nor the person's attributes, nor the withdrawal is stored.
@Suite struct GateConsentAtomicityTests {
    /// Makes every insert into the audit log fail, as a full disk or a broken log file would.
    static func breakTheLog(_ gate: Gate) throws {
        try gate.database.writer.write { db in
            try db.execute(sql: "CREATE TRIGGER test_audit_refuses BEFORE INSERT ON audit_entry BEGIN SELECT RAISE(ABORT, 'log refuses'); END")
        }
    }

    static func repairTheLog(_ gate: Gate) throws {
        try gate.database.writer.write { db in try db.execute(sql: "DROP TRIGGER test_audit_refuses") }
    }

    static func count(_ gate: Gate, _ sql: String) throws -> Int {
        try gate.database.writer.read { db in try Int.fetchOne(db, sql: sql) ?? -1 }
    }

    @Test func aGrantTheLogRefusesLeavesNothingBehind() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        let size = try gate.auditLog.size()
        try Self.breakTheLog(gate)
        #expect(throws: (any Error).self) { try gate.grantConsent(Fixture.grant(), actor: Fixture.actor, now: Fixture.grantedAt) }
        #expect(try Self.count(gate, "SELECT count(*) FROM consent") == 0)
        #expect(try gate.subject(id: Fixture.subjectID) == nil, "the person's attributes roll back with the consent")
        #expect(try gate.auditLog.size() == size)
        try Self.repairTheLog(gate)
        let (stored, index) = try gate.grantConsent(Fixture.grant(), actor: Fixture.actor, now: Fixture.grantedAt)
        let entry = try #require(try gate.allEntries().first { $0.index == index }?.entry)
        guard case .consentGranted(let granted) = entry.content else { Issue.record("\(entry)"); return }
        #expect(granted.consentID == stored.id && granted.digest == stored.jwsSHA256)
        #expect(try gate.subject(id: Fixture.subjectID)?.municipality == "Troisdorf")
        #expect(try gate.verifyAuditLog().size == size + 1)
    }

    @Test func aWithdrawalTheLogRefusesIsNotStored() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        let (stored, _) = try gate.grantConsent(Fixture.grant(), actor: Fixture.actor, now: Fixture.grantedAt)
        let later = Fixture.time("2026-02-01T09:00:00Z")
        try Self.breakTheLog(gate)
        #expect(throws: (any Error).self) {
            try gate.withdrawConsent(id: stored.id, recordedBy: Fixture.caseManager, actor: Fixture.actor, now: later)
        }
        #expect(try gate.consents.record(id: stored.id)?.wholeWithdrawal == nil)
        try Self.repairTheLog(gate)
        let (outcome, index) = try gate.withdrawConsent(id: stored.id, recordedBy: Fixture.caseManager, actor: Fixture.actor, now: later)
        guard case .recorded(let w) = outcome else { Issue.record("\(outcome)"); return }
        let entry = try #require(try gate.allEntries().first { $0.index == index }?.entry)
        guard case .consentWithdrawn(let withdrawn) = entry.content else { Issue.record("\(entry)"); return }
        #expect(withdrawn.consentID == stored.id && withdrawn.subject == Fixture.subjectID && withdrawn.digest == w.jwsSHA256)
    }

    @Test func anImportTheLogRefusesStoresNeitherTheDocumentNorTheBirthDate() throws {
        let source = try GateTestInstallation()
        defer { source.remove() }
        let (granted, _) = try source.open().grantConsent(Fixture.grant(), actor: Fixture.actor, now: Fixture.grantedAt)
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        let size = try gate.auditLog.size()
        try Self.breakTheLog(gate)
        #expect(throws: (any Error).self) {
            try gate.importConsentDocument(granted.jws, birthDate: Fixture.day("1948-07-18"), actor: Fixture.actor, now: Fixture.grantedAt)
        }
        #expect(try Self.count(gate, "SELECT count(*) FROM consent") == 0)
        #expect(try gate.subject(id: Fixture.subjectID) == nil)
        try Self.repairTheLog(gate)
        let outcome = try gate.importConsentDocument(granted.jws, birthDate: Fixture.day("1948-07-18"), actor: Fixture.actor,
                                                     now: Fixture.grantedAt)
        #expect(outcome == .imported(.consent, consentID: granted.id))
        #expect(try gate.subject(id: Fixture.subjectID)?.birthDate == Fixture.day("1948-07-18"))
        #expect(try gate.auditLog.size() == size + 1)
        // The same document again: nothing new logged.
        #expect(try gate.importConsentDocument(granted.jws, actor: Fixture.actor) == .alreadyPresent(.consent, consentID: granted.id))
        #expect(try gate.verifyAuditLog().size == size + 1)
    }
}
