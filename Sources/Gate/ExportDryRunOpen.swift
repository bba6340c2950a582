import AuditLog
import Diagnostics
import Foundation
import GRDB
import PolicyEngine
import Signing

extension Gate {
    /// Opens an installation for an export dry run (`consentgate export --dry-run`), which must write nothing:
    /// unlike `open`, it never creates the database (or its folder), opens it read-only, takes no installation
    /// lock, runs no migration and records no `policy-loaded` entry (the dry run decides with the policy as
    /// loaded; the real run records it). A missing database, or one that needs a migration first, is an
    /// `ExportDryRunError` (exit 5): a mistyped `--db` is reported, not silently replaced by an empty ledger.
    public static func openForExportDryRun(_ configuration: GateConfiguration) throws -> Gate {
        let policy = try CompiledPolicy.load(directory: URL(fileURLWithPath: configuration.policyDirectory))
        let keyRing = try SigningKeyRing.load(trustFile: configuration.trustFile, demoMode: configuration.demoMode,
                                              passphraseFile: configuration.passphraseFile,
                                              environment: configuration.environment)
        let path = configuration.databasePath
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue else {
            throw ExportDryRunError.databaseMissing(path: path)
        }
        var config = Configuration()
        config.readonly = true
        config.busyMode = .timeout(30)
        let pool: DatabasePool
        do { pool = try DatabasePool(path: path, configuration: config) } catch {
            throw StorageError.wrappingOpen(error, path: path)
        }
        let migrated: Bool, unknown: [String]
        do {
            (migrated, unknown) = try pool.read { db in
                let migrator = AppDatabase.migrator
                return (try migrator.hasCompletedMigrations(db), try migrator.appliedIdentifiers(db).subtracting(migrator.migrations).sorted())
            }
        } catch {
            throw StorageError.wrappingOpen(error, path: path)
        }
        // As every other command: a database a newer release updated is not this release's to read (`AppDatabase.open`).
        if !unknown.isEmpty { throw StorageError.newerVersion(path: path, migrations: unknown) }
        guard migrated else { throw ExportDryRunError.databaseNeedsMigration(path: path) }
        // As the real run: another origin than the log's is refused, none given takes the log's.
        var configuration = configuration
        _ = try resolveAuditOrigin(&configuration, log: AuditLogStore(writer: pool), trustStore: keyRing.trustStore)
        return Gate(configuration: configuration, database: AppDatabase(writer: pool, path: path), policy: policy, keyRing: keyRing)
    }
}

/// Why an installation cannot be opened for an export dry run (exit 5).
public enum ExportDryRunError: UserFacingError, Equatable {
    /// The database file does not exist: a dry run never creates one.
    case databaseMissing(path: String)
    /// The database is from an older version and must be migrated by a run that may write.
    case databaseNeedsMigration(path: String)

    /// Always a storage failure (exit 5), as for any database that cannot be used.
    public var category: ProblemCategory { .storage }

    /// The problem in `language`, naming the database path and why a dry run does not fix it itself.
    public func message(in language: Language) -> String {
        switch (self, language) {
        case let (.databaseMissing(p), .de):
            "Datenbank \(p) fehlt; ein Probelauf legt keine an (Pfad bei --db prüfen; eine neue Installation entsteht beim ersten echten Lauf)"
        case let (.databaseMissing(p), .en):
            "database \(p) does not exist; a dry run never creates one (check --db; a new installation is created by the first real run)"
        case let (.databaseNeedsMigration(p), .de):
            "Datenbank \(p) stammt von einer älteren Version und muss erst aktualisiert werden; ein Probelauf schreibt nichts. Aktualisieren, ohne etwas zu übermitteln: consentgate audit verify --db \(p) (jeder Befehl außer dem Probelauf aktualisiert sie beim Öffnen)"
        case let (.databaseNeedsMigration(p), .en):
            "database \(p) is from an older version and must be upgraded first; a dry run writes nothing. To upgrade it without passing any data: consentgate audit verify --db \(p) (every command but the dry run upgrades it when it opens it)"
        }
    }
}
