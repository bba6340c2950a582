import Foundation
import GRDB

extension AuditLogStore {
    /// The connection's journal and sync settings, as read before a commit.
    struct DurabilityMode {
        var wal: Bool
        /// `PRAGMA synchronous`: 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA.
        var synchronous: Int
    }

    static func durabilityMode(_ db: Database) throws -> DurabilityMode {
        // `PRAGMA journal_mode` runs when stepped, so its compiled statement is cached. `PRAGMA
        // synchronous` is not: SQLite compiles the current level into the statement as a constant, so a
        // cached one would keep answering the level it was prepared under.
        DurabilityMode(wal: try String.fetchOne(db.cachedStatement(sql: "PRAGMA journal_mode"))?.lowercased() == "wal",
                       synchronous: try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? 2)
    }

    /// Commits `prepared` in one IMMEDIATE transaction on `db` (outside any transaction) so that the
    /// commit is on disk when this returns: in WAL mode below `synchronous = FULL` the connection is
    /// raised to FULL for this commit and put back afterwards.
    ///
    /// Why: GRDB's `DatabasePool` sets `synchronous = NORMAL` on its writer after `prepareDatabase` has
    /// run, so a pool configured for FULL there still commits without fsync. Under NORMAL a WAL commit
    /// survives a crash of the process but not a power loss; the log promises that every index `append`
    /// returns is durable, so it does not rely on the pool's setting.
    static func commitDurably(_ prepared: [PreparedEntry], signer: NoteSigner, now: Date, _ db: Database) throws -> [Int64] {
        let mode = try durabilityMode(db)
        let raise = mode.wal && mode.synchronous < 2
        if raise { try db.execute(sql: "PRAGMA synchronous = FULL") }
        var indices: [Int64] = []
        do {
            try db.inTransaction(.immediate) {
                indices = try insert(prepared, signer: signer, now: now, db)
                return .commit
            }
        } catch {
            if raise { try? db.execute(sql: "PRAGMA synchronous = \(mode.synchronous)") }
            throw error
        }
        if raise { try db.execute(sql: "PRAGMA synchronous = \(mode.synchronous)") }
        return indices
    }
}
