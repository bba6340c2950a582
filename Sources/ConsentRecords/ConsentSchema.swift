import GRDB

/// The consent store's tables in the one ConsentGate database.
///
/// `consent` holds one row per signed consent, `consent_withdrawal` one per signed withdrawal: since
/// `consents-v3-clause-withdrawals` several per consent (withdrawals of single clauses, each with its own time, and at
/// most one of the whole consent), keyed by (`consent_id`, `jws_sha256`). Both keep the signed JWS bytes verbatim
/// (`jws`, the evidence GDPR Art. 7(1) asks for) and their SHA-256 (`jws_sha256`); the other columns exist for
/// look-ups (which clauses a withdrawal names is read from its signed payload only). Times are RFC 3339 UTC text.
/// Both are append-only.
public enum ConsentSchema {
    /// Registers the consent store's migrations (named `consents-v1`, …) on the application's migrator.
    public static func registerMigrations(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("consents-v1") { db in
            try db.create(table: "consent") { t in
                t.primaryKey("id", .text)
                t.column("subject", .text).notNull().indexed()
                t.column("template_id", .text).notNull()
                t.column("template_version", .integer).notNull()
                t.column("granted_at", .text).notNull()
                t.column("expires_at", .text).notNull()
                t.column("kid", .text).notNull()
                t.column("jws", .blob).notNull()
                t.column("jws_sha256", .text).notNull()
                t.column("recorded_at", .text).notNull()
            }
            try db.create(table: "consent_withdrawal") { t in
                t.primaryKey("consent_id", .text).references("consent", column: "id", onDelete: .restrict)
                t.column("withdrawn_at", .text).notNull()
                t.column("kid", .text).notNull()
                t.column("jws", .blob).notNull()
                t.column("jws_sha256", .text).notNull()
                t.column("recorded_at", .text).notNull()
            }
        }
        // Rows are only ever inserted: a statement that changes or deletes one is refused, so an edit with an
        // ordinary SQLite tool fails loudly. Someone who drops the triggers first is found by
        // `consentgate audit verify`, which holds the stored documents to the audit log's entries.
        migrator.registerMigration("consents-v2-append-only") { db in
            try db.execute(sql: createAppendOnlyTriggersSQL)
        }
    }

    /// Registers `consents-v3-clause-withdrawals`: `consent_withdrawal` keyed by (`consent_id`, `jws_sha256`) instead of
    /// `consent_id` alone, so that a consent can have several withdrawals (of single clauses). Registered after every
    /// other module's migrations (`AppDatabase.migrator`), since it rebuilds the table: the rows are copied unchanged,
    /// and every trigger on the table (the append-only guards, and any another module hung on it, such as the change
    /// counter's) is re-created with its exact SQL, so a migrated database and a new one have the same schema.
    public static func registerClauseWithdrawalMigration(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("consents-v3-clause-withdrawals") { db in
            let triggers = try String.fetchAll(db, sql: """
                SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = 'consent_withdrawal' AND sql IS NOT NULL ORDER BY name
                """)
            // One line, as GRDB writes a table's definition (a reader of `sqlite_schema` sees it whole).
            try db.execute(sql: "CREATE TABLE \"consent_withdrawal_v3\" (\"consent_id\" TEXT NOT NULL REFERENCES \"consent\"(\"id\") ON DELETE RESTRICT, "
                + "\"withdrawn_at\" TEXT NOT NULL, \"kid\" TEXT NOT NULL, \"jws\" BLOB NOT NULL, \"jws_sha256\" TEXT NOT NULL, "
                + "\"recorded_at\" TEXT NOT NULL, PRIMARY KEY (\"consent_id\", \"jws_sha256\"))")
            try db.execute(sql: """
                INSERT INTO consent_withdrawal_v3 (consent_id, withdrawn_at, kid, jws, jws_sha256, recorded_at)
                SELECT consent_id, withdrawn_at, kid, jws, jws_sha256, recorded_at FROM consent_withdrawal ORDER BY rowid
                """)
            try db.execute(sql: "DROP TABLE consent_withdrawal")
            try db.execute(sql: "ALTER TABLE consent_withdrawal_v3 RENAME TO consent_withdrawal")
            for sql in triggers { try db.execute(sql: sql) }
        }
    }

    /// The triggers that refuse changing or deleting stored consents and withdrawals (`consents-v2-append-only`).
    public static let appendOnlyTriggers = ["consent_no_update", "consent_no_delete",
                                            "consent_withdrawal_no_update", "consent_withdrawal_no_delete"]

    /// SQL that creates those triggers, exactly as the migration does (so a restored file compares equal).
    public static var createAppendOnlyTriggersSQL: String {
        ["consent", "consent_withdrawal"].flatMap { table in
            ["UPDATE", "DELETE"].map { operation in
                "CREATE TRIGGER \(table)_no_\(operation.lowercased()) BEFORE \(operation) ON \(table)\n"
                    + "    BEGIN SELECT RAISE(ABORT, 'consents and withdrawals are append-only'); END;"
            }
        }.joined(separator: "\n")
    }

    /// SQL that drops those triggers: what someone editing the file by hand does first (tests do it too).
    public static var dropAppendOnlyTriggersSQL: String {
        appendOnlyTriggers.map { "DROP TRIGGER IF EXISTS \($0);" }.joined(separator: " ")
    }
}
