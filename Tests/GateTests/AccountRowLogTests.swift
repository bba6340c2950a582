import AuditLog
import Foundation
import Signing
import Testing
@testable import Gate

/// Authentication accepts an account row only while it matches its latest logged `account-event`: a row written into
/// the table by hand, or changed there, is refused at once (token, password, page-session check), not only at the next
/// `audit verify`; changes made through ConsentGate keep working.
@Suite struct AccountRowLogTests {
    static let fast = PasswordHashing.Parameters(logN: 10, r: 8, p: 1)
    static let actor = Actor(id: "admin.kreis")
    static let password = "ein langes Passwort 42"

    @Test("an admin row inserted by hand: its token and password are refused by a cached and an uncached store")
    func handInsertedAccountIsRefused() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        let anna = try gate.addAccount(name: "anna", role: .caseworker, municipality: "Siegburg", password: Self.password,
                                       actor: Self.actor, passwordParameters: Self.fast)
        #expect(try gate.accounts.authenticate(token: anna.token)?.name == "anna")
        let token = try APIToken.generate()
        let hash = try PasswordHashing.hash(Self.password, parameters: Self.fast)
        try inst.sqlite("""
            INSERT INTO account (name, role, municipality, password_hash, token_digest, created_at)
            VALUES ('mallory', 'admin', NULL, '\(hash)', '\(APIToken.digest(token))', '2026-11-25T12:00:00Z')
            """)
        for store in [gate.accounts, AccountStore(database: gate.database)] {
            #expect(try store.authenticate(token: token) == nil)
            #expect(try store.authenticate(name: "mallory", password: Self.password) == nil)
            #expect(try store.activeAccountWithStamp(named: "mallory") == nil)
            // The logged account is unaffected.
            #expect(try store.authenticate(token: anna.token)?.name == "anna")
            #expect(try store.authenticate(name: "anna", password: Self.password)?.name == "anna")
        }
    }

    @Test("a role changed by hand after the token was cached is refused at the next look-up; set back, it works again")
    func handChangedRoleIsRefused() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        let store = gate.accounts
        let anna = try gate.addAccount(name: "anna", role: .caseworker, municipality: "Siegburg", password: Self.password,
                                       actor: Self.actor, passwordParameters: Self.fast)
        #expect(try store.authenticate(token: anna.token)?.role == .caseworker, "cached now")
        try inst.sqlite("UPDATE account SET role = 'admin', municipality = NULL WHERE name = 'anna'")
        #expect(try store.authenticate(token: anna.token) == nil)
        #expect(try store.authenticate(name: "anna", password: Self.password) == nil)
        #expect(try store.activeAccountWithStamp(named: "anna") == nil)
        try inst.sqlite("UPDATE account SET role = 'caseworker', municipality = 'Siegburg' WHERE name = 'anna'")
        #expect(try store.authenticate(token: anna.token)?.role == .caseworker)
    }

    @Test("a token swapped in by hand is refused, also for renewal; set back, a token renewed through ConsentGate works with the same store")
    func credentials() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        let store = gate.accounts
        let anna = try gate.addAccount(name: "anna", role: .caseworker, municipality: "Siegburg", password: nil, actor: Self.actor)
        let swapped = try APIToken.generate()
        _ = try inst.sqlite("UPDATE account SET token_digest = '\(APIToken.digest(swapped))' WHERE name = 'anna'")
        #expect(try store.authenticate(token: swapped) == nil)
        // Renewing would log the swapped row as ConsentGate's own state (`AccountTamperedRowChangeTests`).
        #expect(throws: AccountError.doesNotMatchLog("anna")) {
            try gate.changeAccountCredentials(name: "anna", newToken: true, password: .keep, actor: Self.actor)
        }
        _ = try inst.sqlite("UPDATE account SET token_digest = '\(APIToken.digest(anna.token))' WHERE name = 'anna'")
        let renewed = try #require(try gate.changeAccountCredentials(name: "anna", newToken: true, password: .keep, actor: Self.actor))
        #expect(try store.authenticate(token: renewed)?.name == "anna", "the ledger reads the new event incrementally")
        _ = try gate.addAccount(name: "bernd", role: .dpo, municipality: nil, password: nil, actor: Self.actor)
        #expect(try store.activeAccountWithStamp(named: "bernd")?.account.role == .dpo)
    }
}
