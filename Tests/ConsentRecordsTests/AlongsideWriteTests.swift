import Foundation
import GRDB
import PolicyEngine
import Signing
import TestFolders
import Testing
@testable import ConsentRecords

/// Grants and withdrawals that carry the caller's own writes (the audit entry, the person) in the same
/// transaction: both are stored, or, when the caller's part fails, neither.
@Suite struct AlongsideWriteTests {
    let signer: TestSigner
    /// The test's folder with the database file (removed after the test).
    let folder: TemporaryDirectory
    let store: ConsentStore

    init() throws {
        signer = try TestSigner()
        folder = try TestDatabase.folder()
        store = try TestDatabase.store(makeVerifier([signer]), path: TestDatabase.path(in: folder))
        try store.database.write { db in try db.execute(sql: "CREATE TABLE side (what TEXT NOT NULL)") }
    }

    struct SideFailure: Error, Equatable {}

    func sideRows() throws -> [String] {
        try store.database.read { db in try String.fetchAll(db, sql: "SELECT what FROM side ORDER BY rowid") }
    }

    func consentCount() throws -> Int {
        try store.database.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM consent") ?? -1 }
    }

    @Test func aGrantAndTheCallersRowCommitTogether() throws {
        let signed = try Fixture.declaration().signed(with: signer.key)
        let (stored, side) = try store.grant(signed, now: Fixture.now) { db, stored in
            try db.execute(sql: "INSERT INTO side (what) VALUES (?)", arguments: ["granted " + stored.id])
            return 7
        }
        #expect(side == 7)
        #expect(stored.id == signed.content.idText)
        #expect(try sideRows() == ["granted \(signed.content.idText)"])
        #expect(try consentCount() == 1)
    }

    @Test func whenTheCallersPartFailsTheGrantIsNotStored() throws {
        let signed = try Fixture.declaration().signed(with: signer.key)
        #expect(throws: SideFailure()) {
            _ = try store.grant(signed, now: Fixture.now) { db, _ in
                try db.execute(sql: "INSERT INTO side (what) VALUES ('half')")
                throw SideFailure()
            }
        }
        #expect(try consentCount() == 0)
        #expect(try sideRows() == [])
        // The same consent can then be granted: nothing of the failed attempt remains.
        _ = try store.grant(signed, now: Fixture.now) { _, _ in () }
        #expect(try consentCount() == 1)
    }

    @Test func aWithdrawalRunsTheCallersPartOnlyWhenNew() throws {
        let signed = try Fixture.declaration().signed(with: signer.key)
        try store.grant(signed, now: Fixture.now)
        let id = signed.content.idText
        // A failing caller part rolls the withdrawal back.
        #expect(throws: SideFailure()) {
            _ = try store.withdraw(consentID: id, at: Fixture.now, recordedBy: Fixture.collector, key: signer.key,
                                   now: Fixture.now) { _, _, _ in throw SideFailure() }
        }
        #expect(try store.record(id: id)?.wholeWithdrawal == nil)
        let (first, side) = try store.withdraw(consentID: id, at: Fixture.now, recordedBy: Fixture.collector, key: signer.key,
                                               now: Fixture.now) { db, w, consent in
            #expect(consent.subject == "RSK-2022-000017" && consent.wholeWithdrawal == nil)
            try db.execute(sql: "INSERT INTO side (what) VALUES (?)", arguments: ["withdrawn " + w.consentID])
            return "logged"
        }
        guard case .recorded = first else { Issue.record("expected a new withdrawal, got \(first)"); return }
        #expect(side == "logged")
        let (again, none) = try store.withdraw(consentID: id, at: Fixture.now, recordedBy: Fixture.collector, key: signer.key,
                                               now: Fixture.now) { _, _, _ in "must not run" }
        guard case .alreadyWithdrawn = again else { Issue.record("expected the first withdrawal, got \(again)"); return }
        #expect(none == nil)
        #expect(try sideRows() == ["withdrawn \(id)"])
    }

    @Test func theStoresOwnErrorsPassUnchanged() throws {
        let signed = try Fixture.declaration().signed(with: signer.key)
        try store.grant(signed, now: Fixture.now)
        #expect(throws: ConsentError.duplicateConsent(id: signed.content.idText)) {
            _ = try store.grant(signed, now: Fixture.now) { _, _ in () }
        }
    }
}
