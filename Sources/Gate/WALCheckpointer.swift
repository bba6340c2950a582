import Foundation
import GRDB
import Synchronization

/// Copies the write-ahead log into the database file on a connection and thread of its own, so the
/// group commit's transactions never do it.
///
/// By default SQLite checkpoints inside whichever commit pushes the WAL past 1,000 pages: that commit
/// copies the pages and fsyncs the database file before it returns, and every decision waiting on that
/// batch waits with it (a p99 of tens of milliseconds on this machine's disk). Once the group commit
/// starts, it turns the automatic checkpoint off on the pool's writer connection and asks this type for
/// a PASSIVE checkpoint every `batchesPerCheckpoint` batches instead. A passive checkpoint takes no write
/// lock, so the next batches commit while it runs; the writer restarts the WAL from its beginning once
/// a checkpoint has copied all of it. Durability is unchanged: commits are durable in the WAL
/// (`synchronous = FULL`), and the checkpoint syncs the WAL before and the database after copying.
/// Other processes keep SQLite's automatic checkpoint on their own connections.
///
/// A checkpoint running beside the writer never catches up with it under steady load, and SQLite only
/// restarts the WAL from its beginning once everything in it is copied. So when a background checkpoint
/// reports more than `catchUpFrames` frames in the WAL, the writing thread runs a short one of its own
/// (`catchUpIfDue`) when no batch is waiting, or between two batches once the WAL is past twice the
/// threshold: it copies only the frames committed since the background one, and the next batch
/// restarts the WAL, which keeps the file bounded (about `2 × catchUpFrames` pages at most).
final class WALCheckpointer: Sendable {
    private struct State {
        var connection: DatabaseQueue?
        var tookOver = false
        var running = false
        var batchesSinceCheckpoint = 0
        var checkpoints = 0
        var catchUpDue = false
        var catchUps = 0
        var walFrames = 0
    }

    private let path: String
    private let writer: DatabasePool
    private let state = Mutex(State())
    private let queue = DispatchQueue(label: "consentgate.wal-checkpoint", qos: .utility)
    /// How many committed batches trigger the next background checkpoint.
    let batchesPerCheckpoint: Int
    /// WAL frames (pages) above which the writer catches up so that the WAL restarts.
    let catchUpFrames: Int

    init(database: AppDatabase, batchesPerCheckpoint: Int = 64, catchUpFrames: Int = 4096) {
        self.path = database.path
        self.writer = database.writer
        self.batchesPerCheckpoint = batchesPerCheckpoint
        self.catchUpFrames = catchUpFrames
    }

    /// Turns off the writer connection's automatic checkpoint (once). Call on the writing thread before
    /// the first batch. If it fails, SQLite keeps checkpointing by itself, which is correct, only slower.
    func takeOverIfNeeded() {
        let first = state.withLock { s -> Bool in
            defer { s.tookOver = true }
            return !s.tookOver
        }
        guard first else { return }
        try? writer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_autocheckpoint = 0") }
    }

    /// Counts a committed batch and starts a checkpoint in the background when one is due.
    func batchCommitted() {
        let start = state.withLock { s -> Bool in
            s.batchesSinceCheckpoint += 1
            guard s.batchesSinceCheckpoint >= batchesPerCheckpoint, !s.running else { return false }
            s.running = true
            s.batchesSinceCheckpoint = 0
            return true
        }
        if start { queue.async { self.checkpoint() } }
    }

    /// How many background checkpoints have completed (for tests).
    var completedCheckpoints: Int { state.withLock { $0.checkpoints } }
    /// How many catch-up checkpoints the writer ran (for tests).
    var completedCatchUps: Int { state.withLock { $0.catchUps } }

    /// On the writing thread, between batches: after a background checkpoint found the WAL past
    /// `catchUpFrames`, copies what was committed since (a few pages), so that the next transaction can
    /// restart the WAL. `idle`: no batch is waiting (the preferred moment); otherwise it only runs once
    /// the WAL is past twice the threshold, so under steady load it rarely delays a batch.
    func catchUpIfDue(idle: Bool) {
        let due = state.withLock { s -> Bool in
            guard s.catchUpDue, idle || s.walFrames >= 2 * catchUpFrames else { return false }
            s.catchUpDue = false
            return true
        }
        guard due else { return }
        if (try? writer.writeWithoutTransaction({ db in try db.checkpoint(.passive) })) != nil {
            state.withLock { $0.catchUps += 1 }
        }
    }

    private func checkpoint() {
        defer { state.withLock { $0.running = false } }
        do {
            let connection = try state.withLock { s -> DatabaseQueue in
                if let c = s.connection { return c }
                let c = try Self.connection(path: path)
                s.connection = c
                return c
            }
            let result = try connection.inDatabase { db in try db.checkpoint(.passive) }
            state.withLock { s in
                s.checkpoints += 1
                s.walFrames = result.walFrameCount
                s.catchUpDue = result.walFrameCount >= catchUpFrames
            }
        } catch {
            // A busy or failed passive checkpoint is retried after the next batches; commits are unaffected.
        }
    }

    /// A connection of its own for checkpoints (FULL: the checkpoint syncs the WAL and the database file).
    static func connection(path: String) throws -> DatabaseQueue {
        var config = Configuration()
        config.label = "consentgate.wal-checkpoint"
        config.busyMode = .timeout(5)
        config.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        return try DatabaseQueue(path: path, configuration: config)
    }
}
