import GRDB

/// The `export_run` table: the status of export runs started over the web API, so that
/// `GET /v1/exports/{id}` still answers after a restart. One row per run; the summary is kept as the
/// JSON the API answers with, the error in German and English.
enum ExportRunSchema {
    /// Registers `export-runs-v1`.
    static func registerMigrations(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("export-runs-v1") { db in
            try db.create(table: "export_run") { t in
                t.primaryKey("id", .text)
                t.column("actor", .text).notNull()
                t.column("state", .text).notNull().check(sql: "state IN ('running', 'succeeded', 'failed')")
                t.column("started_at", .text).notNull()
                t.column("finished_at", .text)
                t.column("summary", .text)
                t.column("error_de", .text)
                t.column("error_en", .text)
            }
        }
    }
}
