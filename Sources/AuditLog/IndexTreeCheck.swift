import Foundation
import GRDB
import GRDBSQLite
import StoreDiagnostics

/// Checks that the index b-trees queries search by still list exactly the table's rows.
///
/// Why: `audit_entry_subject` answers every Art. 15 report and `audit log --subject`; `audit_entry_time`
/// every time range and the statistics. SQLite trusts an index: an entry dropped from it, given another key,
/// stored as a BLOB or put out of order hides the row from those queries, while the table, which the rest
/// of `verify` reads, stays intact. Someone with write access to the file can do that (rebuild the index
/// under another definition, then restore the schema text).
///
/// How: `verify` fingerprints the (row, key) pairs the table's verified columns give
/// (`AuditIndexFingerprints`); meanwhile (`Scans`) this reads each index alone in its own order, and insists
/// that every key is TEXT, that the pairs are strictly ascending (so a search finds what the scan finds) and
/// that they fingerprint the same. About a tenth of a second of CPU per million entries and index.
enum IndexTreeCheck {
    /// One index: its name, the column it holds, and the SQL that reads it alone, in its order.
    struct Index: Sendable {
        var name: String
        var column: String
        var sql: String
    }

    static let subject = Index(
        name: "audit_entry_subject", column: "subject",
        sql: "SELECT subject, idx FROM audit_entry INDEXED BY audit_entry_subject WHERE subject IS NOT NULL AND idx < ?")
    static let time = Index(name: "audit_entry_time", column: "time",
                            sql: "SELECT time, idx FROM audit_entry INDEXED BY audit_entry_time WHERE time IS NOT NULL AND idx < ?")
    /// The partial index of every row that is neither a decision nor a disclosure: a row missing from it hides an
    /// account change from the check that holds the account table to the log (`AccountEventLedger`), an export run
    /// from the erasure-notice check, a policy load from the DPO's filter.
    static let uncommonKind = Index(
        name: "audit_entry_uncommon_kind", column: "kind",
        sql: "SELECT kind, idx FROM audit_entry INDEXED BY audit_entry_uncommon_kind WHERE \(AuditLogSchema.uncommonKindCondition) AND idx < ?")

    /// What a scan of one index gave: the fingerprint of its pairs, or the problem that stopped it (a key not
    /// TEXT, pairs out of order, a b-tree SQLite cannot walk, an index the query cannot use).
    enum Scan: Sendable, Equatable {
        case pairs(IndexKeyFingerprint)
        case problem(TamperFinding)
    }

    /// Scans of the indexes, started when `verify` starts so that they overlap its pass over the rows: with a
    /// connection pool each on its own connection and thread (rows below `size` cannot change under the
    /// append-only triggers, so those snapshots agree with `verify`'s on them); otherwise, later, one after
    /// the other on `verify`'s own connection. `problem(table:db:)` compares them with the table's pairs.
    final class Scans: @unchecked Sendable {
        private let size: Int64
        private let key: IndexFingerprintKey
        private let group = DispatchGroup()
        private let lock = NSLock()
        /// Whether the scans run concurrently (a pool); their results, one per index in `indexes` order,
        /// each set once under `lock`.
        private let concurrent: Bool
        private var results: [Result<Scan, any Error>?]
        static let indexes = [IndexTreeCheck.subject, IndexTreeCheck.time, IndexTreeCheck.uncommonKind]

        /// Starts the scans on `writer`'s pool, if it has one.
        init(writer: any DatabaseWriter, size: Int64, key: IndexFingerprintKey) {
            self.size = size
            self.key = key
            results = Array(repeating: nil, count: Self.indexes.count)
            let pool = writer as? DatabasePool
            concurrent = pool != nil
            guard let pool else { return }
            for (i, index) in Self.indexes.enumerated() {
                // Each on a serial queue of its own, i.e. a thread of its own: on the global concurrent queue these
                // CPU-bound scans (about a second per million rows each) took every slot libdispatch gives concurrent
                // queues, and a server's short reads (its `BlockingWork`) waited for them (Benchmarks/results/web.md,
                // Session 24).
                DispatchQueue(label: "consentgate.audit.index-scan.\(i)", qos: .utility).async(group: group) { [self] in
                    let result = Result { try pool.read { try IndexTreeCheck.scan(in: $0, index: index, below: size, key: key) } }
                    lock.lock()
                    results[i] = result
                    lock.unlock()
                }
            }
        }

