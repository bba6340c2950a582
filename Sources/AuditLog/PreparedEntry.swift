import Dispatch
import Foundation

/// An entry ready to insert: its canonical bytes and RFC 6962 leaf hash, computed before the write
/// transaction so that the transaction (which holds the database's single writer) only inserts.
struct PreparedEntry: Sendable {
    /// The stored form: canonical bytes and index columns.
    var encoded: EncodedAuditEntry
    /// The RFC 6962 leaf hash of `encoded.bytes`.
    var leafHash: Digest32

    /// The canonical bytes (the Merkle leaf).
    var bytes: [UInt8] { encoded.bytes }

    /// Batches at least this large are encoded and hashed on all cores.
    static let parallelThreshold = 512

    /// Encodes and hashes `entries`, in order. Canonical encoding and leaf hashing are about a quarter of
    /// an append's CPU time; for large batches (the export job's) they are split over the cores, so on
    /// two cores they take half the wall time. Runs before the write lock is taken, so appends from other
    /// tasks overlap with it as well.
    /// `serial`: on the calling thread only (the pipelined append prepares the next batch on one core
    /// while the other inserts the current one).
    static func prepare(_ entries: [AuditEntry], serial: Bool = false) -> [PreparedEntry] {
        let n = entries.count
        let workers = serial || n < parallelThreshold ? 1 : min(ProcessInfo.processInfo.activeProcessorCount, n / (parallelThreshold / 2))
        guard workers > 1 else {
            let hasher = InlineMerkleHasher()
            return entries.map { one($0, hasher) }
        }
        return [PreparedEntry](unsafeUninitializedCapacity: n) { buffer, initialized in
            // Each worker initializes its own disjoint slice of the buffer, so sharing the pointer is safe;
            // concurrentPerform returns only after every worker has finished.
            nonisolated(unsafe) let base = buffer.baseAddress!
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                let hasher = InlineMerkleHasher()
                for i in n * w / workers..<n * (w + 1) / workers {
                    (base + i).initialize(to: one(entries[i], hasher))
                }
            }
            initialized = n
        }
    }

    private static func one(_ entry: AuditEntry, _ hasher: InlineMerkleHasher) -> PreparedEntry {
        hashed(EncodedAuditEntry(entry), hasher)
    }

    /// An already encoded entry with its leaf hash.
    static func hashed(_ encoded: EncodedAuditEntry, _ hasher: InlineMerkleHasher) -> PreparedEntry {
        PreparedEntry(encoded: encoded, leafHash: encoded.bytes.withUnsafeBytes { hasher.leaf($0) })
    }
}
