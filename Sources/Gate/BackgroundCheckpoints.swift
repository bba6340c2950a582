import Dispatch
import Foundation
import GRDB
import Synchronization

/// Copies the write-ahead log into the database file on a connection and thread of their own while a bulk
/// writer (the export job) runs, instead of inside that writer's commits.
///
/// SQLite checkpoints in whichever commit pushes the WAL past 1,000 pages: that commit copies the pages and
/// fsyncs the database file before it returns, so a run that writes a few hundred MB (216,000 audit entries
/// for 100,000 rows) stops about a dozen times for it. While `run` runs, the writer connection's automatic
/// checkpoint is off and a PASSIVE checkpoint (no write lock: the writer goes on) copies what was committed
/// every `interval`; `finish()` puts the writer's setting back, so the WAL is bounded again by the next
/// commit. Durability is unchanged: commits are as durable in the WAL as before, and a checkpoint syncs the
/// WAL before and the database file after copying.
public final class BackgroundCheckpoints: Sendable {
    private let database: AppDatabase
    private let previous: Int?
    private let stop = Stop()
    private let done = DispatchSemaphore(value: 0)
    private let finished = Atomic<Bool>(false)

    /// Turns the writer's automatic checkpoint off and starts checkpointing every `interval` until `finish()`.
    public init(database: AppDatabase, interval: Duration = .milliseconds(100)) {
        self.database = database
        previous = (try? database.writer.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA wal_autocheckpoint") }) ?? nil
        try? database.writer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_autocheckpoint = 0") }
        let (path, stop, done) = (database.path, stop, done)
        DispatchQueue(label: "consentgate.background-checkpoints", qos: .utility).async {
            defer { done.signal() }
            guard let connection = try? WALCheckpointer.connection(path: path) else { return }
            while !stop.wait(interval) {
                _ = try? connection.inDatabase { db in try db.checkpoint(.passive) }
            }
        }
    }

    /// Stops the background checkpoints (waiting for one that is running) and puts the writer's automatic
    /// checkpoint back. Idempotent; also run when the value goes away.
    public func finish() {
        guard !finished.exchange(true, ordering: .relaxed) else { return }
        stop.signal()
        done.wait()
        let restored = previous ?? 1000
        try? database.writer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_autocheckpoint = \(restored)") }
    }

    deinit { finish() }

    /// A flag the loop sleeps on, so `finish` ends it without waiting out an interval.
    private final class Stop: Sendable {
        private let semaphore = DispatchSemaphore(value: 0)
        private let stopped = Atomic<Bool>(false)
        func signal() { stopped.store(true, ordering: .relaxed); semaphore.signal() }
        /// Waits up to `interval`; true once stopped.
        func wait(_ interval: Duration) -> Bool {
            let (s, a) = interval.components
            _ = semaphore.wait(timeout: .now() + .nanoseconds(Int(s) * 1_000_000_000 + Int(a / 1_000_000_000)))
            return stopped.load(ordering: .relaxed)
        }
    }
}
