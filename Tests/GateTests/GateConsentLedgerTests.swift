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
        let finding = try ConsentLedgerCheck.problem(in: gate.database.writer)
        #expect(finding == nil, "\(finding?.message(in: .en) ?? "")")
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
    /// The index of the `consent-granted` entry of `consent`.
    func grantEntry(_ gate: Gate, _ consent: String) throws -> Int64 {
        try #require(try gate.allEntries().first {
            if case let .consentGranted(g) = $0.entry.content { return g.consentID == consent } else { return false }
        }).index
    }

    @Test("a withdrawal whose consent_id is stored as a BLOB is not found by a check: the consent counted again; found")
    func withdrawalIDAsBlob() throws {
        let (inst, gate, withdrawn, _, entry) = try installation()
        defer { inst.remove() }
        let check = Fixture.jobcenterCheck(at: Fixture.time("2026-03-01T10:00:00Z"))
        #expect(try gate.check(check, actor: Fixture.actor).decision.field("name.family")?.outcome == .deny)
        try sqlite(inst, "UPDATE consent_withdrawal SET consent_id = CAST(consent_id AS BLOB) WHERE consent_id = '\(withdrawn)'")
        let reopened = try inst.open()
        #expect(try reopened.check(check, actor: Fixture.actor).decision.field("name.family")?.outcome == .permit,
                "the row is intact, yet the look-up misses it")
        let finding = try ConsentLedgerCheck.problem(in: reopened.database.writer)
        #expect(finding == .withdrawalColumnChanged(index: entry, consentID: withdrawn, column: "consent_id"))
        #expect(finding?.category.exitCode == 4)
        #expect(finding?.message(in: .de).contains("gälte wieder als wirksam") == true)
    }

    @Test("a withdrawal left out of the primary-key index is not found by a check: the consent counted again; found")
    func withdrawalOutOfIndex() throws {
        let (inst, gate, _, _, _) = try installation()
        defer { inst.remove() }
        let check = Fixture.jobcenterCheck(at: Fixture.time("2026-03-01T10:00:00Z"))
        #expect(try gate.check(check, actor: Fixture.actor).decision.field("name.family")?.outcome == .deny)
        // The index rebuilt under a table definition whose key is another column, then the definition put back.
        let original = try #require(try inst.sqlite(
            "SELECT sql FROM sqlite_schema WHERE name = 'consent_withdrawal'").split(separator: "\n").first.map(String.init))
        let moved = original.replacingOccurrences(of: "PRIMARY KEY (\"consent_id\", \"jws_sha256\")",
                                                  with: "PRIMARY KEY (\"jws_sha256\", \"consent_id\")")
        #expect(moved != original && moved.contains("PRIMARY KEY (\"jws_sha256\", \"consent_id\")"), "\(original)")
        func setDefinition(_ sql: String) throws {
            try sqlite(inst, "PRAGMA writable_schema = 1; UPDATE sqlite_schema SET sql = '\(sql.replacingOccurrences(of: "'", with: "''"))' WHERE name = 'consent_withdrawal';")
        }
        try setDefinition(moved)
        try sqlite(inst, "REINDEX sqlite_autoindex_consent_withdrawal_1;")
        try setDefinition(original)
        let reopened = try inst.open()
        #expect(try reopened.check(check, actor: Fixture.actor).decision.field("name.family")?.outcome == .permit,
                "the row is intact, yet the look-up through the index misses it")
        let finding = try ConsentLedgerCheck.problem(in: reopened.database.writer)
        guard case let .indexDamaged(table, detail)? = finding else { Issue.record("\(String(describing: finding))"); return }
        #expect(table == "consent_withdrawal")
        #expect(detail.contains("sqlite_autoindex_consent_withdrawal_1"))
        #expect(finding?.message(in: .de).contains("REINDEX consent_withdrawal") == true)
        try sqlite(inst, "REINDEX consent_withdrawal;")
        try sqlite(inst, ConsentSchema.createAppendOnlyTriggersSQL)
        #expect(try ConsentLedgerCheck.problem(in: try inst.open().database.writer) == nil, "REINDEX repairs it")
    }

    @Test("the consents of a person hidden by a rebuilt subject index are found")
    func subjectIndexRebuilt() throws {
        let (inst, _, _, _, _) = try installation()
        defer { inst.remove() }
        let name = try inst.sqlite(
            "SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'consent' AND sql IS NOT NULL")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(!name.isEmpty)
        try sqlite(inst, "PRAGMA writable_schema = 1; UPDATE sqlite_schema SET sql = sql || ' WHERE 0' WHERE name = '\(name)';")
        try sqlite(inst, "REINDEX \(name);")
        try sqlite(inst, "PRAGMA writable_schema = 1; UPDATE sqlite_schema SET sql = substr(sql, 1, length(sql) - 8) WHERE name = '\(name)';")
        try sqlite(inst, ConsentSchema.createAppendOnlyTriggersSQL)
        let reopened = try inst.open()
        #expect(try reopened.consents.list(subject: Fixture.subjectID).isEmpty, "the index hides the person's consents")
        let finding = try ConsentLedgerCheck.problem(in: reopened.database.writer)
        guard case let .indexDamaged(table, detail)? = finding else { Issue.record("\(String(describing: finding))"); return }
        #expect(table == "consent" && detail.contains(name))
    }

    @Test("a look-up column of a stored consent changed (value or storage class) is named", arguments: [
        ("subject = 'RSK-2022-000099'", "subject"),
        ("subject = CAST(subject AS BLOB)", "subject"),
        ("granted_at = '2020-01-01T00:00:00Z'", "granted_at"),
        ("template_version = template_version + 1", "template_version"),
        ("template_id = 'other'", "template_id"),
        ("jws_sha256 = 'sha256:00'", "jws_sha256"),
        ("id = CAST(id AS BLOB)", "id"),
    ])
    func consentColumns(edit: String, column: String) throws {
        let (inst, gate, _, active, _) = try installation()
        defer { inst.remove() }
        let entry = try grantEntry(gate, active)
        try sqlite(inst, "UPDATE consent SET \(edit) WHERE id = '\(active)'")
        #expect(try ConsentLedgerCheck.problem(in: gate.database.writer)
                == .consentColumnChanged(index: entry, consentID: active, column: column))
    }

    @Test("a withdrawal's time column changed is named")
    func withdrawalTime() throws {
        let (inst, gate, withdrawn, _, entry) = try installation()
        defer { inst.remove() }
        try sqlite(inst, "UPDATE consent_withdrawal SET withdrawn_at = '2099-01-01T00:00:00Z'")
        #expect(try ConsentLedgerCheck.problem(in: gate.database.writer)
                == .withdrawalColumnChanged(index: entry, consentID: withdrawn, column: "withdrawn_at"))
    }

    @Test("dropped guard triggers and an added index are found even when no row was touched")
    func schemaEdits() throws {
        let (inst, gate, _, _, _) = try installation()
        defer { inst.remove() }
        try sqlite(inst, "")   // drops the append-only triggers, as every editor of the file does first
        let dropped = try ConsentLedgerCheck.problem(in: gate.database.writer)
        #expect(dropped == .schemaChanged(object: "consent_no_delete", change: .missing))
        #expect(dropped?.message(in: .en).contains("guards against updates and deletes") == true)
        try sqlite(inst, ConsentSchema.createAppendOnlyTriggersSQL)
        #expect(try ConsentLedgerCheck.problem(in: try inst.open().database.writer) == nil, "the triggers put back")
        try inst.sqlite("CREATE INDEX consent_by_kid ON consent(kid);")
        #expect(try ConsentLedgerCheck.problem(in: try inst.open().database.writer) == .schemaChanged(object: "consent_by_kid", change: .added))
    }
}
