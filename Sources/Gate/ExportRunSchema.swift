import GRDB

/// The `export_run` table: the status of export runs started over the web API, so that
/// `GET /v1/exports/{id}` still answers after a restart. One row per run; the summary is kept as the
/// JSON the API answers with, the error in German and English.
enum ExportRunSchema {
    /// Registers `export-runs-v1` and `export-runs-v2-queued`: a run is `queued` until a lane for long work is free
    /// (`began_at` nil), then `running` (with `began_at`). SQLite cannot change a `CHECK`, so v2 copies the table.
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
        migrator.registerMigration("export-runs-v2-queued") { db in
            try db.create(table: "export_run_v2") { t in
                t.primaryKey("id", .text)
                t.column("actor", .text).notNull()
                t.column("state", .text).notNull().check(sql: "state IN ('queued', 'running', 'succeeded', 'failed')")
                t.column("started_at", .text).notNull()
                t.column("began_at", .text)
                t.column("finished_at", .text)
                t.column("summary", .text)
                t.column("error_de", .text)
                t.column("error_en", .text)
            }
            // A run recorded `running` by v1 had begun when it was recorded (v1 started the job at once).
            try db.execute(sql: """
                INSERT INTO export_run_v2 (id, actor, state, started_at, began_at, finished_at, summary, error_de, error_en)
                SELECT id, actor, state, started_at, started_at, finished_at, summary, error_de, error_en FROM export_run
                """)
            try db.drop(table: "export_run")
            try db.rename(table: "export_run_v2", to: "export_run")
        }
    }
}
