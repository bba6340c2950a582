import Diagnostics
import Signing
import Foundation
import GRDB
import GRDBSQLite
import StoreDiagnostics

/// The audit log in the application database: appends (group commit, one signed checkpoint per batch),
/// reads, and proofs. A value type over the shared GRDB writer; safe to use from any task.
public struct AuditLogStore: Sendable {
    /// The database (the app's `DatabasePool`, or any writer migrated with `AuditLogSchema`).
    public let writer: any DatabaseWriter

    /// A store over `writer`, which must already hold the `AuditLogSchema` tables (opening migrates nothing).
    public init(writer: any DatabaseWriter) { self.writer = writer }

    /// Appends `entries` in ONE transaction and writes a checkpoint signed by `signer` (whose name is the
    /// log's origin) for the new tree. Returns the assigned leaf indices only after the commit, so with
    /// WAL and `synchronous = FULL` every returned index is durable. An empty batch appends nothing.
    @discardableResult
    public func append(_ entries: [AuditEntry], signer: NoteSigner, now: Date = Date()) throws -> [Int64] {
        guard !entries.isEmpty else { return [] }
        return try append(prepared: PreparedEntry.prepare(entries), signer: signer, now: now)
    }

    /// `append(_:signer:now:)` with a last look inside the write transaction, where no other writer can change the
    /// database any more: `admit` gets that transaction's database and answers, per entry, whether it may still be
    /// appended. The entries it refuses are left out of the batch and get a nil index. For a record that is only true of
    /// the state it was made from (a decision and the consents it read): another process may have changed that state
    /// since, and the log's order would then contradict the entry (`Gate.checkConcurrently`).
    public func append(_ entries: [AuditEntry], signer: NoteSigner, now: Date = Date(),
                       admitting admit: @escaping (Database) throws -> [Bool]) throws -> [Int64?] {
        guard !entries.isEmpty else { return [] }
        let prepared = PreparedEntry.prepare(entries)
        do {
            return try writer.writeWithoutTransaction { db in
                try Self.commitDurably(prepared, signer: signer, now: now, db, admitting: admit)
            }
        } catch {
            throw Self.storageError(.append, error)
        }
    }

    /// Appends one entry (its own transaction and checkpoint) and returns its index after the commit.
    @discardableResult
    public func append(_ entry: AuditEntry, signer: NoteSigner, now: Date = Date()) throws -> Int64 {
        try append([entry], signer: signer, now: now)[0]
    }

    /// The one write path of every append: entries already encoded and hashed, in their own transaction.
    func append(prepared: [PreparedEntry], signer: NoteSigner, now: Date) throws -> [Int64] {
        do {
            return try writer.writeWithoutTransaction { db in try Self.commitDurably(prepared, signer: signer, now: now, db) }
        } catch {
            throw Self.storageError(.append, error)
        }
    }

    /// Inserts a batch in the transaction that is open on `db`: the entry rows, one signed checkpoint for
    /// the new tree, and the new frontier. Returns the assigned indices (durable only once that transaction
    /// commits). Every append path ends here.
    static func insert(_ prepared: [PreparedEntry], signer: NoteSigner, now: Date, _ db: Database) throws -> [Int64] {
        let hasher = InlineMerkleHasher()
        var indices: [Int64] = []
        indices.reserveCapacity(prepared.count)
        // Under the write lock, so no other process appends under another origin in between.
        let newest = try AppendBase.newestNote(db)
        if let newest, case let origin = AppendBase.origin(ofNote: newest), origin != signer.verifier.name {
            throw AuditLogError.originChanged(log: origin, given: signer.verifier.name)
        }
        var range = DigestRange(try frontier(db))
        // Only the tree the newest checkpoint signed is extended (`AppendBase`).
        try AppendBase.require(newest, frontier: range, signer: signer, hasher: hasher)
        let inserter = try EntryInserter(db)
        for p in prepared {
            let idx = range.size
            try inserter.insert(index: idx, entry: p.encoded, leafHash: p.leafHash)
            range.append(p.leafHash, hasher: hasher)
            indices.append(idx)
        }
        let root = range.root(hasher: hasher)
        let checkpoint = Checkpoint(origin: signer.verifier.name, size: range.size, rootHash: root.bytes)
        let note = try checkpoint.signedNote(signer: signer)
        AppendBase.remember(note: note, signer: signer, size: range.size, root: root)
        // Cached statements: every batch runs the same SQL, and compiling it again (SQLite's parser and
        // GRDB's authorizer) cost more than executing it for the web service's small batches.
        try db.cachedStatement(sql: "INSERT INTO audit_checkpoint (tree_size, note, created_at) VALUES (?, ?, ?)")
            .execute(arguments: [range.size, note, AuditTime.format(now)])
        try db.cachedStatement(sql: "UPDATE audit_frontier SET size = ?, hashes = ? WHERE id = 1")
            .execute(arguments: [range.size, Data(range.compactRange.serialized)])
        return indices
    }

    /// `error` as an `AuditLogError` (database failures become `.storage(operation:)`).
    static func storageError(_ operation: AuditStoreOperation, _ error: any Error) -> AuditLogError {
        (error as? AuditLogError) ?? .storage(operation: operation, reason: StorageFailureReason(error))
    }

