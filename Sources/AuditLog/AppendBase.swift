import Foundation
import GRDB
import GRDBSQLite
import StoreDiagnostics
import Synchronization

/// The tree an append extends must be the one the log's newest checkpoint signed. Every append writes its entries,
/// one signed checkpoint and the new frontier in one transaction, so outside ConsentGate nothing else ever leaves the
/// stored frontier ahead of (or beside) the newest checkpoint. Without this check, anyone able to write the SQLite
/// file could add or rewrite entries, recompute the frontier and drop the later checkpoints; the next routine append
/// then signed a checkpoint over the forged tree and `audit verify` passed again (audit review, session 40, H1). Now
/// such an append is refused (exit 4, nothing appended) until the cause is cleared; what remains open to someone
/// without the key is rolling the whole log back to an earlier signed state, which a checkpoint kept elsewhere shows
/// (`audit verify --trusted-checkpoint`).
///
/// The newest checkpoint's signature is checked once per process and note: after that (and after this process signs
/// one itself) only its bytes are compared, so an append costs no signature check of its own.
enum AppendBase {
    /// The newest checkpoint as it was last accepted or signed in this process, and by which signer.
    private struct Accepted {
        var note: String
        var signerKeyID: [UInt8]
        var size: Int64
        var root: Digest32
    }

    private static let accepted = Mutex<Accepted?>(nil)

    /// The newest stored checkpoint: its note (nil for a log without checkpoints). Read with SQLite's C API from a
    /// cached statement: every batch asks.
    static func newestNote(_ db: Database) throws -> String? {
        let statement = try db.cachedStatement(sql: "SELECT note FROM audit_checkpoint ORDER BY tree_size DESC LIMIT 1").sqliteStatement
        defer { sqlite3_reset(statement) }
        switch sqlite3_step(statement) {
        case SQLITE_ROW:
            guard let text = sqlite3_column_text(statement, 0) else { return "" }
            return String(decoding: UnsafeBufferPointer(start: text, count: Int(sqlite3_column_bytes(statement, 0))), as: UTF8.self)
        case SQLITE_DONE:
            return nil
        default:
            throw AuditLogError.storage(operation: .checkpoint, reason: StorageFailureReason(sqliteConnection: sqlite3_db_handle(statement)))
        }
    }

    /// The origin a note names (its first line).
    static func origin(ofNote note: String) -> String {
        String(note[..<(note.firstIndex(of: "\n") ?? note.endIndex)])
    }

    /// Throws unless `frontier` is the tree `newest` (the newest checkpoint's note) signed with one of `signer`'s
    /// `headKeys`: `tampered(.unsignedHead)` when the sizes or roots differ, `tampered(.unverifiableHead)` when the note
    /// does not verify or cannot be read. A log without checkpoints must be empty.
    static func require(_ newest: String?, frontier: DigestRange, signer: NoteSigner, hasher: InlineMerkleHasher) throws {
        guard let newest else {
            if frontier.size == 0 { return }
            throw AuditLogError.tampered(.unsignedHead(frontierSize: frontier.size, signedSize: 0))
        }
        let known = accepted.withLock { a in a.flatMap { $0.note == newest && $0.signerKeyID == signer.verifier.keyID ? $0 : nil } }
        let size: Int64, root: Digest32
        if let known {
            (size, root) = (known.size, known.root)
        } else {
            let checkpoint: Checkpoint
            do {
                checkpoint = try Checkpoint.verified(note: newest, keys: signer.headKeys, source: "newest checkpoint")
            } catch let AuditLogError.badCheckpoint(size, problem) {
                throw AuditLogError.tampered(.unverifiableHead(size: size, problem: problem))
            } catch let AuditLogError.malformedNote(_, reason) {
                // Unreadable is no better than badly signed: ConsentGate never stores such a note (an integrity finding,
                // exit 4, as `audit verify` names it), not bad input of the caller's (exit 3).
                throw AuditLogError.tampered(.unverifiableHead(size: nil, problem: .unreadable(reason: reason)))
            }
            guard let digest = Digest32(checkpoint.rootHash) else {
                throw AuditLogError.tampered(.unsignedHead(frontierSize: frontier.size, signedSize: checkpoint.size))
            }
            (size, root) = (checkpoint.size, digest)
            remember(note: newest, signer: signer, size: size, root: root)
        }
        guard size == frontier.size, root == frontier.root(hasher: hasher) else {
            throw AuditLogError.tampered(.unsignedHead(frontierSize: frontier.size, signedSize: size))
        }
    }

    /// Notes `note` (signed by this process, or verified) as the newest checkpoint of `size` entries with `root`.
    static func remember(note: String, signer: NoteSigner, size: Int64, root: Digest32) {
        accepted.withLock { $0 = Accepted(note: note, signerKeyID: signer.verifier.keyID, size: size, root: root) }
    }
}
