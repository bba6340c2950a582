import Diagnostics
import Foundation
import GRDB
import Testing
@testable import Gate

/// Storage failures read as sentences in the user's language: SQLite's result code as words plus the code for support,
/// the operation in German and English, and neither the SQL statement nor a Swift value's dump. Found in the export
/// review: "Speichern fehlgeschlagen (read accounts): SQLite error 8: attempt to write a readonly database - while
/// executing `INSERT …`" and "failed(operation: …, reason: …)". Every case provokes a real failure of a real file.
@Suite struct StorageErrorMessageTests {
    /// A real failure, and the words its message must carry in each language.
    enum Failure: String, CaseIterable, CustomTestStringConvertible {
        case notADatabase, readOnly, locked, constraint, full

        var testDescription: String { rawValue }

        /// The primary SQLite result code it must report.
        var code: Int32 {
            switch self {
            case .notADatabase: 26
            case .readOnly: 8
            case .locked: 5
            case .constraint: 19
            case .full: 13
            }
        }

        var germanWords: [String] {
            switch self {
            case .notADatabase: ["lässt sich nicht öffnen", "keine Datenbank", "SQLite-Fehler 26"]
            case .readOnly: ["Datenbankzugriff fehlgeschlagen (Exportlauf speichern)", "schreibgeschützt", "SQLite-Fehler 8"]
            case .locked: ["Datenbankzugriff fehlgeschlagen (Exportlauf speichern)", "gesperrt", "SQLite-Fehler 5"]
            case .constraint: ["Datenbankzugriff fehlgeschlagen (Probe speichern)", "Bedingung der Datenbank ist verletzt",
                               "UNIQUE constraint failed: probe.name", "SQLite-Fehler 19/"]
            case .full: ["Datenbankzugriff fehlgeschlagen (Exportlauf speichern)", "der Datenträger ist voll", "SQLite-Fehler 13"]
            }
        }

        var englishWords: [String] {
            switch self {
            case .notADatabase: ["cannot open database", "not a database", "SQLite error 26"]
            case .readOnly: ["storage failed (record export run)", "read-only", "SQLite error 8"]
            case .locked: ["storage failed (record export run)", "locked by another process", "SQLite error 5"]
            case .constraint: ["storage failed (store probe)", "constraint is violated", "SQLite error 19/"]
            case .full: ["storage failed (record export run)", "the disk is full", "SQLite error 13"]
            }
        }
    }

