import Diagnostics
import Foundation
import GRDB
import GRDBSQLite
import StoreDiagnostics

/// Roots of ranges of the log's leaves for the proofs (`MerkleRangeProofs`), inside one read: a range that is one or
/// more whole subtrees of the stored frontier (the right edge of the tree, persisted with every append) is folded from
/// those hashes at once; any other range is folded from its stored leaf hashes as SQLite's statement yields them,
/// through a `DigestRange` (at most 64 inline hashes, no allocation per leaf). Before 2026-12-06 a proof read every
/// leaf hash of the tree into one array of arrays (about 80 bytes a leaf: 310 MB of server memory for one proof at
/// 2.86M entries, kept after it); now a proof holds O(log n) hashes whatever the size.
///
/// The leaves are checked as they are read, as `leafHashes(size:)` checks them: an index missing in the range is
/// `entryMissing`, a range that ends early `truncated`.
final class LeafRangeRoots {
    private let connection: OpaquePointer
    private let statement: OpaquePointer
    private let hasher = InlineMerkleHasher()
    /// The frontier's subtrees: start index, leaf count and root, leftmost first.
    private let frontier: [(start: Int64, count: Int64, root: Digest32)]

    /// Roots read on `db` (whose read transaction must stay open while this is used), with `frontier` the stored one.
    init(_ db: Database, frontier: CompactRange) throws {
        guard let connection = db.sqliteConnection else { throw AuditLogError.storage(operation: .leafHashes, reason: .connectionClosed) }
        self.connection = connection
        var stmt: OpaquePointer?
        guard sqlite3_prepare_v2(connection, "SELECT idx, leaf_hash FROM audit_entry WHERE idx >= ? AND idx < ? ORDER BY idx", -1, &stmt, nil) == SQLITE_OK,
              let stmt else {
            throw AuditLogError.storage(operation: .leafHashes, reason: StorageFailureReason(sqliteConnection: connection))
        }
        statement = stmt
        var parts: [(start: Int64, count: Int64, root: Digest32)] = []
        var start: Int64 = 0
        var bits = frontier.size
        var i = 0
        // One subtree per set bit of the size, largest first (`CompactRange`).
        for shift in stride(from: 62, through: 0, by: -1) where bits & (Int64(1) << shift) != 0 {
            let count = Int64(1) << shift
            // CompactRange guarantees 32-byte hashes, one per set bit.
            parts.append((start: start, count: count, root: Digest32(frontier.hashes[i])!))
            start += count
            bits &= ~count
            i += 1
        }
        self.frontier = parts
    }

    deinit { sqlite3_finalize(statement) }

    /// MTH of the leaves in `range` (not empty).
    func root(_ range: Range<Int64>) throws -> [UInt8] {
        if let folded = fromFrontier(range) { return folded.bytes }
        return try streamed(range).bytes
    }

    /// The root of `range` when it is whole consecutive subtrees of the frontier: their hashes folded from the right,
    /// as RFC 9162 splits a range of descending powers of two.
    private func fromFrontier(_ range: Range<Int64>) -> Digest32? {
        guard let first = frontier.firstIndex(where: { $0.start == range.lowerBound }),
              let last = frontier.firstIndex(where: { $0.start + $0.count == range.upperBound }), first <= last else { return nil }
        var h = frontier[last].root
        var i = last - 1
        while i >= first {
            h = hasher.node(frontier[i].root, h)
            i -= 1
        }
        return h
    }

    /// The root of `range` folded from its stored leaf hashes.
    private func streamed(_ range: Range<Int64>) throws -> Digest32 {
        sqlite3_reset(statement)
        defer { sqlite3_reset(statement) }
        sqlite3_bind_int64(statement, 1, range.lowerBound)
        sqlite3_bind_int64(statement, 2, range.upperBound)
        var folded = DigestRange()
        var expected = range.lowerBound
        while true {
            let rc = sqlite3_step(statement)
            if rc == SQLITE_DONE { break }
            guard rc == SQLITE_ROW else {
                throw AuditLogError.storage(operation: .leafHashes, reason: StorageFailureReason(sqliteConnection: connection))
            }
            let idx = sqlite3_column_int64(statement, 0)
            guard idx == expected else { throw AuditLogError.tampered(.entryMissing(index: expected, nextStored: idx)) }
            // sqlite3_column_blob before sqlite3_column_bytes, as the SQLite documentation requires.
            let raw = UnsafeRawBufferPointer(start: sqlite3_column_blob(statement, 1), count: Int(sqlite3_column_bytes(statement, 1)))
            guard let leaf = Digest32(raw) else {
                throw AuditLogError.corrupted(reason: LocalizedText(de: "Eintrag \(idx) hat einen gespeicherten Blatt-Hash von \(raw.count) Bytes statt 32", en: "entry \(idx) has a stored leaf hash of \(raw.count) bytes, not 32"))
            }
            folded.append(leaf, hasher: hasher)
            expected += 1
        }
        guard expected == range.upperBound else { throw try missing(from: expected, signedSize: range.upperBound) }
        return folded.root(hasher: hasher)
    }

    /// What is wrong when the leaves stop at `index` below `signedSize`: a later one is stored (a gap), or none is.
    private func missing(from index: Int64, signedSize: Int64) throws -> AuditLogError {
        var stmt: OpaquePointer?
        guard sqlite3_prepare_v2(connection, "SELECT min(idx) FROM audit_entry WHERE idx >= ?", -1, &stmt, nil) == SQLITE_OK, let stmt else {
            throw AuditLogError.storage(operation: .leafHashes, reason: StorageFailureReason(sqliteConnection: connection))
        }
        defer { sqlite3_finalize(stmt) }
        sqlite3_bind_int64(stmt, 1, index)
        guard sqlite3_step(stmt) == SQLITE_ROW else {
            throw AuditLogError.storage(operation: .leafHashes, reason: StorageFailureReason(sqliteConnection: connection))
        }
        if sqlite3_column_type(stmt, 0) == SQLITE_NULL { return .tampered(.truncated(signedSize: signedSize, stored: index)) }
        return .tampered(.entryMissing(index: index, nextStored: sqlite3_column_int64(stmt, 0)))
    }
}
