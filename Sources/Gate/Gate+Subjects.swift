import Diagnostics
import Foundation
import GRDB

extension Gate {
    /// The case ids of the people recorded for `municipality`, in order, at most `limit`: what a case worker
    /// of that municipality may pick from (never another municipality's people).
    public func subjectIDs(municipality: String, limit: Int = 2_000) throws -> [String] {
        do {
            return try database.writer.read { db in
                try String.fetchAll(db, sql: "SELECT id FROM subject WHERE municipality = ? ORDER BY id LIMIT ?",
                                    arguments: [municipality, max(0, limit)])
            }
        } catch { throw StorageError.wrapping(error, operation: .init(de: "Personen von \(municipality) auflisten", en: "list subjects of \(municipality)")) }
    }

    /// The case ids of `municipality` that equal `id` but for letter case (`rsk-2022-000063` for `RSK-2022-000063`), at
    /// most five: what a case worker who typed `id` probably meant, when `id` itself is not on record.
    public func subjectIDs(municipality: String, equalIgnoringCase id: String) throws -> [String] {
        do {
            return try database.writer.read { db in
                try String.fetchAll(db, sql: "SELECT id FROM subject WHERE municipality = ? AND id = ? COLLATE NOCASE AND id <> ? ORDER BY id LIMIT 5",
                                    arguments: [municipality, id, id])
            }
        } catch { throw StorageError.wrapping(error, operation: .init(de: "Personen von \(municipality) suchen", en: "search subjects of \(municipality)")) }
    }
}
