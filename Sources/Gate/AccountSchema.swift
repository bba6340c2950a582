import GRDB

/// The table of people who may use the web service and its API: one row per account, its role, the
/// municipality a case worker acts for, the scrypt hash of the page password and the SHA-256 of the
/// API token (never the token itself). `AppDatabase` runs this migration with the others.
public enum AccountSchema {
    /// Registers the `accounts-v1` migration.
    public static func registerMigrations(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("accounts-v1") { db in
            try db.create(table: "account") { t in
                t.primaryKey("name", .text)
                t.column("role", .text).notNull()
                    .check(sql: "role IN ('caseworker', 'dpo', 'exporter', 'admin')")
                t.column("municipality", .text)
                t.column("password_hash", .text)
                t.column("token_digest", .text).notNull().unique()
                t.column("created_at", .text).notNull()
                t.column("disabled_at", .text)
                // A case worker always acts for exactly one municipality; other roles for none.
                t.check(sql: "(role = 'caseworker') = (municipality IS NOT NULL)")
            }
        }
    }
}
