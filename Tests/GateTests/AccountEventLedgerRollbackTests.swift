import AuditLog
import Foundation
import GRDB
import Signing
import Testing
@testable import Gate

/// The account-event ledger (`AccountEventLedger`) keeps only committed entries. Before, entries it read inside a write
/// transaction were kept even when that transaction rolled back: the next append reused the index, the ledger had read
/// past it, and the rolled-back event stayed the account's "latest", so the account's logins were refused until the
/// process restarted (fail closed).
@Suite struct AccountEventLedgerRollbackTests {
    struct Abort: Error {}
    static let actor = Actor(id: "admin.kreis")
    static let fast = PasswordHashing.Parameters(logN: 10, r: 8, p: 1)
    static let password = "ein langes Passwort 42"

    @Test("an account-event read by the ledger in a transaction that then throws is not kept: the account made afterwards logs in")
    func rolledBackEventIsForgotten() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        let store = gate.accounts   // one ledger, as the web service's long-lived store
        let signer = try gate.auditSigner()
        let sizeBefore = try gate.auditLog.size()
        let phantom = AccountEventRecord(event: "created", account: "anna", role: "admin", municipality: nil,
                                         credentials: "sha256:" + String(repeating: "0", count: 64))
        #expect(throws: Abort.self) {
            try gate.database.writer.write { db in
                try gate.auditLog.append([AuditEntry(actor: Self.actor.id, content: .accountEvent(phantom))], signer: signer, in: db)
                // Inside the transaction the ledger sees its own append.
                #expect(try store.ledger.latestEvent(for: "anna", in: db) == phantom)
                throw Abort()
            }
        }
        #expect(try gate.auditLog.size() == sizeBefore, "rolled back")

        // The real account's event takes the rolled-back entry's index.
        let anna = try gate.addAccount(name: "anna", role: .caseworker, municipality: "Siegburg", password: Self.password,
                                       actor: Self.actor, passwordParameters: Self.fast)
        #expect(try gate.auditLog.size() == sizeBefore + 1)
        #expect(try store.authenticate(token: anna.token)?.name == "anna")
        #expect(try store.authenticate(name: "anna", password: Self.password)?.role == .caseworker)
        #expect(try store.activeAccountWithStamp(named: "anna") != nil)
    }
}
