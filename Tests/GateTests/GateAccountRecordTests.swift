import AuditLog
import Foundation
import Signing
import Testing
@testable import Gate

/// Accounts of the web service and API change only with an `account-event` audit entry, in the same transaction;
/// `audit verify` (`StoreChecks`) holds the account table to those entries, so an account written in, changed or
/// re-enabled behind the service's back is found.
@Suite struct GateAccountRecordTests {
    static let fast = PasswordHashing.Parameters(logN: 10, r: 8, p: 1)
    static let admin = Actor(id: "admin.kreis")

    func accountEvents(_ gate: Gate) throws -> [(entry: AuditEntry, record: AccountEventRecord)] {
        try gate.auditLog.entries(matching: AuditQuery(kinds: [.accountEvent])).compactMap {
            if case let .accountEvent(r) = $0.entry.content { return ($0.entry, r) } else { return nil }
        }
    }

    @Test("created and disabled are logged with the account's state after them; verify holds")
    func changesAreLogged() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        #expect(try accountEvents(gate).isEmpty, "a new installation has no accounts to record")
        let anna = try gate.addAccount(name: "anna", role: .caseworker, municipality: "Siegburg", password: "ein langes Passwort",
                                       actor: Self.admin, passwordParameters: Self.fast)
        _ = try gate.addAccount(name: "dora", role: .dpo, municipality: nil, password: nil, actor: Self.admin)
        try gate.disableAccount(name: "anna", actor: Actor(id: "admin.zwei"))
        let events = try accountEvents(gate)
        #expect(events.map(\.record.event) == ["created", "created", "disabled"])
        #expect(events.map(\.entry.actor) == ["admin.kreis", "admin.kreis", "admin.zwei"])
        let created = events[0].record
        #expect(created.account == "anna" && created.role == "caseworker" && created.municipality == "Siegburg" && created.disabledAt == nil)
        #expect(events[1].record.municipality == nil && events[1].record.role == "dpo")
        // The credentials are bound, neither the token nor its digest nor the password hash is in the entry.
        let bytes = String(decoding: try gate.auditLog.entries(matching: AuditQuery(kinds: [.accountEvent]))[0].bytes, as: UTF8.self)
        #expect(created.credentials.hasPrefix("sha256:") && created.credentials.count == 71)
        #expect(!bytes.contains(anna.token) && !bytes.contains(APIToken.digest(anna.token)) && !bytes.contains("$scrypt$"), "\(bytes)")
        #expect(events[2].record.credentials == created.credentials)
        #expect(events[2].record.disabledAt == (try inst.sqlite("SELECT disabled_at FROM account WHERE name = 'anna'")).trimmingCharacters(in: .newlines))
        #expect(try gate.accounts.account(named: "anna")?.isActive == false)
        try gate.verifyAuditLog()
        #expect(try StoreChecks.verify(in: gate.database.writer).accounts == 2)
        #expect(try accountEvents(try inst.open()).count == 3, "reopening logs nothing")
    }

    /// A change made with the stock `sqlite3` behind the service's back, and what `audit verify` must say.
    struct Tampering: Sendable, CustomTestStringConvertible {
        let name: String
        let sql: String
        let finding: AccountRecordFinding
        var testDescription: String { name }
    }

    static let tamperings: [Tampering] = [
        Tampering(name: "administrator written in", sql: "INSERT INTO account (name, role, password_hash, token_digest, created_at) VALUES ('mallory', 'admin', NULL, 'sha256:00', '2026-12-01T00:00:00Z')",
                  finding: .notLogged(account: "mallory")),
        Tampering(name: "role raised", sql: "UPDATE account SET role = 'admin', municipality = NULL WHERE name = 'anna'",
                  finding: .changed(account: "anna", fields: ["role", "municipality"])),
        Tampering(name: "other municipality", sql: "UPDATE account SET municipality = 'Troisdorf' WHERE name = 'anna'",
                  finding: .changed(account: "anna", fields: ["municipality"])),
        Tampering(name: "token swapped", sql: "UPDATE account SET token_digest = 'sha256:ab' WHERE name = 'dora'",
                  finding: .changed(account: "dora", fields: ["credentials"])),
        Tampering(name: "password set", sql: "UPDATE account SET password_hash = 'x' WHERE name = 'dora'",
                  finding: .changed(account: "dora", fields: ["credentials"])),
        Tampering(name: "disabled account enabled again", sql: "UPDATE account SET disabled_at = NULL WHERE name = 'otto'",
                  finding: .changed(account: "otto", fields: ["disabled-at"])),
        Tampering(name: "account deleted", sql: "DELETE FROM account WHERE name = 'dora'", finding: .removed(account: "dora")),
    ]

    @Test(arguments: tamperings)
    func tamperingIsFound(_ t: Tampering) throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        _ = try gate.addAccount(name: "anna", role: .caseworker, municipality: "Siegburg", password: nil, actor: Self.admin)
        _ = try gate.addAccount(name: "dora", role: .dpo, municipality: nil, password: nil, actor: Self.admin)
        _ = try gate.addAccount(name: "otto", role: .exporter, municipality: nil, password: nil, actor: Self.admin)
        try gate.disableAccount(name: "otto", actor: Self.admin)
        #expect(try StoreChecks.problem(in: gate.database.writer) == nil)
        try inst.sqlite(t.sql)
        let finding = try StoreChecks.problem(in: gate.database.writer)
        #expect(finding as? AccountRecordFinding == t.finding, "\(String(describing: finding))")
        #expect(finding?.category.exitCode == 4)
        try gate.verifyAuditLog()   // the log itself is intact: only the table was changed
    }

    @Test("messages name the account and what differs, in German and English")
    func messages() {
        let changed = AccountRecordFinding.changed(account: "anna", fields: ["role", "municipality"])
        #expect(changed.message(in: .de) == "Kontentabelle manipuliert: das Konto anna weicht vom letzten account-event des Protokolls ab in: role, municipality")
        #expect(changed.message(in: .en) == "account table tampered with: account anna differs from its last account-event in the log in: role, municipality")
        #expect(AccountRecordFinding.notLogged(account: "mallory").message(in: .de).contains("kein account-event des Protokolls hat es angelegt"))
    }

    @Test("accounts from before account logging are recorded once; resetting the start to slip one in is found")
    func existingAccountsRecordedOnce() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        _ = try inst.open()
        // A database from before account logging: accounts, no `account_log_began` row.
        try inst.sqlite("""
            INSERT INTO account (name, role, municipality, token_digest, created_at) VALUES ('alt.cw', 'caseworker', 'Lohmar', 'sha256:01', '2026-01-01T00:00:00Z');
            INSERT INTO account (name, role, token_digest, created_at, disabled_at) VALUES ('alt.dpo', 'dpo', 'sha256:02', '2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z');
            DELETE FROM account_log_began;
            """)
        let gate = try inst.open(actor: Actor(id: "upgrade"))
        let recorded = try accountEvents(gate)
        #expect(recorded.map(\.record.event) == ["recorded", "recorded"])
        #expect(recorded.map(\.record.account) == ["alt.cw", "alt.dpo"])
        #expect(recorded[1].record.disabledAt == "2026-02-01T00:00:00Z" && recorded[0].record.municipality == "Lohmar")
        #expect(try StoreChecks.problem(in: gate.database.writer) == nil)
        #expect(try accountEvents(try inst.open()).count == 2, "only once")

        // Later: an account created properly, then the start reset to have a written-in account recorded.
        _ = try gate.addAccount(name: "neu", role: .dpo, municipality: nil, password: nil, actor: Self.admin)
        try inst.sqlite("""
            INSERT INTO account (name, role, token_digest, created_at) VALUES ('mallory', 'admin', 'sha256:03', '2026-12-01T00:00:00Z');
            DELETE FROM account_log_began;
            """)
        let reopened = try inst.open()
        let finding = try StoreChecks.problem(in: reopened.database.writer)
        guard case let .recordedLate(account, _)? = finding as? AccountRecordFinding else {
            Issue.record("expected recordedLate, got \(String(describing: finding))"); return
        }
        #expect(account == "alt.cw", "the first late `recorded` event is reported")
    }

    @Test("an account whose audit entry cannot be written is not created")
    func accountAndEntryAreOneTransaction() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        _ = try gate.addAccount(name: "anna", role: .dpo, municipality: nil, password: nil, actor: Self.admin)
        try inst.sqlite("CREATE TRIGGER refuse_entries BEFORE INSERT ON audit_entry BEGIN SELECT RAISE(ABORT, 'disk says no'); END;")
        #expect(throws: (any Error).self) {
            try gate.addAccount(name: "bernd", role: .dpo, municipality: nil, password: nil, actor: Self.admin)
        }
        #expect(throws: (any Error).self) { try gate.disableAccount(name: "anna", actor: Self.admin) }
        #expect(try gate.accounts.account(named: "bernd") == nil)
        #expect(try gate.accounts.account(named: "anna")?.isActive == true)
    }
}
