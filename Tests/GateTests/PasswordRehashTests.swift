import AuditLog
import Foundation
import GRDB
import Signing
import Testing
@testable import Gate

/// Rehash on login (`AccountStore.logIn` with a `PasswordRehash`): a page login against a hash made with weaker scrypt
/// parameters than the standard stores a new hash of the password with the standard ones, logged as `account-event`
/// `password-rehashed` in the same transaction, so the next login's log check and `audit verify` still hold the row to
/// the log. Hashes at or above the standard, wrong passwords and refused logins never rehash; a failed rehash does not
/// fail the login.
@Suite struct PasswordRehashTests {
    /// What accounts are created with where the test is about the mechanism, not the cost.
    static let cheap = PasswordHashing.Parameters(logN: 10, r: 8, p: 1)
    /// A cheap stand-in for the standard: three times `cheap`'s work, as today's standard is three times the old one's.
    static let cheapTarget = PasswordHashing.Parameters(logN: 10, r: 8, p: 3)
    /// The standard before 2026-12-05.
    static let oldStandard = PasswordHashing.Parameters(logN: 15, r: 8, p: 1)
    static let admin = Actor(id: "admin.kreis")
    static let password = "ein langes Passwort 42"

    func events(_ gate: Gate) throws -> [(actor: String, record: AccountEventRecord, bytes: String)] {
        try gate.auditLog.entries(matching: AuditQuery(kinds: [.accountEvent])).compactMap {
            if case let .accountEvent(r) = $0.entry.content { return ($0.entry.actor, r, String(decoding: $0.bytes, as: UTF8.self)) }
            return nil
        }
    }

    func storedHash(_ gate: Gate, _ name: String) throws -> String? {
        try gate.database.writer.read { db in
            try String.fetchOne(db, sql: "SELECT password_hash FROM account WHERE name = ?", arguments: [name])
        }
    }

    @Test("the standard is ln=15, r=8, p=3 (one of OWASP's equivalent settings); new accounts get it")
    func newHashesCarryTheStandard() throws {
        #expect(PasswordHashing.Parameters.standard == .init(logN: 15, r: 8, p: 3))
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        _ = try gate.addAccount(name: "anna", role: .dpo, municipality: nil, password: Self.password, actor: Self.admin)
        let stored = try #require(try storedHash(gate, "anna"))
        #expect(stored.hasPrefix("$scrypt$ln=15,r=8,p=3$"), "\(stored)")
    }

    @Test("a hash of the old standard is replaced at login with the standard; the next login and verify still pass")
    func oldStandardIsRehashed() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        let anna = try gate.addAccount(name: "anna", role: .caseworker, municipality: "Siegburg", password: Self.password,
                                       actor: Self.admin, passwordParameters: Self.oldStandard)
        let old = try #require(try storedHash(gate, "anna"))
        let store = gate.accounts
        let first = try #require(try store.logIn(name: "anna", password: Self.password, rehash: gate.passwordRehash()))
        #expect(first.account.name == "anna")
        guard case let .rehashed(from) = first.rehash else { Issue.record("not rehashed: \(first.rehash)"); return }
        #expect(from == Self.oldStandard)
        let new = try #require(try storedHash(gate, "anna"))
        #expect(new != old && PasswordHashing.parameters(of: new) == .standard)
        #expect(PasswordHashing.verify(Self.password, against: new))

        let logged = try events(gate)
        #expect(logged.map(\.record.event) == ["created", "password-rehashed"])
        #expect(logged[1].actor == "system", "the service replaced the hash, no person")
        #expect(logged[1].record.role == "caseworker" && logged[1].record.municipality == "Siegburg" && logged[1].record.disabledAt == nil)
        #expect(logged[1].record.credentials == AccountStore.credentials(tokenDigest: APIToken.digest(anna.token), passwordHash: new))
        #expect(!logged[1].bytes.contains("$scrypt$") && !logged[1].bytes.contains(new), "no hash in the log")