        /// Waits for the scans (so none outlives `verify`, whatever it throws).
        func wait() { group.wait() }

        /// The first index whose pairs are not exactly the ones `table` fingerprints, looked at on `db` when
        /// the scans could not run concurrently.
        func problem(table: AuditIndexFingerprints, db: Database) throws -> TamperFinding? {
            group.wait()
            lock.lock()
            let done = results
            lock.unlock()
            for (i, (index, expected)) in zip(Self.indexes, [table.subject, table.time, table.uncommonKind]).enumerated() {
                let scan = try concurrent ? (done[i] ?? .success(.problem(.indexTreeChanged(index: index.name, column: index.column)))).get()
                                          : IndexTreeCheck.scan(in: db, index: index, below: size, key: key)
                switch scan {
                case let .problem(finding): return finding
                case let .pairs(found) where found != expected: return .indexTreeChanged(index: index.name, column: index.column)
                case .pairs: continue
                }
            }
            return nil
        }
    }

    /// Reads `index` alone, in its order, for the rows below `size`.
    static func scan(in db: Database, index: Index, below size: Int64, key: IndexFingerprintKey) throws -> Scan {
        let changed = Scan.problem(.indexTreeChanged(index: index.name, column: index.column))
        guard let connection = db.sqliteConnection else { throw AuditLogError.storage(operation: .verify, reason: .connectionClosed) }
        var stmt: OpaquePointer?
        guard sqlite3_prepare_v2(connection, index.sql, -1, &stmt, nil) == SQLITE_OK, let stmt else {
            // A missing or redefined index (INDEXED BY cannot use it) is a changed schema.
            sqlite3_finalize(stmt)
            return changed
        }
        defer { sqlite3_finalize(stmt) }
        sqlite3_bind_int64(stmt, 1, size)
        var found = IndexKeyFingerprint()
        // The previous pair, to insist on strictly ascending (key, row): BINARY collation is memcmp, then length.
        var previousKey: [UInt8] = [], previousRow = Int64.min, first = true
        while true {
            let rc = sqlite3_step(stmt)
            if rc == SQLITE_DONE { break }
            guard rc == SQLITE_ROW else {
                // A b-tree SQLite cannot walk is a damaged file.
                if rc == SQLITE_CORRUPT { return changed }
                throw AuditLogError.storage(operation: .verify, reason: StorageFailureReason(sqliteConnection: connection))
            }
            guard sqlite3_column_type(stmt, 0) == SQLITE_TEXT else { return changed }
            let row = sqlite3_column_int64(stmt, 1)
            let keyBytes = UnsafeRawBufferPointer(start: sqlite3_column_text(stmt, 0), count: Int(sqlite3_column_bytes(stmt, 0)))
            // Ascending keys; an equal key with an ascending row. The first pair counts as ascending.
            let order = first ? -1 : compare(previousKey, keyBytes)
            guard order < 0 || (order == 0 && previousRow < row) else { return changed }
            if order != 0 {
                previousKey.removeAll(keepingCapacity: true)
                previousKey.append(contentsOf: keyBytes)
            }
            first = false
            previousRow = row
            found.add(row: row, key: keyBytes, using: key)
        }
        return .pairs(found)
    }

    /// BINARY collation: bytes, then length.
    private static func compare(_ a: [UInt8], _ b: UnsafeRawBufferPointer) -> Int {
        let n = min(a.count, b.count)
        if n > 0 {
            let c = a.withUnsafeBytes { memcmp($0.baseAddress!, b.baseAddress!, n) }
            if c != 0 { return Int(c) }
        }
        return a.count - b.count
    }
}
