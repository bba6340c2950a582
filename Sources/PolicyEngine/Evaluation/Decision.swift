import Diagnostics
import Foundation

/// Why a field is denied (CONTRACTS §3.5); the raw values are the JSON spellings.
public enum DenialReason: String, Sendable, Equatable, Hashable, CaseIterable {
    case noMatchingRule = "no-matching-rule"
    case forbidden
    case consentMissing = "consent-missing"
    case consentExpired = "consent-expired"
    case consentRevoked = "consent-revoked"
    case consentNotExplicit = "consent-not-explicit"
    case consentInvalid = "consent-invalid"
    case conditionNotMet = "condition-not-met"
    case unknownField = "unknown-field"

    /// The reason in words, for the human table.
    public var words: LocalizedText {
        switch self {
        case .noMatchingRule: LocalizedText(de: "keine Regel erlaubt die Weitergabe", en: "no rule permits it")
        case .forbidden: LocalizedText(de: "ausdrücklich verboten", en: "explicitly forbidden")
        case .consentMissing: LocalizedText(de: "keine passende Einwilligung", en: "no consent covers it")
        case .consentExpired: LocalizedText(de: "Einwilligung abgelaufen", en: "consent expired")
        case .consentRevoked: LocalizedText(de: "Einwilligung widerrufen", en: "consent withdrawn")
        case .consentNotExplicit: LocalizedText(de: "Einwilligung nicht ausdrücklich (Art. 9 DSGVO)", en: "consent not explicit (GDPR Art. 9)")
        case .consentInvalid: LocalizedText(de: "Einwilligung ungültig", en: "consent invalid")
        case .conditionNotMet: LocalizedText(de: "Bedingung der Regel nicht erfüllt", en: "rule condition not met")
        case .unknownField: LocalizedText(de: "unbekanntes Feld", en: "unknown field")
        }
    }
}

/// A consent clause that permitted a field (or, on a denial, the consent clause that was found lacking).
public struct ConsentReference: Sendable, Equatable, Hashable {
    /// The consent id (a UUID).
    public var id: String
    /// The clause id within the template the consent cites.
    public var clause: String
    /// Creates a reference to clause `clause` of consent `id`.
    public init(id: String, clause: String) { self.id = id; self.clause = clause }
}

/// The answer for one field, with its explanation.
public struct FieldDecision: Sendable, Equatable {
    /// Whether the field may go (`permit`) or not (`deny`); the raw values are the JSON spellings.
    public enum Outcome: String, Sendable, Equatable, CaseIterable { case permit, deny }
    /// The requested field id as the request spelled it (also when the policy does not know it: `unknown-field`).
    public var field: String
    /// Whether the field is released; a denial says why in `reason`.
    public var outcome: Outcome
    /// The denial reason (nil on permit).
    public var reason: DenialReason?
    /// The deciding rule: the permit that released the field, the forbid that blocked it, or the permit whose
    /// condition or consent was lacking. Nil for `no-matching-rule` and `unknown-field`.
    public var rule: String?
    /// The rule's basis (statute or consent), when a rule is named.
    public var basis: Rule.Basis?
    /// The norm the rule cites.
    public var citation: String?
    /// The consent clause that permitted the field, or the one found expired/withdrawn/invalid/not explicit.
    public var consent: ConsentReference?

    /// Creates a field decision; the explanation members default to nil (none named).
    public init(field: String, outcome: Outcome, reason: DenialReason? = nil, rule: String? = nil, basis: Rule.Basis? = nil,
                citation: String? = nil, consent: ConsentReference? = nil) {
        self.field = field; self.outcome = outcome; self.reason = reason; self.rule = rule; self.basis = basis
        self.citation = citation; self.consent = consent
    }
}

/// A decision (CONTRACTS §4): per field its outcome and why, and the released fields in request order.
public struct Decision: Sendable, Equatable {
    /// Which bundle decided: what the audit log records so that the decision can be replayed with the same policy.
    public struct PolicyIdentity: Sendable, Equatable {
        /// The bundle id (`id` in `policy.yaml`).
        public var id: String
        /// The bundle version as written in `policy.yaml` (free text, e.g. `2026-12-05.2`).
        public var version: String
        /// The bundle digest, `sha256:<hex>` (`BundleDigest`): the version label alone does not identify the content.
        public var digest: String
    }
    /// The bundle that decided.
    public var policy: PolicyIdentity
    /// The subject's case id, from the request (never a name).
    public var subject: String
    /// The partner id the data would go to, from the request.
    public var partner: String
    /// The purpose id it would go for, from the request.
    public var purpose: String
    /// The decision time (UTC), the request's: validity windows and ages are judged as of it.
    public var at: Date
    /// One answer per requested field, in request order.
    public var fields: [FieldDecision]

    /// The permitted field ids in request order.
    public var released: [String] { fields.filter { $0.outcome == .permit }.map(\.field) }
    /// Whether every requested field is released.
    public var allPermitted: Bool { fields.allSatisfy { $0.outcome == .permit } }
}
