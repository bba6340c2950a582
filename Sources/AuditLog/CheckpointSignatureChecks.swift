import Dispatch
import Signing

/// Checks the Ed25519 signatures of the stored checkpoints on a thread of their own, while `verify`
/// streams the entries: 1,000 signature checks are about a fifth of the reading thread's work.
/// Keeps `verify`'s "first problem" order: a bad signature of checkpoint i is reported before anything
/// found after it (a later checkpoint's format, or any entry), as if checked first.
/// `@unchecked Sendable`: `firstFailure` is only touched on `queue`.
final class CheckpointSignatureChecks: @unchecked Sendable {
    private let queue = DispatchQueue(label: "consentgate.audit.verify.signatures")
    private let key: NoteVerifierKey
    private var firstFailure: (position: Int, error: AuditLogError)?

    init(key: NoteVerifierKey) { self.key = key }

    /// Queues the signature check of the checkpoint at `position` (0-based, in tree-size order).
    func check(_ note: SignedNote, checkpoint: Checkpoint, position: Int) {
        let key = key
        queue.async { [self] in
            guard firstFailure == nil else { return }
            if !note.isSigned(by: key) {
                firstFailure = (position, .badCheckpoint(size: checkpoint.size,
                                                         problem: .noValidSignature(key: "\(key.name)+\(Hex.encode(key.keyID))")))
            }
        }
    }

    /// Waits for the checks queued so far; throws the first bad signature at a position `< before`.
    func throwFirstFailure(before: Int = .max) throws {
        let failure = queue.sync { firstFailure }
        if let failure, failure.position < before { throw failure.error }
    }
}
