import AuditLog
import Foundation
import Signing
import Testing
@testable import Gate

/// An administrator acting on an account whose row was changed outside ConsentGate never takes that change into the
/// audit log. Before, `users token`/`users password` and `users disable` logged the row's state as they found it, so a
/// role raised by hand in the table (caseworker → admin) was recorded as if ConsentGate had set it, and from then on the
/// row matched its log: logins worked with the raised role and `audit verify` accepted it.
@Suite struct AccountTamperedRowChangeTests {
    static let fast = PasswordHashing.Parameters(logN: 10, r: 8, p: 1)
    static let actor = Actor(id: "admin.kreis")

    /// An installation with the case worker `anna` whose role was then raised to admin by hand in the table.
    static func raised(_ inst: GateTestInstallation) throws -> (Gate, NewAccount) {
        let gate = try inst.open()
        _ = try gate.addAccount(name: "chef", role: .admin, municipality: nil, password: nil, actor: actor, passwordParameters: fast)
        let anna = try gate.addAccount(name: "anna", role: .caseworker, municipality: "Siegburg", password: "ein langes Passwort 42",
                                       actor: actor, passwordParameters: fast)
        _ = try inst.sqlite("UPDATE account SET role = 'admin', municipality = NULL WHERE name = 'anna'")
        return (gate, anna)
    }

    static func tokenDigest(_ inst: GateTestInstallation, _ gate: Gate) throws -> String? {
        try gate.database.writer.read { db in try String.fetchOne(db, sql: "SELECT token_digest FROM account WHERE name = 'anna'") }
    }

    @Test(arguments: [
        (true, PasswordChange.keep), (false, PasswordChange.set("ein neues langes Passwort")), (false, PasswordChange.remove),
    ])
    func newCredentialsForAChangedRowAreRefused(newToken: Bool, password: PasswordChange) throws {
        let inst = try GateTestInstallation()
        let (gate, anna) = try Self.raised(inst)
        let size = try gate.auditLog.size()
        let digest = try Self.tokenDigest(inst, gate)

        #expect(throws: AccountError.doesNotMatchLog("anna")) {
            try gate.changeAccountCredentials(name: "anna", newToken: newToken, password: password, actor: Self.actor,
                                              passwordParameters: Self.fast)
        }
        #expect(try gate.auditLog.size() == size, "nothing logged")
        #expect(try Self.tokenDigest(inst, gate) == digest, "nothing changed")
        #expect(try gate.accounts.authenticate(token: anna.token) == nil, "the raised row still cannot log in")
        #expect(AccountError.doesNotMatchLog("anna").category == .integrity)
        #expect(AccountError.doesNotMatchLog("anna").message(in: .de).contains("users disable"))
        // The change is still what `audit verify` reports.
        #expect(throws: (any Error).self) { try StoreChecks.verify(in: gate.database.writer) }
    }

    @Test func aChangedRowIsDisabledButItsChangeIsNotLogged() throws {
        let inst = try GateTestInstallation()
        let (gate, anna) = try Self.raised(inst)

        try gate.disableAccount(name: "anna", actor: Self.actor)

        #expect(try gate.accounts.account(named: "anna")?.isActive == false)
        #expect(try gate.accounts.authenticate(token: anna.token) == nil)
        // The `disabled` event carries the role and municipality the log knew, not the table's.
        let events = try gate.auditLog.entries(matching: AuditQuery(kinds: [.accountEvent]))
        guard case let .accountEvent(last)? = events.last?.entry.content else { Issue.record("no account event"); return }
        #expect(last.event == "disabled" && last.account == "anna")
        #expect(last.role == "caseworker" && last.municipality == "Siegburg")
        #expect(last.disabledAt != nil)
        // So the row still differs from its log, and `audit verify` keeps reporting the change.
        #expect(throws: (any Error).self) { try StoreChecks.verify(in: gate.database.writer) }
    }

    @Test func aRowTheLogNeverRecordedIsLeftToAuditVerify() throws {
        let inst = try GateTestInstallation()
        let gate = try inst.open()
        _ = try gate.addAccount(name: "chef", role: .admin, municipality: nil, password: nil, actor: Self.actor, passwordParameters: Self.fast)
        _ = try inst.sqlite("""
            INSERT INTO account (name, role, municipality, password_hash, token_digest, created_at)
            VALUES ('mallory', 'admin', NULL, NULL, '\(APIToken.digest(try APIToken.generate()))', '2026-11-25T12:00:00Z')
            """)
        let size = try gate.auditLog.size()
        #expect(throws: AccountError.notInLog("mallory")) { try gate.disableAccount(name: "mallory", actor: Self.actor) }
        #expect(throws: AccountError.doesNotMatchLog("mallory")) {
            try gate.changeAccountCredentials(name: "mallory", newToken: true, password: .keep, actor: Self.actor)
        }
        #expect(try gate.auditLog.size() == size)
    }

    /// Accounts changed only through ConsentGate keep working as before.
    @Test func untouchedAccountsChangeAsBefore() throws {
        let inst = try GateTestInstallation()
        let gate = try inst.open()
        _ = try gate.addAccount(name: "chef", role: .admin, municipality: nil, password: nil, actor: Self.actor, passwordParameters: Self.fast)
        _ = try gate.addAccount(name: "anna", role: .caseworker, municipality: "Siegburg", password: nil, actor: Self.actor,
                                passwordParameters: Self.fast)
        let token = try #require(try gate.changeAccountCredentials(name: "anna", newToken: true, password: .keep, actor: Self.actor))
        #expect(try gate.accounts.authenticate(token: token)?.name == "anna")
        try gate.disableAccount(name: "anna", actor: Self.actor)
        _ = try StoreChecks.verify(in: gate.database.writer)
    }
}
