import ConsentRecords
import AuditLog
import ChildProcess
import Foundation
import PolicyEngine
import Testing
@testable import Gate

/// `ConsentLedgerCheck`: the stored consents and withdrawals against the audit log, both ways, after edits to
/// the real file with the stock `sqlite3` (the consent tables have no guard against them).
@Suite struct GateConsentLedgerTests {
    /// An installation with one granted and withdrawn consent and one granted consent; their ids and the
    /// index of the withdrawal's entry.
    func installation() throws -> (GateTestInstallation, Gate, withdrawn: String, active: String, withdrawalEntry: Int64) {
        let inst = try GateTestInstallation()
        let gate = try inst.open()
        let (first, _) = try gate.grantConsent(Fixture.grant(), actor: Fixture.actor, now: Fixture.grantedAt)
        let (_, index) = try gate.withdrawConsent(id: first.id, at: Fixture.time("2026-02-01T00:00:00Z"), recordedBy: Fixture.caseManager,
                                                  actor: Fixture.actor, now: Fixture.time("2026-02-01T00:00:00Z"))
        let (second, _) = try gate.grantConsent(Fixture.grant(Fixture.adult("RSK-2022-000003")), actor: Fixture.actor, now: Fixture.grantedAt)
        return (inst, gate, first.id, second.id, try #require(index))
    }

    /// Runs `sql` on the file with the stock `sqlite3`, after dropping the append-only triggers as an editor of
    /// the file would.
    func sqlite(_ inst: GateTestInstallation, _ sql: String) throws {
        let r = try Spawn.run("/usr/bin/sqlite3", [inst.databasePath, ConsentSchema.dropAppendOnlyTriggersSQL + " " + sql])
        #expect(r.status == 0, "\(r.stderrText)")
    }

    @Test func storeAndLogAgree() throws {
        let (inst, gate, _, _, _) = try installation()
        defer { inst.remove() }
        #expect(try ConsentLedgerCheck.problem(in: gate.database.writer) == nil)
    }

    @Test("a deleted withdrawal is found, and it did make the consent count as active again")
    func deletedWithdrawal() throws {
        let (inst, gate, withdrawn, _, entry) = try installation()
        defer { inst.remove() }
        let at = Fixture.time("2026-03-01T10:00:00Z")
        let check = Fixture.jobcenterCheck(at: at)
        #expect(try gate.check(check, actor: Fixture.actor).decision.field("name.family")?.outcome == .deny)
        try sqlite(inst, "DELETE FROM consent_withdrawal WHERE consent_id = '\(withdrawn)'")
        let reopened = try inst.open()
        #expect(try reopened.check(check, actor: Fixture.actor).decision.field("name.family")?.outcome == .permit,
                "the deletion does revive the consent")
        let finding = try ConsentLedgerCheck.problem(in: reopened.database.writer)
        #expect(finding == .withdrawalMissing(index: entry, consentID: withdrawn))
        #expect(finding?.category.exitCode == 4)
        #expect(finding?.message(in: .de).contains("gälte wieder als wirksam") == true)
        #expect(finding?.message(in: .en).contains("would count as active again") == true)
    }

    @Test("a consent replaced by another signed document, deleted, or inserted without its entry is found")
    func consentEdits() throws {
        let (inst, gate, withdrawn, active, _) = try installation()
        defer { inst.remove() }
        let log = try gate.allEntries()
        let grantOfActive = try #require(log.first {
            if case let .consentGranted(g) = $0.entry.content { return g.consentID == active } else { return false }
        }).index
        // The active consent's bytes swapped for the withdrawn one's (genuinely signed, but not what was recorded).
        try sqlite(inst, "UPDATE consent SET jws = (SELECT jws FROM consent WHERE id = '\(withdrawn)') WHERE id = '\(active)'")
        #expect(try ConsentLedgerCheck.problem(in: gate.database.writer) == .consentChanged(index: grantOfActive, consentID: active))
        // Deleted (with its entry still in the log).
        try sqlite(inst, "DELETE FROM consent WHERE id = '\(active)'")
        #expect(try ConsentLedgerCheck.problem(in: gate.database.writer) == .consentMissing(index: grantOfActive, consentID: active))
        // Put back under a new id the log never saw.
        try sqlite(inst, """
            INSERT INTO consent SELECT 'aaaaaaaa-0000-4000-8000-000000000000', subject, template_id, template_version, granted_at,
              expires_at, kid, jws, jws_sha256, recorded_at FROM consent WHERE id = '\(withdrawn)';
            """)
        #expect(try ConsentLedgerCheck.problem(in: gate.database.writer) == .consentMissing(index: grantOfActive, consentID: active),
                "the first difference in log order comes first")
    }

    @Test("a consent stored without any entry is named")
    func unloggedConsent() throws {
        let (inst, gate, withdrawn, _, _) = try installation()
        defer { inst.remove() }
        try sqlite(inst, """
            INSERT INTO consent SELECT 'aaaaaaaa-0000-4000-8000-000000000000', subject, template_id, template_version, granted_at,
              expires_at, kid, jws, jws_sha256, recorded_at FROM consent WHERE id = '\(withdrawn)';
            """)
        #expect(try ConsentLedgerCheck.problem(in: gate.database.writer) == .consentNotLogged(consentID: "aaaaaaaa-0000-4000-8000-000000000000"))
    }
}
