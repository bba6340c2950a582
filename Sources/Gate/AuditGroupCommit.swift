import AuditLog
import Diagnostics
import Foundation
import Synchronization

/// Group commit for audit entries from concurrent callers (the web service's decisions): callers wait
/// while one writer appends everything queued so far in ONE transaction with ONE signed checkpoint, then
/// each caller gets its own index. Every caller still returns only after its entry is durable, so
/// "recorded before answered" holds; the cost of a commit (fsync, checkpoint signature) is shared.
final class AuditGroupCommit: Sendable {
    private struct Waiter {
        var entry: AuditEntry
        /// Whether the entry may still be appended, asked inside the batch's transaction (nil: always).
        var admission: DecisionAdmission?
        var continuation: CheckedContinuation<Int64?, any Error>
    }

    private struct State {
        var pending: [Waiter] = []
        var writing = false
    }

    private let state = Mutex(State())
    private let queue = DispatchQueue(label: "consentgate.audit-group-commit", qos: .userInitiated)
    /// Keeps WAL checkpoints out of the batches' commits (nil: SQLite checkpoints inside commits).
    let checkpointer: WALCheckpointer?

    init(checkpointer: WALCheckpointer? = nil) { self.checkpointer = checkpointer }

    /// Appends `entry` with whatever else is queued; returns its index once committed, or nil when `admission`
    /// refused it inside the batch's transaction (the rest of the batch is appended). `append` writes one batch
    /// durably and returns the indices in order (`Gate.record(_:admitting:)`); the caller that starts the writer
    /// lends it, and every caller passes the same one.
    func record(_ entry: AuditEntry, admitting admission: DecisionAdmission? = nil,
                append: @escaping @Sendable ([AuditEntry], [DecisionAdmission?]) throws -> [Int64?]) async throws -> Int64? {
        try await withCheckedThrowingContinuation { continuation in
            let startWriter = state.withLock { s -> Bool in
                s.pending.append(Waiter(entry: entry, admission: admission, continuation: continuation))
                if s.writing { return false }
                s.writing = true
                return true
            }
            if startWriter { queue.async { self.drain(append) } }
        }
    }

    /// Writes batches until the queue is empty. Runs on `queue`, off the cooperative thread pool, because
    /// SQLite commits block.
    private func drain(_ append: ([AuditEntry], [DecisionAdmission?]) throws -> [Int64?]) {
        checkpointer?.takeOverIfNeeded()
        while true {
            let batch = state.withLock { s -> [Waiter] in
                if s.pending.isEmpty { s.writing = false; return [] }
                defer { s.pending.removeAll(keepingCapacity: true) }
                return s.pending
            }
            if batch.isEmpty {
                // Nobody is waiting: the moment for the writer's WAL catch-up, if one is due.
                checkpointer?.catchUpIfDue(idle: true)
                return
            }
            checkpointer?.catchUpIfDue(idle: false)
            do {
                let indices = try append(batch.map(\.entry), batch.map(\.admission))
                guard indices.count == batch.count else {
                    // Never expected (`append` returns one index per entry); no caller may wait forever.
                    throw StorageError.failed(operation: .init(de: "Audit-Einträge gemeinsam festschreiben", en: "audit group commit"),
                                              reason: .text(.init(de: "\(indices.count) Indizes für \(batch.count) Einträge",
                                                                  en: "\(indices.count) indices for \(batch.count) entries")))
                }
                // The batch's commit was counted by the checkpointer's WAL hook.
                checkpointer?.batchWritten()
                for (waiter, index) in zip(batch, indices) { waiter.continuation.resume(returning: index) }
            } catch {
                for waiter in batch { waiter.continuation.resume(throwing: error) }
            }
        }
    }
}
