import AuditLog
import GRDB
import Signing

/// Rehash on login: how a page login raises a stored password hash made with weaker scrypt parameters than the
/// standard (`PasswordHashing.Parameters.isWeaker(than:)`) to `parameters`. The password is known only at a login, so
/// that is the one moment a hash can be replaced without asking anyone for their password; hashes made before the
/// standard was raised (ln=15, r=8, p=1 until 2026-12-05) reach today's work at their next login.
///
/// The new hash goes through the same recorded path as a password change (`AccountStore.replaceHash`): the row is
/// updated and an `account-event` with its state after the update is appended in the same transaction, so the next
/// login's log check (`AccountEventLedger`) and `audit verify` (`AccountRecordCheck`) see the row as the log does. The
/// event is `password-rehashed`, not `credentials-changed`: nobody chose a new password or token, the service replaced
/// the hash of the same password with a stronger one. Like every `account-event`, it records only the `credentials`
/// stamp (a SHA-256 over token digest and hash), never the hash or its salt.
public struct PasswordRehash: Sendable {
    /// The `event` of the `account-event` a rehash logs.
    public static let event = "password-rehashed"

    /// The parameters a weaker stored hash is raised to (and the decoy of an unknown name is checked with).
    public let parameters: PasswordHashing.Parameters
    /// Appends the `account-event` inside the rehash's write transaction (`Gate.passwordRehash` appends it to the audit log).
    let log: @Sendable (Database, AccountEventRecord) throws -> Void

    init(parameters: PasswordHashing.Parameters, log: @escaping @Sendable (Database, AccountEventRecord) throws -> Void) {
        self.parameters = parameters; self.log = log
    }
}

/// A successful page login (`AccountStore.logIn`).
public struct PasswordLogin: Sendable {
    /// The account logged in.
    public let account: Account
    /// The credentials stamp a page session remembers (`AccountStore.activeAccountWithStamp`): after a rehash, the
    /// stamp of the new hash, so the session begun by this login lives on.
    public let stamp: String
    /// Whether the stored hash was raised.
    public let rehash: PasswordRehashOutcome
}

/// What became of the stored hash at a successful page login.
public enum PasswordRehashOutcome: Sendable {
    /// No rehash was asked for, or the hash is not weaker than the standard (equal to it, or stronger).
    case notNeeded
    /// The hash, made with `from`, was replaced and `password-rehashed` logged.
    case rehashed(from: PasswordHashing.Parameters)
    /// The account's row changed between the password check and the rehash (a new password, token or a disabled flag
    /// set in the meantime): that change stands and nothing was written; the next login tries again.
    case superseded
    /// The rehash failed (the database, the audit-log key): nothing was written, the login stands with the old hash,
    /// which stays valid, and the next login tries again. The caller reports it (without secrets).
    ///
    /// Not a failed login on purpose: the password was right and the row matched its log, so refusing would lock a
    /// person out over a stronger-hash upgrade, leaving the account no safer; the old hash is exactly as strong as
    /// it was before the login.
    case failed(any Error)
}
