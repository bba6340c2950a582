import AuditLog
import Foundation
import Testing
@testable import Gate

/// The in-use lock lives as long as the database's pool, not only as long as the `AppDatabase` value: `audit verify`,
/// `audit log` and `audit stats` keep only an `AuditLogStore` made from `writer`, and a restore could replace the file
/// while they read it (found in a review of processes working at once: verify then reported "the index
/// audit_entry_subject no longer lists exactly the stored entries", exit 4, for a log nobody had touched).
@Suite struct InUseLockWithThePoolTests {
    @Test func aStoreMadeFromTheWriterKeepsARestoreOut() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("inuse-pool-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("consentgate.sqlite").path

        var store: AuditLogStore? = try Self.storeOnly(path)
        #expect(throws: InstallationInUseError(database: path)) { _ = try InstallationUse(databasePath: path, exclusive: true) }
        #expect(try store?.size() == 0)

        store = nil   // the last user of the pool gone: the restore may go ahead (once GRDB has closed its connections)
        var restore: InstallationUse?
        for _ in 0..<100 where restore == nil {
            restore = try? InstallationUse(databasePath: path, exclusive: true)
            if restore == nil { Thread.sleep(forTimeInterval: 0.05) }
        }
        #expect(restore != nil, "the lock outlived the pool")
    }

    /// Opens the database and keeps nothing of it but an audit-log store on its writer, as the `audit` commands do.
    static func storeOnly(_ path: String) throws -> AuditLogStore {
        AuditLogStore(writer: try AppDatabase.open(path: path).writer)
    }
}
