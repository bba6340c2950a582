import Foundation
import GRDB

extension AuditLogStore {
    /// Appends entries already in their stored form (canonical bytes plus index columns) in ONE
    /// transaction with one checkpoint signed by `signer`, like `append(_:signer:now:)`, but without
    /// encoding: the bytes are hashed (RFC 6962 leaf) and stored as given. Returns the assigned indices
    /// after the commit (durable with WAL and `synchronous = FULL`). An empty batch appends nothing.
    @discardableResult
    public func append(encoded entries: [EncodedAuditEntry], signer: NoteSigner, now: Date = Date()) throws -> [Int64] {
        guard !entries.isEmpty else { return [] }
        let hasher = InlineMerkleHasher()
        let leaves = entries.map { e in e.bytes.withUnsafeBytes { hasher.leaf($0) } }
        do {
            return try writer.writeWithoutTransaction { db in
                var indices: [Int64] = []
                indices.reserveCapacity(entries.count)
                try db.inTransaction(.immediate) {
                    var range = DigestRange(try Self.frontier(db))
                    let inserter = try EncodedEntryInserter(db)
                    for (e, leaf) in zip(entries, leaves) {
                        let idx = range.size
                        try inserter.insert(index: idx, entry: e, leafHash: leaf)
                        range.append(leaf, hasher: hasher)
                        indices.append(idx)
                    }
                    let checkpoint = Checkpoint(origin: signer.verifier.name, size: range.size, rootHash: range.root(hasher: hasher).bytes)
                    let note = try checkpoint.signedNote(signer: signer)
                    try db.execute(sql: "INSERT INTO audit_checkpoint (tree_size, note, created_at) VALUES (?, ?, ?)",
                                   arguments: [range.size, note, AuditTime.format(now)])
                    try db.execute(sql: "UPDATE audit_frontier SET size = ?, hashes = ? WHERE id = 1",
                                   arguments: [range.size, Data(range.compactRange.serialized)])
                    return .commit
                }
                return indices
            }
        } catch let e as AuditLogError {
            throw e
        } catch {
            throw AuditLogError.storage(operation: "append", reason: String(describing: error))
        }
    }
}
