import AuditLog
import Foundation
import Signing
import Testing
@testable import Gate

/// An account's credentials (API token, page password) can be replaced, each change logged as an `account-event`
/// (`credentials-changed`) in the same transaction, so `audit verify` still holds the table to the log.
@Suite struct GateAccountCredentialsTests {
    static let fast = PasswordHashing.Parameters(logN: 10, r: 8, p: 1)
    static let admin = Actor(id: "admin.kreis")

    func events(_ gate: Gate) throws -> [AccountEventRecord] {
        try gate.auditLog.entries(matching: AuditQuery(kinds: [.accountEvent])).compactMap {
            if case let .accountEvent(r) = $0.entry.content { return r } else { return nil }
        }
    }

    @Test("a new token replaces the old one at once; the change is logged and verify holds")
    func newToken() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        let anna = try gate.addAccount(name: "anna", role: .caseworker, municipality: "Siegburg", password: "ein langes Passwort",
                                       actor: Self.admin, passwordParameters: Self.fast)
        let token = try #require(try gate.changeAccountCredentials(name: "anna", newToken: true, password: .keep,
                                                                   actor: Actor(id: "admin.zwei"), passwordParameters: Self.fast))
        #expect(token != anna.token && APIToken.isWellFormed(token))
        // A fresh store (no read cache) and the gate's cached one agree: old token gone, new one works.
        for store in [gate.accounts, AccountStore(database: gate.database)] {
            #expect(try store.authenticate(token: anna.token) == nil)
            #expect(try store.authenticate(token: token)?.name == "anna")
            #expect(try store.authenticate(name: "anna", password: "ein langes Passwort")?.name == "anna", "the password stays")
        }
        let logged = try events(gate)
        #expect(logged.map(\.event) == ["created", "credentials-changed"])
        #expect(logged[1].credentials != logged[0].credentials)
        #expect(logged[1].role == "caseworker" && logged[1].municipality == "Siegburg" && logged[1].disabledAt == nil)
        let entries = try gate.auditLog.entries(matching: AuditQuery(kinds: [.accountEvent]))
        #expect(entries[1].entry.actor == "admin.zwei")
        #expect(!String(decoding: entries[1].bytes, as: UTF8.self).contains(token))
        try gate.verifyAuditLog()
        #expect(try StoreChecks.problem(in: gate.database.writer) == nil)
    }

    @Test("a password is set, replaced and removed; only the current one logs in")
    func password() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        let created = try gate.addAccount(name: "dora", role: .dpo, municipality: nil, password: nil, actor: Self.admin)
        #expect(try gate.accounts.authenticate(name: "dora", password: "erstes Passwort 1") == nil)
        _ = try gate.changeAccountCredentials(name: "dora", newToken: false, password: .set("erstes Passwort 1"), actor: Self.admin,
                                              passwordParameters: Self.fast)
        let first = try #require(try gate.accounts.authenticateWithStamp(name: "dora", password: "erstes Passwort 1"))
        _ = try gate.changeAccountCredentials(name: "dora", newToken: false, password: .set("zweites Passwort 2"), actor: Self.admin,
                                              passwordParameters: Self.fast)
        #expect(try gate.accounts.authenticate(name: "dora", password: "erstes Passwort 1") == nil)
        let second = try #require(try gate.accounts.authenticateWithStamp(name: "dora", password: "zweites Passwort 2"))
        #expect(first.stamp != second.stamp, "a page session of the first password must see the change")
        #expect(try gate.accounts.activeAccountWithStamp(named: "dora")?.stamp == second.stamp)
        #expect(try gate.accounts.authenticate(token: created.token)?.name == "dora", "the token stays")
        _ = try gate.changeAccountCredentials(name: "dora", newToken: false, password: .remove, actor: Self.admin)
        #expect(try gate.accounts.authenticate(name: "dora", password: "zweites Passwort 2") == nil)
        #expect(try gate.accounts.activeAccountWithStamp(named: "dora")?.stamp != second.stamp)
        #expect(try events(gate).map(\.event) == ["created", "credentials-changed", "credentials-changed", "credentials-changed"])
        #expect(try StoreChecks.problem(in: gate.database.writer) == nil)
    }

    struct Refusal: Sendable, CustomTestStringConvertible {
        let name: String
        let account: String
        let newToken: Bool
        let password: PasswordChange
        let error: AccountError
        var testDescription: String { name }
    }

    static let refusals: [Refusal] = [
        Refusal(name: "unknown account", account: "niemand", newToken: true, password: .keep, error: .unknownAccount("niemand")),
        Refusal(name: "disabled account", account: "otto", newToken: true, password: .keep, error: .disabled("otto")),
        Refusal(name: "nothing to change", account: "anna", newToken: false, password: .keep, error: .nothingToChange),
        Refusal(name: "password too short", account: "anna", newToken: false, password: .set("kurz"),
                error: .passwordTooShort(minimum: AccountStore.minimumPasswordLength)),
        Refusal(name: "invalid name", account: "an na", newToken: true, password: .keep, error: .invalidName("an na")),
    ]

    @Test(arguments: refusals)
    func refused(_ r: Refusal) throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        let anna = try gate.addAccount(name: "anna", role: .dpo, municipality: nil, password: nil, actor: Self.admin)
        _ = try gate.addAccount(name: "otto", role: .exporter, municipality: nil, password: nil, actor: Self.admin)
        try gate.disableAccount(name: "otto", actor: Self.admin)
        let before = try events(gate).count
        #expect(throws: r.error) {
            try gate.changeAccountCredentials(name: r.account, newToken: r.newToken, password: r.password, actor: Self.admin,
                                              passwordParameters: Self.fast)
        }
        #expect(try events(gate).count == before, "nothing logged")
        #expect(try gate.accounts.authenticate(token: anna.token)?.name == "anna", "nothing changed")
        #expect(!r.error.message(in: .de).isEmpty && r.error.message(in: .de) != r.error.message(in: .en))
    }

    @Test("a token swapped in after a logged change is still found by verify")
    func tamperingAfterChange() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        _ = try gate.addAccount(name: "anna", role: .dpo, municipality: nil, password: nil, actor: Self.admin)
        _ = try gate.changeAccountCredentials(name: "anna", newToken: true, password: .keep, actor: Self.admin)
        #expect(try StoreChecks.problem(in: gate.database.writer) == nil)
        try inst.sqlite("UPDATE account SET token_digest = 'sha256:ab' WHERE name = 'anna'")
        #expect(try StoreChecks.problem(in: gate.database.writer) as? AccountRecordFinding == .changed(account: "anna", fields: ["credentials"]))
    }

    @Test("a change whose audit entry cannot be written does not happen")
    func changeAndEntryAreOneTransaction() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        let anna = try gate.addAccount(name: "anna", role: .dpo, municipality: nil, password: nil, actor: Self.admin)
        try inst.sqlite("CREATE TRIGGER refuse_entries BEFORE INSERT ON audit_entry BEGIN SELECT RAISE(ABORT, 'disk says no'); END;")
        #expect(throws: (any Error).self) {
            try gate.changeAccountCredentials(name: "anna", newToken: true, password: .keep, actor: Self.admin)
        }
        #expect(try AccountStore(database: gate.database).authenticate(token: anna.token)?.name == "anna")
    }
}
