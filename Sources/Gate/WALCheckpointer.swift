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
final class WALCheckpointer: Sendable {
    private struct State {
        var connection: DatabaseQueue?
        var tookOver = false
        var running = false
        var batchesSinceCheckpoint = 0
        var checkpoints = 0
    }

    private let path: String
    private let writer: DatabasePool
    private let state = Mutex(State())
    private let queue = DispatchQueue(label: "consentgate.wal-checkpoint", qos: .utility)
    /// How many committed batches trigger the next checkpoint.
    let batchesPerCheckpoint: Int

    init(database: AppDatabase, batchesPerCheckpoint: Int = 64) {
        self.path = database.path
        self.writer = database.writer
        self.batchesPerCheckpoint = batchesPerCheckpoint
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

    private func checkpoint() {
        defer { state.withLock { $0.running = false } }
        do {
            let connection = try state.withLock { s -> DatabaseQueue in
                if let c = s.connection { return c }
                var config = Configuration()
                config.label = "consentgate.wal-checkpoint"
                config.busyMode = .timeout(5)
                config.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
                let c = try DatabaseQueue(path: path, configuration: config)
                s.connection = c
                return c
            }
            _ = try connection.inDatabase { db in try db.checkpoint(.passive) }
            state.withLock { $0.checkpoints += 1 }
        } catch {
            // A busy or failed passive checkpoint is retried after the next batches; commits are unaffected.
        }
    }
}
