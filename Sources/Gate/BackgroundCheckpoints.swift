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
/// commit. Where the writer carries `WALCheckpointer`'s WAL hook (`AppDatabase.writerCheckpointHook`), neither touches
/// the setting. Durability is unchanged: commits are as durable in the WAL as before, and a checkpoint syncs the
/// WAL before and the database file after copying.
///
/// A checkpoint beside a writer that never pauses never copies the last frames, and SQLite starts the WAL
/// again from its beginning only once all of it is copied: left alone, the WAL grows by everything the run
/// writes (3.2 GB for a 1,000,000-row list). So when a checkpoint leaves more than `catchUpFrames` frames
/// in the WAL, the next one runs on the writer connection, between two of the run's transactions: it copies
/// just the frames committed since the last one, and the run's next transaction restarts the WAL, which stays
/// near `catchUpFrames` pages.
public final class BackgroundCheckpoints: Sendable {
    private let database: AppDatabase
    private let previous: Int?
    private let stop = Stop()
    private let done = DispatchSemaphore(value: 0)
    private let finished = Atomic<Bool>(false)
    private let tally = Tally()

    /// What the checkpoints did (for tests and benchmarks).
    public struct Counts: Sendable, Equatable {
        /// Checkpoints on the background connection.
        public var background = 0
        /// Catch-up checkpoints on the writer connection.
        public var catchUps = 0
        /// The largest WAL (in frames) a checkpoint found.
        public var largestWAL = 0
    }

    /// Turns the writer's automatic checkpoint off and starts checkpointing every `interval` until `finish()`,
    /// catching up on the writer connection once the WAL holds `catchUpFrames` frames or more.
    public init(database: AppDatabase, interval: Duration = .milliseconds(100), catchUpFrames: Int = 4096) {
        self.database = database
        // Where the writer's checkpoints belong to `WALCheckpointer`'s WAL hook (a run inside `serve` after the first
        // decision), the setting is left alone: the pragma would remove the hook, and the hook already keeps commits free
        // of checkpoints. Read and set on the writer connection, where the hook is installed.
        let hook = database.writerCheckpointHook
        previous = (try? database.writer.writeWithoutTransaction { db -> Int? in
            guard !hook.isInstalled else { return nil }
            let before = try Int.fetchOne(db, sql: "PRAGMA wal_autocheckpoint")
            try db.execute(sql: "PRAGMA wal_autocheckpoint = 0")
            return before
        }) ?? nil
        let (path, stop, done, tally, writer) = (database.path, stop, done, tally, database.writer)
        DispatchQueue(label: "consentgate.background-checkpoints", qos: .utility).async {
            defer { done.signal() }
            guard let connection = try? WALCheckpointer.connection(path: path) else { return }
            while !stop.wait(interval) {
                guard let result = try? connection.inDatabase({ db in try db.checkpoint(.passive) }) else { continue }
                tally.lock.withLock { c in
                    c.background += 1
                    c.largestWAL = max(c.largestWAL, result.walFrameCount)
                }
                guard result.walFrameCount >= catchUpFrames, !stop.isStopped else { continue }
                if (try? writer.writeWithoutTransaction({ db in try db.checkpoint(.passive) })) != nil {
                    tally.lock.withLock { $0.catchUps += 1 }
                }
            }
        }
    }

    /// What the checkpoints did so far.
    public var counts: Counts { tally.lock.withLock { $0 } }

    /// Stops the background checkpoints (waiting for one that is running) and puts the writer's automatic
    /// checkpoint back. Idempotent; also run when the value goes away.
    public func finish() {
        guard !finished.exchange(true, ordering: .relaxed) else { return }
        stop.signal()
        done.wait()
        let restored = previous ?? 1000
        let hook = database.writerCheckpointHook
        // Not over the WAL hook, also one installed while the run ran (a first decision meanwhile).
        try? database.writer.writeWithoutTransaction { db in
            guard !hook.isInstalled else { return }
            try db.execute(sql: "PRAGMA wal_autocheckpoint = \(restored)")
        }
    }

    deinit { finish() }

    /// The counts, shared with the checkpoint thread.
    private final class Tally: Sendable {
        let lock = Mutex(Counts())
    }

    /// A flag the loop sleeps on, so `finish` ends it without waiting out an interval.
    private final class Stop: Sendable {
        private let semaphore = DispatchSemaphore(value: 0)
        private let stopped = Atomic<Bool>(false)
        func signal() { stopped.store(true, ordering: .relaxed); semaphore.signal() }
        var isStopped: Bool { stopped.load(ordering: .relaxed) }
        /// Waits up to `interval`; true once stopped.
        func wait(_ interval: Duration) -> Bool {
            let (s, a) = interval.components
            _ = semaphore.wait(timeout: .now() + .nanoseconds(Int(s) * 1_000_000_000 + Int(a / 1_000_000_000)))
            return stopped.load(ordering: .relaxed)
        }
    }
}
