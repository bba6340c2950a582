import ChildProcess
import Foundation
import Gate
import Signing
import Testing

/// `Gate.AccountStore` on a real SQLite file.
@Suite struct AccountStoreTests {
    let fixture: WebFixture
    var store: AccountStore { fixture.environment.accounts }
    var gate: Gate { fixture.environment.gate }
    static let admin = Actor(id: "test-admin")
    init() throws { fixture = try WebFixture() }

    @Test func tokenIsStoredOnlyAsDigest() throws {
        let created = try gate.addAccount(name: "anna.k", role: .dpo, municipality: nil, password: nil, actor: Self.admin)
        // Read the row with an independent SQLite client (Python's sqlite3).
        let row = try python("""
            import sqlite3, sys
            c = sqlite3.connect(sys.argv[1])
            print("|".join(str(v) for v in c.execute("SELECT * FROM account WHERE name = 'anna.k'").fetchone()))
            """, fixture.database.path)
        #expect(row.contains("anna.k|dpo|"))
        #expect(!row.contains(created.token))
        #expect(row.contains(APIToken.digest(created.token)))
        #expect(try store.authenticate(token: created.token)?.name == "anna.k")
        #expect(try store.authenticate(token: try APIToken.generate()) == nil)
    }

    @Test func passwordLoginAndDisable() throws {
        let created = try gate.addAccount(name: "bernd", role: .caseworker, municipality: "Lohmar", password: "ein langes Passwort",
                                          actor: Self.admin, passwordParameters: WebFixture.fastHashing)
        #expect(try store.authenticate(name: "bernd", password: "ein langes Passwort")?.municipality == "Lohmar")
        #expect(try store.authenticate(name: "bernd", password: "ein falsches Passwort") == nil)
        #expect(try store.authenticate(name: "nobody", password: "ein langes Passwort") == nil)
        try gate.disableAccount(name: "bernd", actor: Self.admin)
        #expect(try store.authenticate(name: "bernd", password: "ein langes Passwort") == nil)
        #expect(try store.authenticate(token: created.token) == nil)
        #expect(try store.account(named: "bernd")?.isActive == false)
        #expect(throws: AccountError.alreadyDisabled("bernd")) { try gate.disableAccount(name: "bernd", actor: Self.admin) }
        #expect(throws: AccountError.unknownAccount("zoe")) { try gate.disableAccount(name: "zoe", actor: Self.admin) }
    }

    @Test func validation() throws {
        #expect(throws: AccountError.municipalityMismatch(role: .caseworker, municipality: nil)) {
            try gate.addAccount(name: "c", role: .caseworker, municipality: nil, password: nil, actor: Self.admin)
        }
        #expect(throws: AccountError.municipalityMismatch(role: .dpo, municipality: "Siegburg")) {
            try gate.addAccount(name: "d", role: .dpo, municipality: "Siegburg", password: nil, actor: Self.admin)
        }
        #expect(throws: AccountError.invalidName("<b>")) { try gate.addAccount(name: "<b>", role: .dpo, municipality: nil, password: nil, actor: Self.admin) }
        #expect(throws: AccountError.passwordTooShort(minimum: 12)) { try gate.addAccount(name: "e", role: .dpo, municipality: nil, password: "kurz", actor: Self.admin) }
        #expect(throws: AccountError.duplicateName("test-dpo")) { try gate.addAccount(name: "test-dpo", role: .dpo, municipality: nil, password: nil, actor: Self.admin) }
        // A name that differs only in case is the same name to a reader and to the login throttle: refused, naming the existing one.
        #expect(throws: AccountError.duplicateName("test-dpo")) { try gate.addAccount(name: "Test-DPO", role: .dpo, municipality: nil, password: nil, actor: Self.admin) }
        #expect(try store.list().map(\.name) == ["test-admin", "test-caseworker", "test-caseworker-other", "test-dpo", "test-exporter"])
    }
}

/// Runs a Python script with arguments; returns standard output.
func python(_ script: String, _ arguments: String...) throws -> String {
    // The `python3` on PATH: the one `.ci/run` installs the interop packages into.
    try Spawn.run("/usr/bin/env", ["python3", "-c", script] + arguments, stderr: .inherit).stdoutText
}
