import Foundation
import GRDB

/// Filters for reading the log (`audit log`, reports, stats). Every filter given must match; times are
/// RFC 3339 UTC and the range is [since, until).
public struct AuditQuery: Sendable, Equatable {
    /// Only entries about this subject (case id).
    public var subject: String?
    /// Only entries naming this partner id: in their partner column, or (an `erasure-notice`) among the recipients it
    /// names in `notify`.
    public var partner: String?
    /// Only entries naming this purpose id.
    public var purpose: String?
    /// Only entries of these kinds; empty for every kind.
    public var kinds: [AuditEntryKind]
    /// Only entries caused by this actor (account name or job name).
    public var actor: String?
    /// Only entries recorded for this municipality (the entry's `municipality`).
    public var municipality: String?
    /// Inclusive lower bound on `time`.
    public var since: String?
    /// Exclusive upper bound on `time`.
    public var until: String?
    /// At most this many entries (oldest first, or newest first with `newestFirst`), nil for all.
    public var limit: Int?
    /// Only entries with an index above this one: the next page after the last index of a page read oldest first
    /// (times repeat within a second, indices never do, so a page boundary by index loses and repeats nothing).
    public var after: Int64?
    /// Only entries with an index below this one: the next page after the last index of a page read newest first.
    public var before: Int64?
    /// Newest first (descending index) instead of oldest first: with `limit`, the latest entries.
    public var newestFirst: Bool

    /// Creates a query; with no arguments it matches every entry, oldest first.
    public init(subject: String? = nil, partner: String? = nil, purpose: String? = nil, kinds: [AuditEntryKind] = [],
                actor: String? = nil, municipality: String? = nil, since: String? = nil, until: String? = nil, limit: Int? = nil,
                after: Int64? = nil, before: Int64? = nil, newestFirst: Bool = false) {
        self.subject = subject; self.partner = partner; self.purpose = purpose; self.kinds = kinds; self.actor = actor
        self.municipality = municipality; self.since = since; self.until = until; self.limit = limit
        self.after = after; self.before = before; self.newestFirst = newestFirst
    }

    /// The filters given, by name, as recorded in an `audit-read` entry.
    public var description: [String: String] {
        var d: [String: String] = [:]
        d["subject"] = subject; d["partner"] = partner; d["purpose"] = purpose; d["actor"] = actor
        d["municipality"] = municipality; d["since"] = since; d["until"] = until
        if !kinds.isEmpty { d["kind"] = kinds.map(\.rawValue).joined(separator: ",") }
        d["after"] = after.map(String.init); d["before"] = before.map(String.init)
        return d
    }

    /// The SQL condition and its arguments; with `size`, only entries below that index (the log as it was when a
    /// streaming read counted its answer).
    func whereClause(below size: Int64? = nil) throws -> (String, StatementArguments) {
        var conds: [String] = []
        var args: [(any DatabaseValueConvertible)?] = []
        for (column, value) in [("subject", subject), ("purpose", purpose), ("actor", actor), ("municipality", municipality)] {
            if let value { conds.append("\(column) = ?"); args.append(value) }
        }
        if let partner {
            // An erasure notice names its recipients in `notify` (Art. 19: possibly several) and has no partner column; a
            // DPO asking what a partner was sent or told must see the notices too (before 2026-12-05 they were missing).
            // The JSON is read only for `erasure-notice` rows; the entry is a BLOB, which SQLite's JSON functions refuse.
            conds.append("""
                (partner = ? OR (kind = 'erasure-notice' AND EXISTS (SELECT 1 FROM json_each(CAST(entry AS TEXT), '$.content.notify') \
                WHERE value = ?)))
                """)
            args.append(partner); args.append(partner)
        }
        if !kinds.isEmpty {
            // Kinds as literals (their raw values are fixed ids of letters and dashes, never user text): SQLite uses a
            // partial index only for a query that states its condition literally (`audit_entry_uncommon_kind`).
            let literals = kinds.map { "'\($0.rawValue)'" }
            conds.append(literals.count == 1 ? "kind = \(literals[0])" : "kind IN (\(literals.joined(separator: ",")))")
            // Only uncommon kinds: their partial index, whose condition must appear word for word.
            if AuditLogSchema.commonKinds.isDisjoint(with: kinds) { conds.append(AuditLogSchema.uncommonKindCondition) }
        }
        for (value, op) in [(after, ">"), (before, "<"), (size, "<")] {
            guard let value else { continue }
            conds.append("idx \(op) ?")
            args.append(value)
        }
        for (name, value, op) in [("since", since, ">="), ("until", until, "<")] {
            guard let value else { continue }
            guard let date = AuditTime.parse(value) else {
                throw AuditLogError.invalidEntry(field: name, reason: "\"\(value)\" is not an RFC 3339 time")
            }
            conds.append("time \(op) ?")
            args.append(AuditTime.format(date))
        }
        return (conds.isEmpty ? "1" : conds.joined(separator: " AND "), StatementArguments(args))
    }
}

/// An entry as stored: its index, canonical bytes and decoded content.
public struct StoredEntry: Sendable, Equatable {
    /// The entry's leaf index in the log, 0-based.
    public var index: Int64
    /// The entry's canonical JSON bytes as stored: the Merkle leaf, what proofs and verification hash.
    public var bytes: [UInt8]
    /// The entry decoded from `bytes`.
    public var entry: AuditEntry
}

extension AuditLogStore {
    /// The entries matching `query`, oldest first (newest first with `newestFirst`).
    public func entries(matching query: AuditQuery) throws -> [StoredEntry] {
        try read(.query) { db in try Self.entries(matching: query, in: db) }
    }

    /// `entries(matching:)` inside the caller's read or write, so that what it reads beside them belongs to the
    /// same snapshot.
    public static func entries(matching query: AuditQuery, in db: Database) throws -> [StoredEntry] {
        var out: [StoredEntry] = []
        try forEachEntry(matching: query, in: db) { out.append($0) }
        return out
    }

    /// Hands the entries matching `query` (below index `size`, when given) to `body` one at a time, as SQLite's cursor
    /// yields them: each is decoded when it is reached, and none is kept here.
    static func forEachEntry(matching query: AuditQuery, below size: Int64? = nil, in db: Database,
                             _ body: (StoredEntry) throws -> Void) throws {
        let (cond, args) = try query.whereClause(below: size)
        let limit = query.limit.map { " LIMIT \($0)" } ?? ""
        let order = query.newestFirst ? " DESC" : ""
        let rows = try Row.fetchCursor(db, sql: "SELECT idx, entry FROM audit_entry WHERE \(cond) ORDER BY idx\(order)\(limit)", arguments: args)
        while let row = try rows.next() {
            let idx: Int64 = row[0]
            let bytes = Array(row[1] as Data)
            try body(StoredEntry(index: idx, bytes: bytes, entry: try AuditEntry(bytes: bytes, context: "entry \(idx)")))
        }
    }

    /// One entry by index.
    public func entry(index: Int64) throws -> StoredEntry {
        let bytes = try entryBytes(index: index)
        return StoredEntry(index: index, bytes: bytes, entry: try AuditEntry(bytes: bytes, context: "entry \(index)"))
    }
}
