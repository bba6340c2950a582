import Foundation
import GRDB
import StoreDiagnostics

extension AuditLogStore {
    /// Appends `entries` inside the write transaction the caller has open on `db` (from this store's
    /// database), with one signed checkpoint for the new tree, exactly as `append(_:signer:now:)` writes
    /// them, but without a transaction of its own.
    ///
    /// Why: a caller that stores a fact and the entry recording it (a consent and its `consent-granted`
    /// entry) commits both or neither. The returned indices are durable only once the caller's transaction
    /// commits; if it rolls back, neither the entries nor their checkpoint exist. Throws
    /// `AuditLogError.storage` when `db` has no open transaction. An empty batch appends nothing.
    @discardableResult
    public func append(_ entries: [AuditEntry], signer: NoteSigner, now: Date = Date(), in db: Database) throws -> [Int64] {
        guard !entries.isEmpty else { return [] }
        guard db.isInsideTransaction else {
            throw AuditLogError.storage(operation: .append, reason: .noWriteTransaction)
        }
        do {
            return try Self.insert(PreparedEntry.prepare(entries), signer: signer, now: now, db)
        } catch {
            throw Self.storageError(.append, error)
        }
    }

    /// Pre-encoded entries (see `append(encoded:signer:now:)`) inside the caller's open write transaction,
    /// like `append(_:signer:now:in:)`.
    @discardableResult
    public func append(encoded entries: [EncodedAuditEntry], signer: NoteSigner, now: Date = Date(), in db: Database) throws -> [Int64] {
        guard !entries.isEmpty else { return [] }
        guard db.isInsideTransaction else {
            throw AuditLogError.storage(operation: .append, reason: .noWriteTransaction)
        }
        let hasher = InlineMerkleHasher()
        do {
            return try Self.insert(entries.map { PreparedEntry.hashed($0, hasher) }, signer: signer, now: now, db)
        } catch {
            throw Self.storageError(.append, error)
        }
    }
}
