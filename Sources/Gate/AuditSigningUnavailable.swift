import Diagnostics

/// The audit log cannot be signed: no `audit-log` key may sign now (none in the trust store, expired, revoked), or the
/// one to use cannot be opened (no passphrase, a wrong one, a key file missing, unreadable or damaged). Thrown by
/// `Gate.auditSigner()`, so before anything is appended.
///
/// Why a type of its own: every request that acts appends to the audit log, so the web service must tell this apart from
/// a request's own mistakes. It answers 503 `audit-log-unavailable` (the request was in order; the service cannot record
/// it now) instead of the key error's 422 `invalid-input`, which told the caller to change a request that was fine. On
/// the command line nothing changes: the category (exit code) and the message are the reason's.
public struct AuditSigningUnavailable: UserFacingError {
    /// Why: the key ring's or the key file's error (`SigningError` as a rule).
    public let reason: any Error

    /// The error of `Gate.auditSigner()` whose cause is `reason`.
    public init(reason: any Error) { self.reason = reason }

    /// The reason's category, so each command exits as before (no passphrase 2, a wrong one or an unreadable key
    /// file 3, a key that may not sign 4); 3 for a reason that has none.
    public var category: ProblemCategory { (reason as? any UserFacingError)?.category ?? .invalidInput }

    /// The reason's own message (naming the key, the file and what is wrong with it).
    public func message(in language: Language) -> String {
        (reason as? any UserFacingError)?.message(in: language) ?? String(describing: reason)
    }
}
