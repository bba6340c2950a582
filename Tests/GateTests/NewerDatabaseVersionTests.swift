import Foundation
import GRDB
import Testing
@testable import Gate

/// A database a newer release migrated is not opened by an older one: GRDB ignores migrations it does not know, and
/// older releases went on writing into the newer schema (found in a review of upgrades; one of them then took the newer
/// indexes for tampering). Exit 5 with what to do; nothing is written.
@Suite struct NewerDatabaseVersionTests {
    @Test func aDatabaseWithAMigrationThisReleaseDoesNotKnowIsRefused() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("newer-db-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("consentgate.sqlite").path
        try { let db = try AppDatabase.open(path: path); try db.writer.write { try $0.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('zz-future-v9')") } }()

        let error = try #require(throws: StorageError.self) { _ = try AppDatabase.open(path: path) }
        #expect(error == .newerVersion(path: path, migrations: ["zz-future-v9"]))
        #expect(error.category.exitCode == 5)
        #expect(error.message(in: .de).contains("wurde von einer neueren ConsentGate-Version aktualisiert (dieser Version unbekannt: zz-future-v9)"))
        #expect(error.message(in: .en).contains("going back to an older one is not supported"))
        // The export dry run, which opens the database read-only by itself, refuses it too.
        let dryRun = try #require(throws: StorageError.self) {
            _ = try Gate.openForExportDryRun(GateConfiguration(databasePath: path, policyDirectory: GateTestInstallation.shippedPolicy,
                                                               trustFile: GateTestInstallation.packageRoot.appendingPathComponent("keys/trust.yaml").path,
                                                               demoMode: true))
        }
        #expect(dryRun == .newerVersion(path: path, migrations: ["zz-future-v9"]))
        // The newer release's record is left as it is.
        let queue = try DatabaseQueue(path: path, configuration: { var c = Configuration(); c.readonly = true; return c }())
        #expect(try queue.read { try String.fetchAll($0, sql: "SELECT identifier FROM grdb_migrations") }.contains("zz-future-v9"))
    }
}
