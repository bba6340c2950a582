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
        return try append(prepared: entries.map { PreparedEntry.hashed($0, hasher) }, signer: signer, now: now)
    }
}