    @Test(arguments: Failure.allCases)
    func aRealFailureReadsAsASentenceInBothLanguages(_ failure: Failure) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("storage-error-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let error = try Self.provoke(failure, in: dir.path)
        #expect(error.category == .storage)
        #expect(ErrorFormatter.exitCode(for: error) == 5)
        #expect({ () -> Int32? in
            switch error {
            case let .cannotOpen(_, reason), let .failed(_, reason): reason.sqliteCode
            case .lockFile, .newerVersion: nil
            }
        }() == failure.code)
        let de = error.message(in: .de), en = error.message(in: .en)
        for word in failure.germanWords { #expect(de.contains(word), "\(de)") }
        for word in failure.englishWords { #expect(en.contains(word), "\(en)") }
        for message in [de, en] {
            for dump in ["DatabaseError", "failed(operation:", "INSERT", "SELECT", "while executing", "StorageError"] {
                #expect(!message.contains(dump), "\(message)")
            }
        }
        // The German message says nothing in SQLite's or Swift's English words.
        for english in ["attempt to write", "file is not a database", "database is locked", "storage failed", "disk is full"] {
            #expect(!de.contains(english), "\(de)")
        }
    }

    /// Makes `failure` happen on real SQLite files in `dir` and returns what the store threw.
    static func provoke(_ failure: Failure, in dir: String) throws -> StorageError {
        let path = dir + "/consentgate.sqlite"
        do {
            switch failure {
            case .notADatabase:
                // A file that is not a database (e.g. a mistyped --db naming an Excel list).
                try Data(repeating: 0x5A, count: 8192).write(to: URL(fileURLWithPath: path))
                _ = try AppDatabase.open(path: path)
            case .readOnly:
                // A real installation's database, opened read-only (tests run as root: chmod would not stop a write).
                _ = try AppDatabase.open(path: path)
                var config = Configuration()
                config.readonly = true
                let store = ExportRunStore(database: AppDatabase(writer: try DatabasePool(path: path, configuration: config), path: path))
                try store.insert(id: "run-1", actor: "test", startedAt: Date())
            case .locked:
                // Another connection holds an exclusive transaction; this one does not wait.
                _ = try AppDatabase.open(path: path)
                var config = Configuration()
                config.busyMode = .immediateError
                let store = ExportRunStore(database: AppDatabase(writer: try DatabasePool(path: path, configuration: config), path: path))
                var holding = Configuration()
                holding.allowsUnsafeTransactions = true   // the transaction outlives one access, as another process's would
                let other = try DatabaseQueue(path: path, configuration: holding)
                try other.writeWithoutTransaction { try $0.execute(sql: "BEGIN EXCLUSIVE") }
                defer { try? other.writeWithoutTransaction { try $0.execute(sql: "ROLLBACK") } }
                try store.insert(id: "run-1", actor: "test", startedAt: Date())
            case .full:
                // A database that may not grow (SQLite's page limit: the same SQLITE_FULL a full disk gives).
                _ = try AppDatabase.open(path: path)
                var config = Configuration()
                config.prepareDatabase { db in  // a few pages more than now (GRDB opens a pool with a table of its own)
                    let pages = try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0
                    try db.execute(sql: "PRAGMA max_page_count = \(pages + 4)")
                }
                let store = ExportRunStore(database: AppDatabase(writer: try DatabasePool(path: path, configuration: config), path: path))
                for n in 0..<100_000 { try store.insert(id: "run-\(n)-" + String(repeating: "x", count: 200), actor: "test", startedAt: Date()) }
            case .constraint:
                let queue = try DatabaseQueue(path: path)
                try queue.write { try $0.execute(sql: "CREATE TABLE probe (name TEXT UNIQUE)") }
                for _ in 0..<2 {
                    do { try queue.write { try $0.execute(sql: "INSERT INTO probe (name) VALUES ('a')") } } catch {
                        throw StorageError.wrapping(error, operation: LocalizedText(de: "Probe speichern", en: "store probe"))
                    }
                }
            }
        } catch let error as StorageError {
            return error
        }
        Issue.record("\(failure) did not fail")
        throw CancellationError()
    }

    /// A ConsentGate error raised inside a transaction stays itself (its own words, and its own category for the exit
    /// code); a storage error from deeper down is kept, not said twice; anything else becomes a storage failure that
    /// keeps its description. A fixed reason of the store says its words in the user's language.
    @Test func aNestedErrorKeepsItsOwnWordsAndCategory() {
        let operation = LocalizedText(de: "Konten lesen", en: "read accounts")
        let refused = ExportDryRunError.databaseMissing(path: "/x/db.sqlite")
        let nested = StorageError.wrapping(refused, operation: operation)
        #expect((nested as? ExportDryRunError) == refused)
        #expect((nested as? any UserFacingError)?.category == refused.category)
        #expect((nested as? any UserFacingError)?.message(in: .de).contains("fehlt; ein Probelauf legt keine an") == true)

        let inner = StorageError.failed(operation: LocalizedText(de: "Konto lesen", en: "read account"),
                                        reason: .text(LocalizedText(de: "unbekannte Rolle x", en: "unknown role x")))
        #expect((StorageError.wrapping(inner, operation: operation) as? StorageError) == inner)
        #expect(inner.message(in: .de) == "Datenbankzugriff fehlgeschlagen (Konto lesen): unbekannte Rolle x")

        // The WAL index that cannot grow (a full disk when the first process opens the database) says so.
        let shm = StorageError.cannotOpen(path: "/x/db.sqlite", reason: .database(code: 4874, message: "disk I/O error"))
        #expect(shm.message(in: .de) == "Datenbank /x/db.sqlite lässt sich nicht öffnen: die Indexdatei der Datenbank (-shm) kann "
                + "nicht wachsen: meist ist der Datenträger voll (SQLite-Fehler 10/4874)")
        #expect(shm.message(in: .en).contains("(-shm) cannot grow: usually the disk is full (SQLite error 10/4874)"))

        struct Odd: Error, CustomStringConvertible { var description: String { "odd thing" } }
        #expect((StorageError.wrapping(Odd(), operation: operation) as? StorageError)?.message(in: .en) == "storage failed (read accounts): odd thing")
    }
}
