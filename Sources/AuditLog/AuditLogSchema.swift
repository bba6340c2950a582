import GRDB

/// The audit log's tables in the one ConsentGate database.
///
/// - `audit_entry`: one row per leaf. `idx` is the 0-based leaf index, `entry` the canonical bytes,
///   `leaf_hash` their RFC 6962 leaf hash; the other columns copy values out of the entry for filtering.
///   Two full indexes: `subject` (Art. 15 reports) and `time` (every DPO time range, stats per month);
///   partner, purpose, kind, actor and municipality filters scan the rows the time range (or subject)
///   selects. Every further full index cost about 10% of append throughput (docs/audit-log.md, "Indexes").
///   One partial index, `audit_entry_uncommon_kind` (`auditlog-v3`), holds every row that is neither a decision nor
///   a disclosure, i.e. a small part of the log: the service reads every `account-event` when it first authenticates
///   an account (`AccountEventLedger`), the export job every partner's `export-run` entries on each run (its
///   erasure-notice check), a DPO asks for policy loads or log reads. Without it each read the whole log (0.3–0.7 s
///   at 2.9 million entries, more from disk). It replaced `audit_entry_account_event` (`auditlog-v2`, the account
///   events only). Appends of decisions and disclosures do not touch it.
/// - `audit_checkpoint`: every signed checkpoint note, keyed by tree size.
/// - `audit_frontier`: the compact range (right-edge subtree roots) of the current tree, so an append
///   computes the new root without reading old entries.
/// Triggers refuse UPDATE and DELETE on entries and checkpoints: the log is append-only through the API
/// (someone with raw file access can drop them; `audit verify` is what detects that).
public enum AuditLogSchema {
    /// The kinds that make up nearly the whole log: every decision and every disclosure of every export.
    static let commonKinds: Set<AuditEntryKind> = [.decision, .disclosure]
    /// The condition of the partial index `audit_entry_uncommon_kind`, word for word as a query must state it for SQLite
    /// to use the index.
    static let uncommonKindCondition = "kind NOT IN ('decision', 'disclosure')"

    /// Registers the audit log's migrations (named `auditlog-v1`, …) on the application's migrator.
    public static func registerMigrations(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("auditlog-v1") { db in
            try db.execute(sql: """
                CREATE TABLE audit_entry (
                    idx INTEGER PRIMARY KEY NOT NULL CHECK (idx >= 0),
                    entry BLOB NOT NULL,
                    leaf_hash BLOB NOT NULL CHECK (length(leaf_hash) = 32),
                    kind TEXT NOT NULL,
                    time TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    municipality TEXT,
                    subject TEXT,
                    partner TEXT,
                    purpose TEXT,
                    released INTEGER
                );
                CREATE INDEX audit_entry_subject ON audit_entry(subject) WHERE subject IS NOT NULL;
                CREATE INDEX audit_entry_time ON audit_entry(time);
                CREATE TABLE audit_checkpoint (
                    tree_size INTEGER PRIMARY KEY NOT NULL CHECK (tree_size >= 0),
                    note TEXT NOT NULL,
                    created_at TEXT NOT NULL
                );
                CREATE TABLE audit_frontier (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    size INTEGER NOT NULL,
                    hashes BLOB NOT NULL
                );
                INSERT INTO audit_frontier (id, size, hashes) VALUES (1, 0, x'');
                CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_entry
                    BEGIN SELECT RAISE(ABORT, 'audit log entries are append-only'); END;
                CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_entry
                    BEGIN SELECT RAISE(ABORT, 'audit log entries are append-only'); END;
                CREATE TRIGGER audit_checkpoint_no_update BEFORE UPDATE ON audit_checkpoint
                    BEGIN SELECT RAISE(ABORT, 'audit checkpoints are append-only'); END;
                CREATE TRIGGER audit_checkpoint_no_delete BEFORE DELETE ON audit_checkpoint
                    BEGIN SELECT RAISE(ABORT, 'audit checkpoints are append-only'); END;
                """)
        }
        migrator.registerMigration("auditlog-v2") { db in
            // Only `account-event` rows: a query must say `kind = 'account-event'` literally to use it (`AuditQuery`).
            try db.execute(sql: "CREATE INDEX audit_entry_account_event ON audit_entry(kind) WHERE kind = 'account-event'")
        }
        migrator.registerMigration("auditlog-v3") { db in
            // Every kind but the two that make up nearly the whole log: a query for policy loads, export runs, erasure
            // notices, key or account events or log reads states `uncommonKindCondition` too (`AuditQuery`), and reads
            // only those rows. Appends of decisions and disclosures do not touch it. It holds the account events too, so
            // it replaces `audit_entry_account_event`. Written out, as a migration never changes; `IndexTests` holds
            // `uncommonKindCondition` to it.
            try db.execute(sql: """
                DROP INDEX audit_entry_account_event;
                CREATE INDEX audit_entry_uncommon_kind ON audit_entry(kind) WHERE kind NOT IN ('decision', 'disclosure');
                """)
        }
    }
}
