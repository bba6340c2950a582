import Diagnostics
import Signing

/// No key may sign for `role` now: none in the trust store with the role is in force (expired, revoked, in the store or
/// by the trust store file since the start, not yet valid), none has its private-key file here, or the one to use cannot
/// be opened (key file missing, unreadable or damaged, passphrase wrong or gone). Thrown by `Gate`'s choice of a
/// consent-signing key, before anything is signed or stored; not when a key may sign now but was not in force at a
/// document's own date (that is the date's problem, and stays the key ring's `SigningError`).
///
/// Why a type of its own, as `AuditSigningUnavailable`: the web service must tell this apart from a request's own
/// mistakes. It answers 503 `signing-key-unavailable` with fixed words and logs the reason (found in a key review: every
/// consent recording answered 422 `integrity` with the keys' names and revocation times, and nothing was logged). On the
/// command line nothing changes: the category (exit code) and the message are the reason's.
public struct SigningKeyUnavailable: UserFacingError {
    /// The role no key may sign for.
    public let role: KeyRole
    /// Why: the key ring's or the key file's error (`SigningError` as a rule).
    public let reason: any Error

    /// The error of a key choice for `role` whose cause is `reason`.
    public init(role: KeyRole, reason: any Error) { self.role = role; self.reason = reason }

    /// The reason's category, so each command exits as before (a key that may not sign 4, an unreadable key file or a
    /// missing private-key file 3, no passphrase 2); 3 for a reason that has none.
    public var category: ProblemCategory { (reason as? any UserFacingError)?.category ?? .invalidInput }

    /// The reason's own message (naming the keys, their files and what is wrong with them).
    public func message(in language: Language) -> String {
        (reason as? any UserFacingError)?.message(in: language) ?? String(describing: reason)
    }
}
