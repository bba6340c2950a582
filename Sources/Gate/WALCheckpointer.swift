import Foundation
import GRDB
import GRDBSQLite
import Synchronization

/// Copies the write-ahead log into the database file on a connection and thread of its own, so the
/// group commit's transactions never do it.
///
/// By default SQLite checkpoints inside whichever commit pushes the WAL past 1,000 pages: that commit
/// copies the pages and fsyncs the database file before it returns, and every decision waiting on that
/// batch waits with it (a p99 of tens of milliseconds on this machine's disk). Once the group commit
/// starts, it replaces the automatic checkpoint on the pool's writer connection by a commit hook
/// (`sqlite3_wal_hook`) that asks this type for a PASSIVE checkpoint every `commitsPerCheckpoint` commits of that
/// connection, whatever wrote them: the group commit's batches, and every other write of the process (a DPO's
/// logged read, a consent, an account). Before 2026-12-06 only the group commit's batches counted, so a service
/// whose later writes were all of other kinds never checkpointed again and its WAL grew without bound (24 GB in a
/// review of the API: every page of a paged log listing is itself a logged read). A passive checkpoint takes no write
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
/// restarts the WAL, which keeps the file bounded (about `2 × catchUpFrames` pages at most). While the group
/// commit is idle (no batch for `groupCommitIdle`) and other writes fill the WAL, the catch-up is queued on the
/// writer connection instead (`catchUpBesideGroupCommit`), between two of those writes.
final class WALCheckpointer: Sendable {
    private struct State {
        var connection: DatabaseQueue?
        var tookOver = false
        var running = false
        var commitsSinceCheckpoint = 0
        var checkpoints = 0
        var catchUpDue = false
        /// When the group commit last wrote a batch (`batchWritten`); nil before its first.
        var lastBatch: ContinuousClock.Instant?
        var catchUps = 0
        var walFrames = 0
    }

    private let path: String
    private let writer: DatabasePool
    private let hookFlag: WriterCheckpointHookFlag
    private let state = Mutex(State())
    private let queue = DispatchQueue(label: "consentgate.wal-checkpoint", qos: .utility)
    /// How many commits of the writer connection trigger the next background checkpoint.
    let commitsPerCheckpoint: Int
    /// WAL frames (pages) above which the writer catches up so that the WAL restarts.
    let catchUpFrames: Int

    init(database: AppDatabase, commitsPerCheckpoint: Int = 64, catchUpFrames: Int = 4096) {
        self.path = database.path
        self.writer = database.writer
        self.hookFlag = database.writerCheckpointHook
        self.commitsPerCheckpoint = commitsPerCheckpoint
        self.catchUpFrames = catchUpFrames
    }

    /// Replaces the writer connection's automatic checkpoint by the commit hook (once). Call on the writing
    /// thread before the first batch. Installing the hook cannot fail; until it is installed, SQLite checkpoints by
    /// itself, which is correct, only slower.
    func takeOverIfNeeded() {
        let first = state.withLock { s -> Bool in
            defer { s.tookOver = true }
            return !s.tookOver
        }
        guard first else { return }
        // The hook's context outlives this checkpointer (the connection may commit after it is gone, e.g. while its
        // Gate closes): a small object, retained once and never released, that holds this checkpointer weakly.
        let hook = WALCommitHook { [weak self] in self?.committed() }
        let context = Unmanaged.passRetained(hook).toOpaque()
        writer.writeWithoutTransaction { db in
            // Installing a WAL hook replaces SQLite's automatic checkpoint on this connection (sqlite3_wal_autocheckpoint
            // is a wrapper around the same hook).
            _ = sqlite3_wal_hook(db.sqliteConnection, { context, _, _, _ in
                if let context { Unmanaged<WALCommitHook>.fromOpaque(context).takeUnretainedValue().onCommit() }
                return SQLITE_OK
            }, context)
            hookFlag.markInstalled()
        }
    }

    /// Counts a commit of the writer connection and starts a checkpoint in the background when one is due. Runs
    /// inside the commit (the WAL hook): only counts and hands off, never touches the database.
    func committed() {
        let start = state.withLock { s -> Bool in
            s.commitsSinceCheckpoint += 1
            guard s.commitsSinceCheckpoint >= commitsPerCheckpoint, !s.running else { return false }
            s.running = true
            s.commitsSinceCheckpoint = 0
            return true
        }
        if start { queue.async { self.checkpoint() } }
    }

    /// Notes that the group commit wrote a batch: while batches come, the group commit runs the catch-ups
    /// (`catchUpIfDue`, between its batches); when none came for `groupCommitIdle`, a background checkpoint that
    /// finds a catch-up due hands it to the writer connection itself (`catchUpBesideGroupCommit`).
    func batchWritten() {
        let now = ContinuousClock.now
        state.withLock { $0.lastBatch = now }
    }

    /// How long without a group-commit batch counts as the group commit being idle.
    static let groupCommitIdle: Duration = .milliseconds(200)

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

    /// The catch-up when the WAL grows from writes other than the group commit's (a DPO paging through the log: each
    /// page is a logged read): queued on the writer connection, so it runs between two of those writes, and the next
    /// write restarts the WAL. A group-commit batch that comes meanwhile waits for it like for any other write.
    private func catchUpBesideGroupCommit() {
        writer.asyncWriteWithoutTransaction { db in
            let due = self.state.withLock { s -> Bool in
                defer { s.catchUpDue = false }
                return s.catchUpDue
            }
            guard due, (try? db.checkpoint(.passive)) != nil else { return }
            self.state.withLock { $0.catchUps += 1 }
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
            let now = ContinuousClock.now
            let besideGroupCommit = state.withLock { s -> Bool in
                s.checkpoints += 1
                s.walFrames = result.walFrameCount
                s.catchUpDue = result.walFrameCount >= catchUpFrames
                return s.catchUpDue && s.lastBatch.map { now - $0 > Self.groupCommitIdle } ?? true
            }
            if besideGroupCommit { catchUpBesideGroupCommit() }
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

/// The context of the writer connection's WAL hook: what to do after each commit (`WALCheckpointer.committed`).
final class WALCommitHook: Sendable {
    let onCommit: @Sendable () -> Void
    init(_ onCommit: @escaping @Sendable () -> Void) { self.onCommit = onCommit }
}
