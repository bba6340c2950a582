import Diagnostics
import Foundation
import GRDB
import PolicyEngine
import Signing

/// The export job's memory in the application database (docs/export-job.md):
///
/// - `export_record`: every exported (partner, subject) version: the run that exported it, the fingerprint
///   of its cells, and what rebuilds its `disclosure` entry (municipality, disclosure shape, consents). A
///   row counts once its run is in `export_committed_run`; the latest committed run's row is the one the
///   next run compares with, so the same input exports nothing new. A run's rows are written once, while
///   it stages, and committing the run is one row, not a copy of its rows;
/// - `export_committed_run`: the partner runs whose records count, in commit order (`seq`);
/// - `export_reliance`: the consents an export to a partner relied on (GDPR Art. 19: who must hear of a
///   withdrawal);
/// - `export_notice`: the erasure notices already sent, one row per (consent, partner, line) since
///   `export-ledger-v4` (`clause`: a line, i.e. clause id, of a notice about single lines; `*` for a notice about
///   the whole consent; empty for a row from before v4, see `ExportNoticeLine`), so a later withdrawal of further
///   lines makes a new notice due;
/// - `export_pending_run` + `export_pending_shape` / `_reliance` / `_notice`: what a partner run will
///   commit once it is published. They are written before the run's audit entries, and committed only
///   after the folder is published; a crashed run is finished or dropped by the next run
///   (`ExportRecovery`), so no disclosure is logged twice and none is logged for data never published.
enum ExportLedgerSchema {
    static func registerMigrations(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("export-ledger-v1") { db in
            try db.execute(sql: """
                CREATE TABLE export_ledger (partner TEXT NOT NULL, subject TEXT NOT NULL, fingerprint TEXT NOT NULL,
                  run_id TEXT NOT NULL, PRIMARY KEY (partner, subject)) WITHOUT ROWID;
                CREATE TABLE export_reliance (partner TEXT NOT NULL, consent_id TEXT NOT NULL, subject TEXT NOT NULL,
                  run_id TEXT NOT NULL, PRIMARY KEY (partner, consent_id, subject)) WITHOUT ROWID;
                CREATE TABLE export_notice (consent_id TEXT NOT NULL, partner TEXT NOT NULL, subject TEXT NOT NULL,
                  run_id TEXT NOT NULL, PRIMARY KEY (consent_id, partner)) WITHOUT ROWID;
                CREATE TABLE export_pending_run (run_id TEXT NOT NULL, partner TEXT NOT NULL, staging_path TEXT,
                  final_path TEXT, manifest TEXT, PRIMARY KEY (run_id, partner)) WITHOUT ROWID;
                CREATE TABLE export_pending_ledger (run_id TEXT NOT NULL, partner TEXT NOT NULL, subject TEXT NOT NULL,
                  fingerprint TEXT NOT NULL, entry BLOB, PRIMARY KEY (run_id, partner, subject)) WITHOUT ROWID;
                CREATE TABLE export_pending_reliance (run_id TEXT NOT NULL, partner TEXT NOT NULL, consent_id TEXT NOT NULL,
                  subject TEXT NOT NULL, PRIMARY KEY (run_id, partner, consent_id, subject)) WITHOUT ROWID;
                CREATE TABLE export_pending_notice (run_id TEXT NOT NULL, partner TEXT NOT NULL, consent_id TEXT NOT NULL,
                  subject TEXT NOT NULL, PRIMARY KEY (run_id, partner, consent_id)) WITHOUT ROWID;
                """)
        }
        // Compact staging (docs/export-job.md): per (record, partner) a small row naming the record's disclosure
        // shape instead of the entry's bytes; the shapes (few per run) once per run; the run's entry context.
        migrator.registerMigration("export-ledger-v2") { db in
            try db.execute(sql: """
                CREATE TABLE export_pending_record (run_id TEXT NOT NULL, partner TEXT NOT NULL, subject TEXT NOT NULL,
                  fingerprint BLOB NOT NULL, municipality TEXT, shape INTEGER NOT NULL, consents TEXT,
                  PRIMARY KEY (run_id, partner, subject)) WITHOUT ROWID;
                CREATE TABLE export_pending_shape (run_id TEXT NOT NULL, partner TEXT NOT NULL, shape INTEGER NOT NULL,
                  description TEXT NOT NULL, PRIMARY KEY (run_id, partner, shape)) WITHOUT ROWID;
                ALTER TABLE export_pending_run ADD COLUMN entry_context TEXT;
                """)
        }
        // Commit by marking the run (docs/export-job.md): staged records and the ledger become one table, so
        // committing a run no longer copies every staged row (0.16 s for 100,000 rows, 3 s for 1,000,000). The
        // ledger's rows keep their run and their hex fingerprint (TEXT; new rows store the 32 bytes as a BLOB:
        // readers take either); their runs count as committed, oldest first. Rows of a run still pending move
        // with it and stay uncommitted.
        migrator.registerMigration("export-ledger-v3") { db in
            try db.execute(sql: """
                CREATE TABLE export_record (partner TEXT NOT NULL, subject TEXT NOT NULL, run_id TEXT NOT NULL,
                  fingerprint BLOB NOT NULL, municipality TEXT, shape INTEGER, consents TEXT,
                  PRIMARY KEY (partner, subject, run_id)) WITHOUT ROWID;
                CREATE TABLE export_committed_run (seq INTEGER PRIMARY KEY, run_id TEXT NOT NULL, partner TEXT NOT NULL,
                  UNIQUE (run_id, partner));
                INSERT INTO export_committed_run (run_id, partner)
                  SELECT run_id, partner FROM export_ledger GROUP BY run_id, partner ORDER BY run_id, partner;
                INSERT INTO export_record (partner, subject, run_id, fingerprint)
                  SELECT partner, subject, run_id, fingerprint FROM export_ledger;
                INSERT OR REPLACE INTO export_record (partner, subject, run_id, fingerprint, municipality, shape, consents)
                  SELECT partner, subject, run_id, fingerprint, municipality, shape, consents FROM export_pending_record;
                DROP TABLE export_ledger;
                DROP TABLE export_pending_record;
                """)
        }
        // Notices per line (GDPR Art. 19, docs/export-job.md): a partner is owed a notice for every withdrawn line it
        // received data under, so a notice row names the line it covered and a (consent, partner) may have several.
        // A row written without naming a line (`clause` defaults to `*`) is a notice about the whole consent. The rows
        // from before keep their notice with `clause` empty: sent for what was withdrawn when its run started (the run
        // id's time), which `Gate.erasureDue` reads from the stored withdrawals; staged rows of a run in progress
        // likewise (recovery commits them as they are).
        migrator.registerMigration("export-ledger-v4") { db in
            try db.execute(sql: """
                CREATE TABLE export_notice_v4 (consent_id TEXT NOT NULL, partner TEXT NOT NULL, clause TEXT NOT NULL DEFAULT '*',
                  subject TEXT NOT NULL, run_id TEXT NOT NULL, PRIMARY KEY (consent_id, partner, clause)) WITHOUT ROWID;
                INSERT INTO export_notice_v4 (consent_id, partner, clause, subject, run_id)
                  SELECT consent_id, partner, '', subject, run_id FROM export_notice;
                DROP TABLE export_notice;
                ALTER TABLE export_notice_v4 RENAME TO export_notice;
                CREATE TABLE export_pending_notice_v4 (run_id TEXT NOT NULL, partner TEXT NOT NULL, consent_id TEXT NOT NULL,
                  clause TEXT NOT NULL DEFAULT '*', subject TEXT NOT NULL, PRIMARY KEY (run_id, partner, consent_id, clause)) WITHOUT ROWID;
                INSERT INTO export_pending_notice_v4 (run_id, partner, consent_id, clause, subject)
                  SELECT run_id, partner, consent_id, '', subject FROM export_pending_notice;
                DROP TABLE export_pending_notice;
                ALTER TABLE export_pending_notice_v4 RENAME TO export_pending_notice;
                """)
        }
    }

    /// Every staging table, emptied together when a run is committed or forgotten (`export_record` is not
    /// one: a committed run's rows stay, a forgotten run's rows are deleted by run).
    static let pendingTables = ["export_pending_ledger", "export_pending_shape", "export_pending_reliance",
                                "export_pending_notice", "export_pending_run"]
}
