import Foundation
import GRDB
import Synchronization

/// The databases a command's process opened, so that the command leaves each one whole in its main file when it ends.
///
/// SQLite moves the write-ahead log into the database file only when the last connection closes, and a command's
/// connections did not all close before its process ended: after `export`, `consent grant` or `check` nearly all the data
/// was still in `consentgate.sqlite-wal` (3.5 MB beside a 16 KiB main file), and a copy of the main file alone held no
/// table at all (found by following docs/operations.md as written, 2026-12-06). A command line process asks for its
/// databases to be kept (`AppDatabase.keepOpenUntilExit()`, before it opens any) and checkpoints them when its work is
/// done (`AppDatabase.checkpointOpenDatabases()`). A long-running process (`serve`, the tests) keeps nothing here.
enum ExitCheckpoint {
    private struct State {
        var keeping = false
        var pools: [DatabasePool] = []
    }

    private static let state = Mutex(State())

    /// From now on, every database opened is kept until the process ends.
    static func keep() { state.withLock { $0.keeping = true } }

    /// Notes `pool` (`AppDatabase.open`) when this process keeps its databases.
    static func register(_ pool: DatabasePool) {
        state.withLock { s in if s.keeping { s.pools.append(pool) } }
    }

    /// The databases kept.
    static var pools: [DatabasePool] { state.withLock { $0.pools } }
}

extension AppDatabase {
    /// Keeps every database this process opens from now on until `checkpointOpenDatabases()` (for the command line:
    /// call before any command runs).
    public static func keepOpenUntilExit() { ExitCheckpoint.keep() }

    /// Copies the write-ahead log of every database kept (`keepOpenUntilExit`) into its database file, so that the file
    /// alone holds all that was committed. A passive checkpoint: it does not wait for another process, so the log pages a
    /// running `serve` still reads stay in the log, and the docs' rule stands (copy a database in use only with
    /// `consentgate backup`). Failures are ignored: the data is in the log either way, and SQLite reads it from there.
    public static func checkpointOpenDatabases() {
        ExitCheckpoint.pools.forEach(checkpoint)
    }

    /// The same for this database alone: `serve`, which keeps nothing for the exit, when it has stopped.
    public func checkpointIntoFile() { Self.checkpoint(writer) }

    private static func checkpoint(_ pool: DatabasePool) {
        // A database removed meanwhile (an export dry run's scratch copy) is not written to.
        guard FileManager.default.fileExists(atPath: pool.path) else { return }
        try? pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(PASSIVE)") }
    }
}