        // The session begun by the rehashing login lives on: its stamp is the new hash's.
        #expect(try store.activeAccountWithStamp(named: "anna")?.stamp == first.stamp)
        // The next login passes the log check (this store's ledger and a fresh one), with nothing left to raise.
        for next in [store, AccountStore(database: gate.database)] {
            let again = try #require(try next.logIn(name: "anna", password: Self.password, rehash: gate.passwordRehash()))
            #expect(again.stamp == first.stamp)
            guard case .notNeeded = again.rehash else { Issue.record("rehashed again: \(again.rehash)"); return }
        }
        #expect(try store.authenticate(token: anna.token)?.name == "anna", "the token stays")
        #expect(try events(gate).count == 2)
        try gate.verifyAuditLog()
        #expect(try StoreChecks.problem(in: gate.database.writer) == nil)
    }

    /// Weaker means less memory (r·N) or less work (N·r·p) than the target (here `cheapTarget`, ln=10, r=8, p=3): such
    /// hashes are raised; a hash equal to the target or above it in both is kept. One installation, one account per case.
    @Test func onlyHashesWeakerThanTheTargetAreRehashed() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        let weaker: [PasswordHashing.Parameters] = [.init(logN: 10, r: 8, p: 1), .init(logN: 10, r: 8, p: 2), .init(logN: 10, r: 4, p: 8)]
        let kept: [PasswordHashing.Parameters] = [Self.cheapTarget, .init(logN: 11, r: 8, p: 3), .init(logN: 10, r: 8, p: 4),
                                                   .init(logN: 10, r: 16, p: 2), .init(logN: 12, r: 8, p: 1)]
        let cases = weaker.map { ($0, true) } + kept.map { ($0, false) }
        for (i, (parameters, _)) in cases.enumerated() {
            _ = try gate.addAccount(name: "konto\(i)", role: .dpo, municipality: nil, password: Self.password, actor: Self.admin,
                                    passwordParameters: parameters)
        }
        let rehash = gate.passwordRehash(to: Self.cheapTarget)
        for (i, (parameters, isWeaker)) in cases.enumerated() {
            let name = "konto\(i)"
            let stored = try storedHash(gate, name)
            let login = try #require(try gate.accounts.logIn(name: name, password: Self.password, rehash: rehash))
            switch (login.rehash, isWeaker) {
            case (.rehashed(from: parameters), true):
                #expect(PasswordHashing.parameters(of: try #require(try storedHash(gate, name))) == Self.cheapTarget)
                #expect(try AccountStore(database: gate.database).logIn(name: name, password: Self.password, rehash: nil) != nil,
                        "the next login passes the log check")
            case (.notNeeded, false):
                #expect(try storedHash(gate, name) == stored, "\(parameters)")
            default:
                Issue.record("\(parameters): \(login.rehash)")
            }
        }
        let rehashed = try events(gate).filter { $0.record.event == "password-rehashed" }.map(\.record.account)
        #expect(rehashed == (0..<weaker.count).map { "konto\($0)" })
        #expect(try StoreChecks.problem(in: gate.database.writer) == nil)
    }

    @Test("a wrong password, a disabled account and a row that does not match its log never rehash")
    func refusedLoginsNeverRehash() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        for name in ["anna", "otto", "mia"] {
            _ = try gate.addAccount(name: name, role: .dpo, municipality: nil, password: Self.password, actor: Self.admin,
                                    passwordParameters: Self.cheap)
        }
        try gate.disableAccount(name: "otto", actor: Self.admin)
        // Changed by hand: a rehash logging this row's state would make the log agree with the change.
        try inst.sqlite("UPDATE account SET role = 'admin' WHERE name = 'mia'")
        let hashes = try ["anna", "otto", "mia"].map { try storedHash(gate, $0) }
        let eventsBefore = try events(gate).count
        let rehash = gate.passwordRehash(to: Self.cheapTarget)
        #expect(try gate.accounts.logIn(name: "anna", password: "ein falsches Passwort", rehash: rehash) == nil)
        #expect(try gate.accounts.logIn(name: "otto", password: Self.password, rehash: rehash) == nil)
        #expect(try gate.accounts.logIn(name: "mia", password: Self.password, rehash: rehash) == nil)
        #expect(try gate.accounts.logIn(name: "niemand", password: Self.password, rehash: rehash) == nil)
        #expect(try ["anna", "otto", "mia"].map { try storedHash(gate, $0) } == hashes)
        #expect(try events(gate).count == eventsBefore)
        #expect(try StoreChecks.problem(in: gate.database.writer) as? AccountRecordFinding == .changed(account: "mia", fields: ["role"]))
    }

    @Test("a password changed between the check and the rehash stands; nothing is written")
    func aChangeInBetweenWins() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        _ = try gate.addAccount(name: "anna", role: .dpo, municipality: nil, password: Self.password, actor: Self.admin,
                                passwordParameters: Self.cheap)
        let checked = try #require(try gate.database.writer.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM account WHERE name = 'anna'")
        })
        _ = try gate.changeAccountCredentials(name: "anna", newToken: false, password: .set("ein neues Passwort 43"),
                                              actor: Self.admin, passwordParameters: Self.cheap)
        let changed = try storedHash(gate, "anna")
        #expect(try gate.accounts.replaceHash(checked: checked, password: Self.password, rehash: gate.passwordRehash(to: Self.cheapTarget)) == nil)
        #expect(try storedHash(gate, "anna") == changed)
        #expect(try events(gate).map(\.record.event) == ["created", "credentials-changed"])
        #expect(try gate.accounts.authenticate(name: "anna", password: "ein neues Passwort 43") != nil)
    }

    @Test("a rehash whose audit entry cannot be written leaves the old hash, and the login succeeds")
    func aFailedRehashDoesNotFailTheLogin() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        _ = try gate.addAccount(name: "anna", role: .dpo, municipality: nil, password: Self.password, actor: Self.admin,
                                passwordParameters: Self.cheap)
        let stored = try storedHash(gate, "anna")
        try inst.sqlite("CREATE TRIGGER refuse_entries BEFORE INSERT ON audit_entry BEGIN SELECT RAISE(ABORT, 'disk says no'); END;")
        let store = gate.accounts
        let login = try #require(try store.logIn(name: "anna", password: Self.password, rehash: gate.passwordRehash(to: Self.cheapTarget)))
        guard case .failed = login.rehash else { Issue.record("\(login.rehash)"); return }
        #expect(try storedHash(gate, "anna") == stored, "hash and entry are one transaction")
        #expect(try store.activeAccountWithStamp(named: "anna")?.stamp == login.stamp)
        try inst.sqlite("DROP TRIGGER refuse_entries;")
        let next = try #require(try store.logIn(name: "anna", password: Self.password, rehash: gate.passwordRehash(to: Self.cheapTarget)))
        guard case .rehashed = next.rehash else { Issue.record("\(next.rehash)"); return }
        #expect(try StoreChecks.problem(in: gate.database.writer) == nil)
    }

    /// An unknown name is checked against a decoy that costs what a real check with the target parameters costs: it
    /// parses (a malformed decoy would be refused at once, without any scrypt) and carries those parameters.
    @Test func theDecoyCostsTheTargetParameters() {
        for parameters in [PasswordHashing.Parameters.standard, Self.cheapTarget] {
            let decoy = AccountStore.decoyHash(for: parameters)
            #expect(PasswordHashing.parameters(of: decoy) == parameters, "\(decoy)")
        }
        #expect(PasswordHashing.parameters(of: AccountStore.decoyHash(for: .standard)) == .init(logN: 15, r: 8, p: 3))
    }
}
