import AuditLog
import ConsentRecords
import Diagnostics
import Foundation
import GRDB
import Synchronization
import StoreDiagnostics

/// The one SQLite database of a ConsentGate installation: consents, subjects, the audit log and the
/// archived policy bundles. WAL mode, full synchronous commits, versioned migrations from every module.
public struct AppDatabase: Sendable {
    /// The GRDB writer (a pool: one writer, concurrent readers).
    public let writer: DatabasePool
    /// The database file.
    public let path: String
    /// The shared lock that tells `consentgate restore` the database is in use (`InstallationUse`), held as long as this
    /// value, a copy, or `writer` lives (the pool keeps it too); nil for a database opened otherwise (read-only dry runs, tests).
    var inUse: InstallationUse? = nil
    /// Whether the writer connection's checkpoints belong to `WALCheckpointer`'s WAL hook (set once, with the hook, on the
    /// writer connection): `PRAGMA wal_autocheckpoint` would remove that hook, so `BackgroundCheckpoints` then leaves the
    /// setting alone (found in a review, 2026-12-06: an export run inside `serve` turned the service's checkpoints off
    /// for good). Shared by every copy of this value.
    let writerCheckpointHook = WriterCheckpointHookFlag()

    /// The default file: `$CONSENTGATE_DB`, else `$CONSENTGATE_DATA/consentgate.sqlite`, else `./data/consentgate.sqlite`.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let p = environment["CONSENTGATE_DB"], !p.isEmpty { return p }
        let dir = environment["CONSENTGATE_DATA"].flatMap { $0.isEmpty ? nil : $0 } ?? "./data"
        return (dir as NSString).appendingPathComponent("consentgate.sqlite")
    }

    /// The page size of a newly created database file.
    public static let pageSize = 16_384

    /// How many read connections the pool opens at most (on demand; a read beyond them waits for one). One
    /// `audit verify` holds four at once (its pass over the rows and three index scans beside it), and the web service
    /// runs up to four pieces of long work at once (`WebServiceConfiguration.longWorkLanes`): with GRDB's default of
    /// five, two verifications took every connection and a case manager's short read waited for a scan to end, up to
    /// a second per million entries (Benchmarks/results/web.md, Session 24). An idle connection costs a file handle and
    /// a little memory; a used one keeps up to SQLite's default 2 MB page cache.
    public static let maximumReaderCount = 24

    /// Throws `cannotOpen` when `path` is a folder: before any lock file is made beside it (found in a review: `check --db
    /// FOLDER` failed, but left `FOLDER.inuse` and `FOLDER.lock` behind).
    public static func refuseFolder(at path: String) throws {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue else { return }
        throw StorageError.cannotOpen(path: path, reason: .text(LocalizedText(de: "ist ein Ordner, keine Datenbankdatei",
                                                                              en: "is a folder, not a database file")))
    }

    /// Opens (creating folder and file when missing) and migrates the database at `path`, holding the installation's
    /// in-use lock (`InstallationUse`: shared, waiting while a restore runs) for as long as the result is kept.
    /// `inUse`: a lock the caller holds already (the restore's exclusive one) instead.
    public static func open(path: String, inUse held: InstallationUse? = nil) throws -> AppDatabase {
        try refuseFolder(at: path)
        let dir = (path as NSString).deletingLastPathComponent
        if !dir.isEmpty {
            do { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) } catch {
                let why = SystemErrorText.mkdirFailure(dir)
                throw StorageError.cannotOpen(path: path, reason: .text(LocalizedText(de: "Ordner \(dir): \(why.de)", en: "folder \(dir): \(why.en)")))
            }
        }
        let inUse = try held ?? InstallationUse(databasePath: path, exclusive: false)
        var config = Configuration()
        config.prepareDatabase { db in
            // The pool keeps this closure for as long as it lives, and with it the in-use lock: whoever keeps only the
            // pool (an `AuditLogStore` made from `writer`) keeps the lock too. Before, the lock went with this value, and
            // `audit verify`, which keeps only its store, let a restore replace the file under it and then reported the
            // mix of old and new pages as tampering (found in a review of processes working at once).
            withExtendedLifetime(inUse) {}
            // 16 KiB pages for a new file (an existing file keeps its own): the audit log's batched appends
            // and its verification read and write fewer, fuller pages (Benchmarks/results/audit.md, 4 vs 16
            // vs 64 KiB); larger pages made single small commits (a grant) noticeably slower.
            try db.execute(sql: "PRAGMA page_size = \(pageSize)")
            try db.execute(sql: "PRAGMA synchronous = FULL")
            try db.execute(sql: "PRAGMA foreign_keys = ON")
        }
        config.busyMode = .timeout(30)
        config.maximumReaderCount = maximumReaderCount
        let pool: DatabasePool
        do { pool = try DatabasePool(path: path, configuration: config) } catch {
            throw StorageError.wrappingOpen(error, path: path)
        }
        // GRDB's pool puts its writer in WAL mode with `synchronous = NORMAL` *after* `prepareDatabase`
        // ran, which survives a crash of the process but not a power loss. A stored consent or ledger row
        // must be on disk once the command says so: the writer (one long-lived connection) commits with FULL.
        do { try pool.writeWithoutTransaction { try $0.execute(sql: "PRAGMA synchronous = FULL") } } catch {
            throw StorageError.wrappingOpen(error, path: path)
        }
        // A database a newer release has migrated: GRDB ignores migrations it does not know, so this release would go on
        // writing into a schema it does not know (found in a review of upgrades: older releases did so, one of them then
        // took the newer indexes for tampering). Refused, as `restore` refuses such a backup; nothing is written.
        let unknown: [String]
        do {
            unknown = try pool.read { db in
                guard try db.tableExists("grdb_migrations") else { return [] }
                return try migrator.appliedIdentifiers(db).subtracting(migrator.migrations).sorted()
            }
        } catch { throw StorageError.wrappingOpen(error, path: path) }
        if !unknown.isEmpty { throw StorageError.newerVersion(path: path, migrations: unknown) }
        do { try migrator.migrate(pool) } catch {
            let why = StorageFailureReason(error)
            throw StorageError.cannotOpen(path: path, reason: .text(LocalizedText(de: "Aktualisierung (Migration) fehlgeschlagen: \(why.text(in: .de))",
                                                                                  en: "migration failed: \(why.text(in: .en))")))
        }
        ExitCheckpoint.register(pool)
        return AppDatabase(writer: pool, path: path, inUse: inUse)
    }

    /// All migrations, in order: each module registers its own.
    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        AuditLogSchema.registerMigrations(in: &m)
        ConsentSchema.registerMigrations(in: &m)
        GateSchema.registerMigrations(in: &m)
        AccountSchema.registerMigrations(in: &m)
        ExportLedgerSchema.registerMigrations(in: &m)
        ChangeCounterSchema.registerMigrations(in: &m)
        ExportRunSchema.registerMigrations(in: &m)
        DeviceCookieSchema.registerMigrations(in: &m)
        // Rebuilds `consent_withdrawal` (several withdrawals per consent) with the triggers the ones above put on it.
        ConsentSchema.registerClauseWithdrawalMigration(in: &m)
        return m
    }
}

/// Set once the writer connection carries `WALCheckpointer`'s WAL hook; read and written only on the writer connection.
final class WriterCheckpointHookFlag: Sendable {
    private let installed = Atomic<Bool>(false)
    /// Whether the hook is installed.
    var isInstalled: Bool { installed.load(ordering: .acquiring) }
    /// Records that the hook is installed.
    func markInstalled() { installed.store(true, ordering: .releasing) }
}
