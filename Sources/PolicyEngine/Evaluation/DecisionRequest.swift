import Diagnostics
import Foundation

/// What ConsentGate knows about a subject for one decision (CONTRACTS §3 "Subjects"): the recorded facts, and
/// any further attribute or field values (e.g. from a registration row), keyed by attribute id or field id.
public struct SubjectAttributes: Sendable, Equatable {
    /// The subject's birth date, read as its UTC calendar day; age attributes are counted from it. Nil: unknown.
    public var birthDate: Date?
    /// The subject's town or municipality (one of the bundle's `municipalities` where it lists any); nil when unknown.
    public var municipality: String?
    /// Whether the subject is an unaccompanied minor; nil when not recorded.
    public var unaccompaniedMinor: Bool?
    /// How many guardians are recorded (nil: unknown).
    public var guardianCount: Int?
    /// Further values by attribute id, or by field id for attributes declared `from:` that field.
    public var values: [String: AttributeValue]

    /// Creates the attributes; every fact defaults to unknown and `values` to empty.
    public init(birthDate: Date? = nil, municipality: String? = nil, unaccompaniedMinor: Bool? = nil,
                guardianCount: Int? = nil, values: [String: AttributeValue] = [:]) {
        self.birthDate = birthDate; self.municipality = municipality; self.unaccompaniedMinor = unaccompaniedMinor
        self.guardianCount = guardianCount; self.values = values
    }

    /// The value of a recorded subject fact.
    public func fact(_ fact: SubjectFact) -> AttributeValue? {
        switch fact {
        case .birthDate: birthDate.map { .date($0) }
        case .municipality: municipality.map { .string($0) }
        case .unaccompaniedMinor: unaccompaniedMinor.map { .bool($0) }
        case .guardians: guardianCount.map { .int($0) }
        }
    }
}

/// A decision request (CONTRACTS §4): who, to whom, for what, which fields, when.
public struct DecisionRequest: Sendable, Equatable {
    /// The subject's case id (e.g. `RSK-2022-000017`; never a name).
    public var subject: String
    /// What is known about the subject for this decision; rule conditions are tested on it.
    public var attributes: SubjectAttributes
    /// The partner id the data would go to; one the policy does not know denies every field (`validate` makes it an error).
    public var partner: String
    /// The purpose id the data would go for; one the policy does not know denies every field (`validate` makes it an error).
    public var purpose: String
    /// The requested field ids, in the order the answer lists them.
    public var fields: [String]
    /// The decision time (UTC): the moment the rules, ages and consents' validity windows are read at.
    public var at: Date
    /// When the decision is made, i.e. when its data can go out (a check's logging time); nil: `at`. A withdrawal in
    /// effect by then revokes its consent (or line) also for an earlier `at`: a check "as of" a day before the person
    /// withdrew released their data today, after the withdrawal (GDPR Art. 7(3); found in a domain review). Expiry and
    /// ages stay read at `at`.
    public var madeAt: Date?

    /// Creates a request; without `attributes` nothing is known about the subject, so every condition fails.
    public init(subject: String, attributes: SubjectAttributes = SubjectAttributes(), partner: String, purpose: String,
                fields: [String], at: Date, madeAt: Date? = nil) {
        self.subject = subject; self.attributes = attributes; self.partner = partner; self.purpose = purpose
        self.fields = fields; self.at = at; self.madeAt = madeAt
    }
}

extension CompiledPolicy {
    /// Checks that the request names a partner and purpose the policy knows, for callers that want an error
    /// (exit code 3) rather than a decision of denials. Unknown fields are not an error: they are denied with
    /// `unknown-field` in the decision.
    public func validate(_ request: DecisionRequest) throws(PolicyError) {
        if bundle.partner(request.partner) == nil {
            let known = bundle.partners.map(\.id).joined(separator: ", ")
            throw .invalidRequest(.init(de: "unbekannter Partner `\(request.partner)` (bekannt: \(known))",
                                        en: "unknown partner `\(request.partner)` (known: \(known))"))
        }
        if bundle.purpose(request.purpose) == nil {
            let known = bundle.purposes.map(\.id).joined(separator: ", ")
            throw .invalidRequest(.init(de: "unbekannter Zweck `\(request.purpose)` (bekannt: \(known))",
                                        en: "unknown purpose `\(request.purpose)` (known: \(known))"))
        }
    }
}
