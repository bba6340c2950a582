import Foundation
import PolicyEngine

/// What a consent amounts to at a given time, as `consent list` and `consent show` report it.
public enum ConsentState: String, Sendable, Equatable, Hashable, CaseIterable {
    /// Verified, and the time lies in [granted-at, expires-at) before any withdrawal.
    case active
    /// Verified, but the time lies before `granted-at`.
    case notYetValid = "not-yet-valid"
    /// Verified, and the time is at or after `expires-at`.
    case expired
    /// Verified, and withdrawn at or before the time.
    case withdrawn
    /// The stored record (or its withdrawal) fails verification: it never permits anything.
    case invalid

    /// The state of `fact` at `time` (withdrawal beats expiry: it is what the person did).
    public init(fact: ConsentFact, at time: Date) {
        if case .invalid = fact.verification { self = .invalid; return }
        if let w = fact.withdrawnAt, w <= time { self = .withdrawn; return }
        if time < fact.grantedAt { self = .notYetValid; return }
        if time >= fact.expiresAt { self = .expired; return }
        self = .active
    }
}
