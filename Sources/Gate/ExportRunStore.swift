import Diagnostics
import Foundation
import GRDB
import Signing
import StoreDiagnostics

/// One export run as recorded in `export_run`.
public struct StoredExportRun: Sendable, Equatable {
    /// The run's handle in the API (`GET /v1/exports/{id}`): a lower-case UUID the registry gives it.
    public var id: String
    /// `queued` (waiting for a lane for long work), `running`, `succeeded` or `failed`.
    public var state: String
    /// The account that started it.
    public var actor: String
    /// When it started (stored in UTC as RFC 3339, to the millisecond).
    public var startedAt: Date
    /// When the job began work, once a lane for long work was free (UTC); nil while queued, and for a run that
    /// ended before it began.
    public var beganAt: Date? = nil
    /// When it ended (UTC), or nil while it runs.
    public var finishedAt: Date?
    /// The summary as the API answers it (JSON text), once succeeded.
    public var summaryJSON: String?
    /// Why it failed, in German and English.
    public var errorDE: String?
    /// The same reason in English.
    public var errorEN: String?
}

/// The status of export runs started over the web API, in the installation's database: written when a
/// run starts and when it ends, read by `GET /v1/exports/{id}` (also after a restart).
public struct ExportRunStore: Sendable {
    /// The installation's database, whose `export_run` table this reads and writes.
    public let database: AppDatabase

    /// A store on `database`; it creates nothing (the table comes with the database's migrations).
    public init(database: AppDatabase) { self.database = database }

    /// Records a run that has just started: `queued` until `began(id:at:)`.
    public func insert(id: String, actor: String, startedAt: Date) throws {
        try write(.init(de: "Exportlauf speichern", en: "record export run")) { db in
            try db.execute(sql: "INSERT INTO export_run (id, actor, state, started_at) VALUES (?, ?, 'queued', ?)",
                           arguments: [id, actor, RFC3339.format(startedAt)])
        }
    }

    /// Records that queued run `id` began work at `time` (`running`); a run no longer queued stays as it is.
    public func began(id: String, at time: Date) throws {
        try write(.init(de: "Beginn des Exportlaufs speichern", en: "record export run begin")) { db in
            try db.execute(sql: "UPDATE export_run SET state = 'running', began_at = ? WHERE id = ? AND state = 'queued'",
                           arguments: [RFC3339.format(time), id])
        }
    }

    /// Records how run `id` ended: succeeded with `summaryJSON`, or failed with the error text.
    public func finish(id: String, succeeded: Bool, at time: Date, summaryJSON: String?, errorDE: String?, errorEN: String?) throws {
        try write(.init(de: "Ende des Exportlaufs speichern", en: "record export run end")) { db in
            try db.execute(sql: """
                UPDATE export_run SET state = ?, finished_at = ?, summary = ?, error_de = ?, error_en = ? WHERE id = ?
                """, arguments: [succeeded ? "succeeded" : "failed", RFC3339.format(time), summaryJSON, errorDE, errorEN, id])
        }
    }

    /// Run `id`, or nil.
    public func run(id: String) throws -> StoredExportRun? {
        do {
            return try database.writer.read { db in
                try Row.fetchOne(db, sql: "SELECT * FROM export_run WHERE id = ?", arguments: [id]).map { row throws(StoredRowError) in
                    let r = StoredRow(row, table: "export_run", keyColumn: "id")
                    return StoredExportRun(id: try r.value("id"), state: try r.value("state"), actor: try r.value("actor"),
                                           startedAt: Self.time(try r.value("started_at")) ?? Date(timeIntervalSince1970: 0),
                                           beganAt: try r.optional("began_at", as: String.self).flatMap(Self.time),
                                           finishedAt: try r.optional("finished_at", as: String.self).flatMap(Self.time),
                                           summaryJSON: try r.optional("summary"), errorDE: try r.optional("error_de"), errorEN: try r.optional("error_en"))
                }
            }
        } catch { throw StorageError.wrapping(error, operation: .init(de: "Exportlauf \(id) lesen", en: "read export run \(id)")) }
    }

    /// The ids of the `limit` most recently started runs, newest first (the exporter page's list, also after a restart).
    public func recentIDs(limit: Int) throws -> [String] {
        do {
            return try database.writer.read { db in
                try String.fetchAll(db, sql: "SELECT id FROM export_run ORDER BY started_at DESC, id DESC LIMIT ?", arguments: [max(0, limit)])
            }
        } catch { throw StorageError.wrapping(error, operation: .init(de: "letzte Exportläufe lesen", en: "read recent export runs")) }
    }

    /// Marks every run still `queued` or `running` as failed with the given reason: called when the serving process
    /// starts, since a run lives in the process that started it and cannot survive it. Returns how many.
    @discardableResult
    public func markInterrupted(at time: Date, de: String, en: String) throws -> Int {
        try write(.init(de: "abgebrochene Exportläufe kennzeichnen", en: "mark interrupted export runs")) { db in
            try db.execute(sql: """
                UPDATE export_run SET state = 'failed', finished_at = ?, error_de = ?, error_en = ? WHERE state IN ('queued', 'running')
                """, arguments: [RFC3339.format(time), de, en])
            return db.changesCount
        }
    }

    /// A stored time, such that `RFC3339.format` gives the stored text back: `format` truncates to the
    /// millisecond, and a parsed `.007` may be a hair below it, so a fractional time is placed in the
    /// middle of its millisecond.
    static func time(_ text: String) -> Date? {
        guard let d = RFC3339.parse(text) else { return nil }
        return text.contains(".") ? d.addingTimeInterval(0.0005) : d
    }

    private func write<T>(_ operation: LocalizedText, _ body: (Database) throws -> T) throws -> T {
        do { return try database.writer.write(body) } catch {
            throw StorageError.wrapping(error, operation: operation)
        }
    }
}
