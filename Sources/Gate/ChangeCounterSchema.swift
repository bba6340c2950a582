import GRDB

/// A database-wide counter of changes to the data the hot read path caches (accounts, subjects,
/// consents, withdrawals). Triggers bump it in the same transaction as the change, whichever process
/// or connection makes it (the web service, `consentgate users disable` in a shell, a plain `sqlite3`
/// session), so a cache that remembers the counter value it was filled at knows whether it is stale
/// by reading one integer (`ChangeCounter`). Audit appends do not touch it: the audit log is not cached.
enum ChangeCounterSchema {
    /// The tables whose rows the read caches keep (see `GateReadCache`).
    static let watchedTables = ["account", "subject", "consent", "consent_withdrawal"]

    /// Registers `gate-change-counter-v1` (after the tables it watches exist).
    static func registerMigrations(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("gate-change-counter-v1") { db in
            try db.create(table: "gate_change_counter") { t in
                t.primaryKey("id", .integer).check { $0 == 1 }
                t.column("version", .integer).notNull()
            }
            try db.execute(sql: "INSERT INTO gate_change_counter (id, version) VALUES (1, 0)")
            for table in watchedTables {
                for event in ["INSERT", "UPDATE", "DELETE"] {
                    try db.execute(sql: """
                        CREATE TRIGGER gate_change_\(table)_\(event.lowercased()) AFTER \(event) ON \(table)
                        BEGIN UPDATE gate_change_counter SET version = version + 1 WHERE id = 1; END
                        """)
                }
            }
        }
    }
}