    static func frontier(_ db: Database) throws -> CompactRange {
        // Read with SQLite's C API from the connection's cached statement: every batch reads it, and
        // GRDB's row fetching cost several times the read itself.
        let statement = try db.cachedStatement(sql: "SELECT size, hashes FROM audit_frontier WHERE id = 1").sqliteStatement
        defer { sqlite3_reset(statement) }
        switch sqlite3_step(statement) {
        case SQLITE_ROW:
            let size = sqlite3_column_int64(statement, 0)
            let count = Int(sqlite3_column_bytes(statement, 1))
            let hashes = count > 0 ? Array(UnsafeRawBufferPointer(start: sqlite3_column_blob(statement, 1), count: count)) : []
            return try CompactRange(size: size, serialized: hashes)
        case SQLITE_DONE:
            throw AuditLogError.corrupted(reason: LocalizedText(de: "die Zeile des Baumrands fehlt", en: "the tree frontier row is missing"))
        default:
            throw AuditLogError.storage(operation: .frontier, reason: StorageFailureReason(sqliteConnection: sqlite3_db_handle(statement)))
        }
    }

    /// The origin of the log's newest checkpoint (its note's first line; every checkpoint has the log's one origin),
    /// nil for a log without checkpoints. Read with SQLite's C API from a cached statement: every batch asks.
    static func storedOrigin(_ db: Database) throws -> String? {
        let statement = try db.cachedStatement(sql: "SELECT note FROM audit_checkpoint ORDER BY tree_size DESC LIMIT 1").sqliteStatement
        defer { sqlite3_reset(statement) }
        switch sqlite3_step(statement) {
        case SQLITE_ROW:
            guard let text = sqlite3_column_text(statement, 0) else { return nil }
            let note = UnsafeBufferPointer(start: text, count: Int(sqlite3_column_bytes(statement, 0)))
            return String(decoding: note[..<(note.firstIndex(of: 0x0A) ?? note.endIndex)], as: UTF8.self)
        case SQLITE_DONE:
            return nil
        default:
            throw AuditLogError.storage(operation: .checkpoint, reason: StorageFailureReason(sqliteConnection: sqlite3_db_handle(statement)))
        }
    }

    /// The log's origin, as its newest checkpoint names it; nil for a log without checkpoints (its first append sets it).
    public func origin() throws -> String? {
        try read(.checkpoint) { db in try Self.storedOrigin(db) }
    }

    /// The log's origin, as its newest checkpoint names it, when that checkpoint is signed under that name by one of
    /// `keys` (the trust store's audit-log keys) and covers no more entries than the log holds; nil otherwise (no
    /// checkpoint, or one that does not verify). Only such an origin is taken by a process given none (`Gate.open`): a
    /// row inserted by hand with another origin is then not followed (every append is refused, `originChanged`, and
    /// `audit verify` names the row), instead of new checkpoints being signed under its origin.
    public func verifiedOrigin(keys: [PublicKey]) -> String? {
        guard let origin = try? origin(), let note = try? latestCheckpoint(), let size = try? size() else { return nil }
        let verifiers = keys.compactMap { try? NoteVerifierKey(name: origin, publicKey: $0) }
        guard let checkpoint = try? Checkpoint.verified(note: note, keys: verifiers, source: "newest checkpoint"),
              checkpoint.origin == origin, checkpoint.size <= size else { return nil }
        return origin
    }

    /// Runs a read, mapping database failures to `AuditLogError.storage`.
    func read<T>(_ operation: AuditStoreOperation, _ body: (Database) throws -> T) throws -> T {
        do { return try writer.read(body) } catch let e as AuditLogError { throw e } catch {
            throw AuditLogError.storage(operation: operation, reason: StorageFailureReason(error))
        }
    }

    /// The number of entries committed (the frontier's size).
    public func size() throws -> Int64 {
        try read(.size) { db in try Self.frontier(db).size }
    }

    /// The latest signed checkpoint note, or nil for an empty log.
    public func latestCheckpoint() throws -> String? {
        try read(.checkpoint) { db in
            try String.fetchOne(db, sql: "SELECT note FROM audit_checkpoint ORDER BY tree_size DESC LIMIT 1")
        }
    }

    /// The leaf hashes of the first `size` entries, as stored.
    public func leafHashes(size: Int64) throws -> [[UInt8]] {
        try read(.leafHashes) { db in
            var out: [[UInt8]] = []
            out.reserveCapacity(Int(size))
            let rows = try Row.fetchCursor(db, sql: "SELECT idx, leaf_hash FROM audit_entry WHERE idx < ? ORDER BY idx", arguments: [size])
            while let row = try rows.next() {
                let idx: Int64 = row[0]
                guard idx == Int64(out.count) else {
                    throw AuditLogError.tampered(.entryMissing(index: Int64(out.count), nextStored: idx))
                }
                out.append(Array(row[1] as Data))
            }
            guard out.count == Int(size) else {
                throw AuditLogError.tampered(.truncated(signedSize: size, stored: Int64(out.count)))
            }
            return out
        }
    }

    /// The stored bytes of entry `index`.
    public func entryBytes(index: Int64) throws -> [UInt8] {
        let data = try read(.entry) { db in try Data.fetchOne(db, sql: "SELECT entry FROM audit_entry WHERE idx = ?", arguments: [index]) }
        guard let data else { throw AuditLogError.outOfRange(reason: LocalizedText(de: "kein Eintrag mit Index \(index)", en: "no entry with index \(index)")) }
        return Array(data)
    }
}
