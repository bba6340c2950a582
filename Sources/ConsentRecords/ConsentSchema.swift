import GRDB

/// The consent store's tables in the one ConsentGate database.
///
/// `consent` holds one row per signed consent, `consent_withdrawal` at most one per consent. Both keep the
/// signed JWS bytes verbatim (`jws`, the evidence GDPR Art. 7(1) asks for) and their SHA-256
/// (`jws_sha256`); the other columns exist for look-ups. Times are RFC 3339 UTC text. Both are append-only.
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
