import Diagnostics
import Foundation
import GRDB
import Testing
@testable import AuditLog

/// An audit log whose database cannot take another entry says so in the user's language, with the operation in words
/// and SQLite's code, never SQLite's English text or the SQL statement. Found in the full-disk review: `check` printed
/// "Audit-Protokoll: Speicherfehler bei append: SQLite error 13: database or disk is full - while executing `COMMIT TRANSACTION`".
@Suite struct StorageFailureWordsTests {
    @Test func aFullDatabaseIsSaidInWordsInBothLanguages() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("audit-full-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("audit.sqlite").path
        _ = try TestSupport.openDatabase(at: path)
        // SQLite's page limit (no more pages than now): the same SQLITE_FULL a full disk gives.
        var config = Configuration()
        config.prepareDatabase { db in  // a few pages more than now (GRDB opens a pool with a table of its own)
            let pages = try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0
            try db.execute(sql: "PRAGMA max_page_count = \(pages + 4)")
        }
        let store = AuditLogStore(writer: try DatabasePool(path: path, configuration: config))
        let signer = try TestSupport.signer()

        var failure: AuditLogError?, appended: Int64 = 0
        for n in 0..<10_000 where failure == nil {
            do { appended += Int64(try store.append([try TestSupport.disclosure(n)], signer: signer).count) } catch let e as AuditLogError { failure = e }
        }
        guard case let .storage(operation, reason)? = failure else {
            Issue.record("no storage failure: \(String(describing: failure))")
            return
        }
        #expect(operation == .append)
        #expect(reason.sqliteCode == 13)
        let de = failure!.message(in: .de), en = failure!.message(in: .en)
        #expect(de == "Audit-Protokoll: Datenbankzugriff fehlgeschlagen (Einträge anhängen): der Datenträger ist voll (SQLite-Fehler 13)")
        #expect(en == "audit log: storage failed (append entries): the disk is full (SQLite error 13)")
        #expect(failure!.category == .storage)
        // What was committed before is all there and still verifies.
        #expect(appended > 0)
        #expect(try AuditLogStore(writer: try TestSupport.openDatabase(at: path)).verify(key: signer.verifier).size == appended)
    }
}
