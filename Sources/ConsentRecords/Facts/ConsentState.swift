import Foundation
import Diagnostics
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
    /// Verified and in force by its dates, but no guardian signed and the person's birth date is not known:
    /// the template's minimum age cannot be checked, so the evaluator counts it as `consent-invalid` until the
    /// birth date is recorded (it fails closed). Only `ConsentStatus.state(at:)` reports it.
    case needsBirthDate = "needs-birth-date"

    /// The state in words, for lists and pages.
    public var words: LocalizedText {
        switch self {
        case .active: LocalizedText(de: "gültig", en: "active")
        case .notYetValid: LocalizedText(de: "noch nicht gültig", en: "not yet valid")
        case .expired: LocalizedText(de: "abgelaufen", en: "expired")
        case .withdrawn: LocalizedText(de: "widerrufen", en: "withdrawn")
        case .invalid: LocalizedText(de: "ungültig (Prüfung fehlgeschlagen)", en: "invalid (verification failed)")
        case .needsBirthDate:
            LocalizedText(de: "zählt erst mit Geburtsdatum (kein Sorgeberechtigter eingetragen, Alter unbekannt)",
                          en: "counts only once the birth date is recorded (no guardian signed, age unknown)")
        }
    }

    /// The state of `fact` at `time` (withdrawal beats expiry: it is what the person did).
    public init(fact: ConsentFact, at time: Date) {
        if case .invalid = fact.verification { self = .invalid; return }
        if let w = fact.withdrawnAt, w <= time { self = .withdrawn; return }
        if time < fact.grantedAt { self = .notYetValid; return }
        if time >= fact.expiresAt { self = .expired; return }
        self = .active
    }
}
