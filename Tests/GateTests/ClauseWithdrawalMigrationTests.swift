import ConsentRecords
import Foundation
import GRDB
import PolicyEngine
import Testing
@testable import Gate

/// `consents-v3-clause-withdrawals` on an installation from before it (one withdrawal per consent, keyed by
/// `consent_id`): the withdrawal is kept and still withdraws, the rebuilt table keeps its append-only guards and the
/// change counter's triggers, `audit verify`'s ledger check (which compares the schema with a new database) passes, and
/// withdrawals of single lines can be recorded from then on.
@Suite struct ClauseWithdrawalMigrationTests {
    @Test func anInstallationFromBeforeKeepsItsWithdrawalAndTakesLines() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let (withdrawn, active): (String, String) = try {
            let gate = try inst.open()
            let (first, _) = try gate.grantConsent(Fixture.grant(), actor: Fixture.actor, now: Fixture.grantedAt)
            _ = try gate.withdrawConsent(id: first.id, at: Fixture.time("2026-02-01T00:00:00Z"), recordedBy: Fixture.caseManager,
                                         actor: Fixture.actor, now: Fixture.time("2026-02-01T00:00:00Z"))
            let (second, _) = try gate.grantConsent(Fixture.grant(Fixture.adult("RSK-2022-000003"), clauses: ["jobcenter", "sozialamt"]),
                                                    actor: Fixture.actor, now: Fixture.grantedAt)
            return (first.id, second.id)
        }()
        try inst.waitUntilClosed()

        // The file as the release before wrote it: the table keyed by consent_id alone, with the same triggers, and the
        // migration not yet applied.
        do {
            let pool = try DatabasePool(path: inst.databasePath)
            try pool.write { db in
                let triggers = try String.fetchAll(db, sql: "SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = 'consent_withdrawal'")
                #expect(triggers.count == 5, "two guards, three change-counter triggers")
                try db.execute(sql: """
                    CREATE TABLE "consent_withdrawal_old" ("consent_id" TEXT PRIMARY KEY REFERENCES "consent"("id") ON DELETE RESTRICT, \
                    "withdrawn_at" TEXT NOT NULL, "kid" TEXT NOT NULL, "jws" BLOB NOT NULL, "jws_sha256" TEXT NOT NULL, "recorded_at" TEXT NOT NULL)
                    """)
                try db.execute(sql: "INSERT INTO consent_withdrawal_old SELECT consent_id, withdrawn_at, kid, jws, jws_sha256, recorded_at FROM consent_withdrawal")
                try db.execute(sql: "DROP TABLE consent_withdrawal")
                try db.execute(sql: "ALTER TABLE consent_withdrawal_old RENAME TO consent_withdrawal")
                for sql in triggers { try db.execute(sql: sql) }
                try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = 'consents-v3-clause-withdrawals'")
            }
            let sql = try pool.read { db in try String.fetchOne(db, sql: "SELECT sql FROM sqlite_schema WHERE name = 'consent_withdrawal'") }
            #expect(sql?.contains("\"consent_id\" TEXT PRIMARY KEY") == true)
        }

        let gate = try inst.open()
        #expect(try gate.consents.record(id: withdrawn)?.withdrawals.count == 1)
        let check = Fixture.jobcenterCheck(at: Fixture.time("2026-03-01T10:00:00Z"))
        #expect(try gate.check(check, actor: Fixture.actor).decision.field("name.family")?.outcome == .deny, "still withdrawn")
        #expect(try ConsentLedgerCheck.problem(in: gate.database.writer) == nil, "same schema as a new database, rows as logged")
        let triggers = try gate.database.writer.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = 'consent_withdrawal' ORDER BY name")
        }
        #expect(triggers == ["consent_withdrawal_no_delete", "consent_withdrawal_no_update", "gate_change_consent_withdrawal_delete",
                             "gate_change_consent_withdrawal_insert", "gate_change_consent_withdrawal_update"])
        // Lines of the other consent, each its own row; the change counter moves with each (the read cache sees them).
        let counter = { try gate.database.writer.read { db in try Int.fetchOne(db, sql: "SELECT version FROM gate_change_counter") ?? 0 } }
        let before = try counter()
        _ = try gate.withdrawConsent(id: active, at: Fixture.time("2026-02-01T00:00:00Z"), clauses: ["sozialamt"],
                                     recordedBy: Fixture.caseManager, actor: Fixture.actor)
        _ = try gate.withdrawConsent(id: active, at: Fixture.time("2026-02-02T00:00:00Z"), clauses: ["jobcenter"],
                                     recordedBy: Fixture.caseManager, actor: Fixture.actor)
        #expect(try counter() == before + 2)
        #expect(try gate.consents.record(id: active)?.withdrawals.count == 2)
        #expect(try ConsentLedgerCheck.problem(in: gate.database.writer) == nil)
    }
}
