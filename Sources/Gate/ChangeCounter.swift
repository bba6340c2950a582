import Foundation
import GRDB

/// Reads `gate_change_counter.version` (see `ChangeCounterSchema`) on a connection of its own: one
/// prepared statement in autocommit mode, a few microseconds, where a read through the pool (reader
/// checkout, savepoint, statement compilation) costs tens. The value is the newest committed one in
/// WAL mode, so changes by other processes are seen by the next read.
final class ChangeCounter: Sendable {
    private let queue: DatabaseQueue

    /// Opens a read-only connection to the database at `path` (already migrated).
    init(path: String) throws {
        var config = Configuration()
        config.readonly = true
        config.busyMode = .timeout(5)
        config.label = "consentgate.change-counter"
        queue = try DatabaseQueue(path: path, configuration: config)
    }

    /// The counter now, or nil when it cannot be read (then callers bypass their cache).
    func current() -> Int64? {
        try? queue.inDatabase { db in try Self.version(db) }
    }

    /// The counter as `db` sees it: inside a transaction, the value of that transaction's state of the database.
    static func version(_ db: Database) throws -> Int64? {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT version FROM gate_change_counter WHERE id = 1"))
    }
}
