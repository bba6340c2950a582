import GRDB

/// The application core's own tables: subjects, archived policy bundles, the trust store as last logged.
enum GateSchema {
    static func registerMigrations(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("gate-v1") { db in
            try db.create(table: "subject") { t in
                t.primaryKey("id", .text)
                t.column("birth_date", .text)
                t.column("municipality", .text)
                t.column("unaccompanied_minor", .boolean)
                t.column("guardians", .text).notNull().defaults(to: "[]")
                t.column("updated_at", .text).notNull()
            }
            try db.create(table: "policy_archive") { t in
                t.primaryKey("digest", .text)
                t.column("bundle_id", .text).notNull()
                t.column("version", .text).notNull()
                t.column("files", .blob).notNull()
                t.column("loaded_at", .text).notNull()
            }
            // The digest of the policy in force: one row, replaced on every change (A → B → A is two changes).
            try db.create(table: "policy_current") { t in
                t.primaryKey("id", .integer).check { $0 == 1 }
                t.column("digest", .text).notNull()
            }
        }
        // The trust store as last recorded in the audit log (`key-event` entries): one row per key, replaced or
        // deleted as the store changes, so each open logs only what changed since.
        migrator.registerMigration("gate-v2-trust-recorded") { db in
            try db.execute(sql: """
                CREATE TABLE trust_recorded (kid TEXT PRIMARY KEY NOT NULL, roles TEXT NOT NULL, state TEXT NOT NULL) WITHOUT ROWID
                """)
        }
        // When account logging began (`account-event` entries): one row, written by the first open after this
        // migration, which logs the accounts that existed before as `recorded`.
        migrator.registerMigration("gate-v3-account-log") { db in
            try db.execute(sql: "CREATE TABLE account_log_began (id INTEGER PRIMARY KEY CHECK (id = 1), at TEXT NOT NULL)")
        }
    }
}
