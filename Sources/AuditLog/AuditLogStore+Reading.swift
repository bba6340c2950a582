import Foundation
import GRDB

extension AuditLogStore {
    /// Reads the entries matching `query` and records who read them as an `audit-read` entry
    /// (appended and signed before the result is returned, so no read goes unrecorded). Holds the whole answer in
    /// memory, and reads the log once: for reads bounded by `limit` (the pages, `GET /v1/audit/entries`) or by one
    /// person (reports). `audit log`, whose answer can be millions of entries, streams with
    /// `readRecorded(_:actor:municipality:command:signer:each:)`.
    public func readRecorded(_ query: AuditQuery, actor: String, municipality: String? = nil, command: String,
                             signer: NoteSigner) throws -> [StoredEntry] {
        let found = try entries(matching: query)
        try recordRead(command: command, filters: query.description, results: Int64(found.count), actor: actor,
                       municipality: municipality, signer: signer)
        return found
    }

    /// Reads the entries matching `query` one at a time, handing each to `each` as it comes from the database, after
    /// recording the read as an `audit-read` entry with the number of results: the count is taken first (the same
    /// condition, `count(*)`), the entry appended and signed, and only then is the first entry read. Memory does not
    /// grow with the answer: before 2026-12-06 every entry was collected first so that the count could be logged, and
    /// `audit log` of a month's disclosures (1.3M entries) took 4.3 GB before printing its first line.
    ///
    /// The entries are those of the log as it was when counted (indices below its size then): the `audit-read` entry
    /// this appends, and anything appended meanwhile, are not part of the answer, so the count logged is the number
    /// handed over. An error thrown by `each` (e.g. standard output closed) ends the read and is rethrown as it is.
    /// `each` runs inside the store's read, so it must not use this store's database writer itself (GRDB does not
    /// re-enter it).
    /// Returns the number of entries handed to `each`.
    @discardableResult
    public func readRecorded(_ query: AuditQuery, actor: String, municipality: String? = nil, command: String,
                             signer: NoteSigner, each: (StoredEntry) throws -> Void) throws -> Int64 {
        let (size, count) = try read(.query) { db in
            let size = try Self.frontier(db).size
            return (size, try Self.count(matching: query, below: size, in: db))
        }
        try recordRead(command: command, filters: query.description, results: count, actor: actor,
                       municipality: municipality, signer: signer)
        var handed: Int64 = 0
        var failure: (any Error)?
        do {
            try writer.read { db in
                try Self.forEachEntry(matching: query, below: size, in: db) { entry in
                    do { try each(entry) } catch { failure = error; throw error }
                    handed += 1
                }
            }
        } catch {
            if let failure { throw failure }
            throw Self.storageError(.query, error)
        }
        return handed
    }

    /// Appends an `audit-read` entry.
    public func recordRead(command: String, filters: [String: String], results: Int64, actor: String,
                           municipality: String? = nil, signer: NoteSigner) throws {
        let read = AuditEntry(actor: actor, municipality: municipality,
                              content: .auditRead(AuditReadRecord(command: command, filters: filters, results: results)))
        try append(read, signer: signer)
    }

    /// How many entries below index `size` match `query` (at most its `limit`), without reading them: SQLite counts
    /// from the same condition and stops at `limit`.
    static func count(matching query: AuditQuery, below size: Int64, in db: Database) throws -> Int64 {
        let (cond, args) = try query.whereClause(below: size)
        let sql = query.limit.map { "SELECT count(*) FROM (SELECT 1 FROM audit_entry WHERE \(cond) LIMIT \($0))" }
            ?? "SELECT count(*) FROM audit_entry WHERE \(cond)"
        return try Int64.fetchOne(db, sql: sql, arguments: args) ?? 0
    }
}

/// A column of the log a filter names by value (`AuditQuery`'s partner, purpose, municipality and actor).
public enum AuditFilterColumn: String, Sendable, CaseIterable {
    /// The partner an entry is about (`--partner`).
    case partner
    /// The purpose (`--purpose`).
    case purpose
    /// The municipality the entry was made for (`--municipality`).
    case municipality
    /// Who caused the entry (`--by-actor`).
    case actor
}

extension AuditLogStore {
    /// The distinct values the log holds in `column`, sorted: what a filter on it can match, for naming what a typo
    /// probably meant (`audit log`). Reads every entry's column (no index on it): only for a value `carries` did not find.
    public func namedValues(in column: AuditFilterColumn) throws -> [String] {
        try read(.query) { db in
            try String.fetchAll(db, sql: "SELECT DISTINCT \(column.rawValue) FROM audit_entry WHERE \(column.rawValue) IS NOT NULL ORDER BY 1")
        }
    }

    /// Whether some entry carries `value` in `column`: stops at the first (a log that carries it answers at once; one
    /// that does not is read through, as for `namedValues`).
    public func carries(_ value: String, in column: AuditFilterColumn) throws -> Bool {
        try read(.query) { db in
            try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM audit_entry WHERE \(column.rawValue) = ?)", arguments: [value]) ?? false
        }
    }
}
