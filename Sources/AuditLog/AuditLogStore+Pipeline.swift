import Dispatch
import Foundation
import GRDB

extension AuditLogStore {
    /// Appends a stream of batches, each exactly as `append(_:signer:now:)` would (its own transaction and
    /// its own signed checkpoint), but overlapped on two threads: while batch k is being flushed to disk,
    /// batch k+1 is inserted, and batch k+2 is encoded and hashed. `durable` is called on the calling
    /// thread, in order, once per batch with its indices (empty for an empty batch), and only after that
    /// batch is durable: its WAL frames fsynced, the same guarantee `synchronous = FULL` gives when
    /// `append` returns. A batch whose `durable` was not called must be treated as not logged (it may or
    /// may not be in the log after a crash, like a batch whose `append` never returned).
    ///
    /// Why: the export job appends hundreds of thousands of entries in batches; with one `append` per
    /// batch, the disk flush of every batch stalls the next. Here the flush of one batch overlaps the
    /// work of the next, which roughly doubles the batches per second on a disk whose fsync takes as long
    /// as inserting a batch. `batches` is iterated on the calling thread; `now` gives each checkpoint's time.
    ///
    /// In WAL mode the pipeline does its own fsync whatever the connection's `synchronous` setting; in a
    /// rollback-journal mode each batch is committed as `append` commits it and reported right after its
    /// commit (only preparation overlaps).
    /// On an error, batches already durable have been reported, and the error is thrown.
    public func appendBatches<S: Sequence>(_ batches: S, signer: NoteSigner, now: () -> Date = { Date() },
                                           durable: ([Int64]) throws -> Void) throws where S.Element == [AuditEntry] {
        try pipeline(batches, prepare: { PreparedEntry.prepare($0, serial: true) }, signer: signer, now: now, durable: durable)
    }

    /// `appendBatches(_:signer:now:durable:)` for entries already in their stored form (as
    /// `append(encoded:signer:now:)` takes them): only leaf hashing overlaps with the previous batch.
    public func appendBatches<S: Sequence>(encoded batches: S, signer: NoteSigner, now: () -> Date = { Date() },
                                           durable: ([Int64]) throws -> Void) throws where S.Element == [EncodedAuditEntry] {
        try pipeline(batches, prepare: { batch in
            let hasher = InlineMerkleHasher()
            return batch.map { PreparedEntry.hashed($0, hasher) }
        }, signer: signer, now: now, durable: durable)
    }

    private func pipeline<S: Sequence>(_ batches: S, prepare: @escaping @Sendable (S.Element) -> [PreparedEntry], signer: NoteSigner,
                                       now: () -> Date, durable: ([Int64]) throws -> Void) throws where S.Element: Sendable {
        var iterator = batches.makeIterator()
        let syncer = WALSyncer()
        defer { syncer.close() }
        var next = iterator.next().map { PreparedBatch($0, prepare) }
        // The committed batch whose fsync is running, with its indices.
        var inFlight: (ticket: WALSyncer.Ticket, indices: [Int64])?
        func reportInFlight() throws {
            guard let f = inFlight else { return }
            inFlight = nil
            try f.ticket.wait(path: syncer.path)
            try durable(f.indices)
        }
        while let current = next {
            let prepared = current.wait()
            next = iterator.next().map { PreparedBatch($0, prepare) }
            if prepared.isEmpty {
                try reportInFlight()
                try durable([])
                continue
            }
            let committed: (indices: [Int64], needsSync: Bool)
            do {
                committed = try commitWithoutFlush(prepared, signer: signer, now: now(), syncer: syncer)
            } catch {
                // Batches already committed still get reported once durable; then the error.
                try reportInFlight()
                throw error
            }
            try reportInFlight()
            if committed.needsSync {
                inFlight = (syncer.startSync(), committed.indices)
            } else {
                try durable(committed.indices)
            }
        }
        try reportInFlight()
    }

    /// Commits one batch in its own transaction. In WAL mode the commit runs with `synchronous = NORMAL`
    /// (SQLite writes the frames but does not fsync them) and the connection's setting is put back before
    /// the write lock is released; `needsSync` then says the caller must fsync the WAL (attached to
    /// `syncer`) before reporting the batch. Otherwise the commit is made durable by SQLite itself
    /// (`withDurableCommit`).
    private func commitWithoutFlush(_ prepared: [PreparedEntry], signer: NoteSigner, now: Date,
                                    syncer: WALSyncer) throws -> (indices: [Int64], needsSync: Bool) {
        do {
            return try writer.writeWithoutTransaction { db in
                let mode = try Self.durabilityMode(db)
                guard mode.wal else {
                    return (try Self.commitDurably(prepared, signer: signer, now: now, db), false)
                }
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
                var indices: [Int64] = []
                do {
                    try db.inTransaction(.immediate) {
                        indices = try Self.insert(prepared, signer: signer, now: now, db)
                        return .commit
                    }
                } catch {
                    try? db.execute(sql: "PRAGMA synchronous = \(mode.synchronous)")
                    throw error
                }
                try db.execute(sql: "PRAGMA synchronous = \(mode.synchronous)")
                try syncer.attach(db)
                return (indices, true)
            }
        } catch {
            throw Self.storageError(.append, error)
        }
    }
}

/// A batch being encoded and hashed on a background thread.
private final class PreparedBatch: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    /// Written once on the background thread before `done` is signalled; read after `wait`.
    private var result: [PreparedEntry] = []

    init<E: Sendable>(_ batch: E, _ prepare: @escaping @Sendable (E) -> [PreparedEntry]) {
        DispatchQueue.global().async { [self] in
            result = prepare(batch)
            done.signal()
        }
    }

    func wait() -> [PreparedEntry] {
        done.wait()
        return result
    }
}
