import Dispatch
import Gate
import Synchronization

/// Stores each chunk of an export run (changed subjects, staged records and shapes; `ExportChunkWrite`) on a
/// background queue, one transaction per chunk, while the job reads and decides the next chunk. At most one
/// chunk waits while one is written, so memory holds two chunks at most. The first failure is rethrown by
/// the next `submit` or by `finish`, which the job calls before any run is logged (docs/export-job.md: the
/// staged rows must be stored before the run's entries are appended).
final class ChunkWriter: @unchecked Sendable {
    private let queue = DispatchQueue(label: "consentgate.export.chunk-writer")
    private let slots = DispatchSemaphore(value: 1)
    private let failure = Mutex<(any Error)?>(nil)

    /// Queues `chunk` (waiting while the previous one is still being written); rethrows an earlier failure.
    func submit(_ chunk: ExportChunkWrite, ledger: ExportLedger, updatedAt: String) throws {
        slots.wait()
        if let e = failure.withLock({ $0 }) { slots.signal(); throw e }
        queue.async { [self] in
            defer { slots.signal() }
            do { try ledger.write(chunk, updatedAt: updatedAt) } catch { failure.withLock { $0 = $0 ?? error } }
        }
    }

    /// Waits until every queued chunk is stored; rethrows the first failure.
    func finish() throws {
        queue.sync {}
        if let e = failure.withLock({ $0 }) { throw e }
    }
}
