import AuditLog
import ChildProcess
import Foundation
import GRDB
import Signing
import TestFolders

/// Shared helpers (temporary folders: `TemporaryDirectory`): a migrated database file, signers, fixtures, child processes.
enum TestSupport {
    static let origin = "test.consentgate/audit"

    static var fixtures: URL { Bundle.module.url(forResource: "Fixtures", withExtension: nil)! }

    /// A real database file with only the audit log migration, WAL and synchronous FULL like the app.
    static func openDatabase(at path: String) throws -> DatabasePool {
        var config = Configuration()
        config.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        let pool = try DatabasePool(path: path, configuration: config)
        var migrator = DatabaseMigrator()
        AuditLogSchema.registerMigrations(in: &migrator)
        try migrator.migrate(pool)
        return pool
    }

    static func signer() throws -> NoteSigner { try NoteSigner(name: origin, key: PrivateKey.generate(.ed25519)) }

    /// The built products folder (`.build/debug`), where the `consentgate` executable lives.
    static var productsDir: URL { Bundle.module.bundleURL.deletingLastPathComponent() }

    static func disclosure(_ n: Int, partner: String = "schulamt", subject: String? = nil, time: String = "2026-11-25T10:00:00Z") throws -> AuditEntry {
        try AuditEntry(timeText: time, actor: "export-job", municipality: "Siegburg", policyDigest: "sha256:" + String(repeating: "ab", count: 32),
                       content: .disclosure(DisclosureRecord(partner: partner, purpose: "school-planning", subject: subject ?? "RSK-2026-\(n)",
                                                             fields: [DisclosedField(field: "name.family", basis: .statute, rule: "school-children", citation: "§ 34 SchulG NRW"),
                                                                      DisclosedField(field: "birth.date", basis: .statute, rule: "school-children")],
                                                             exportRun: "run-1")))
    }

    /// Runs a program to completion and returns (exit status, stdout, stderr).
    @discardableResult
    static func run(_ executable: String, _ args: [String], environment: [String: String]? = nil) throws -> (Int32, String, String) {
        let result = try Spawn.run(executable, args, environment: environment.map { .inherited(overriding: $0) } ?? .inherited)
        return (result.status, result.stdoutText, result.stderrText)
    }

    static func sqlite(_ path: String, _ sql: String) throws {
        let (status, _, err) = try run("/usr/bin/sqlite3", [path, sql])
        precondition(status == 0, "sqlite3 failed: \(err)")
    }

    static func hex(_ s: String) -> [UInt8] { Hex.decode(s)! }
}
