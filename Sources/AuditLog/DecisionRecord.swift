import StrictJSON
/// A consent used for a field: the consent's id and the clause that covered it.
public struct ConsentReference: Sendable, Equatable, Hashable {
    /// The consent declaration's id (UUID).
    public var id: String
    /// The clause id within the consent's template.
    public var clause: String
    /// Creates a reference to clause `clause` of consent `id`.
    public init(id: String, clause: String) { self.id = id; self.clause = clause }

    var json: JSONValue { .object(["id": .string(id), "clause": .string(clause)]) }
    init(reader r: JSONObjectReader) throws { id = try r.string("id"); clause = try r.string("clause") }
}

/// One field's outcome in a logged decision: permit or deny, the deciding rule, the consent used,
/// or the denial reason (CONTRACTS §3 rule 5).
public struct FieldOutcome: Sendable, Equatable {
    /// `permit` or `deny`.
    public enum Outcome: String, Sendable, Equatable { case permit, deny }

    /// The field id (never its value).
    public var field: String
    /// Whether the field was released.
    public var outcome: Outcome
    /// The permitting or forbidding rule, if one decided.
    public var rule: String?
    /// The denial reason (`forbidden`, `consent-missing`, …) for a deny.
    public var reason: String?
    /// The consent clause behind the outcome: the one that carried a consent-based permit, or for a denial the
    /// expired, withdrawn, not explicit or invalid consent that would have carried it.
    public var consent: ConsentReference?

    /// Creates a field outcome; rule, reason and consent default to none.
    public init(field: String, outcome: Outcome, rule: String? = nil, reason: String? = nil, consent: ConsentReference? = nil) {
        self.field = field; self.outcome = outcome; self.rule = rule; self.reason = reason; self.consent = consent
    }

    var json: JSONValue {
        var o: [String: JSONValue] = ["field": .string(field), "outcome": .string(outcome.rawValue)]
        if let rule { o["rule"] = .string(rule) }
        if let reason { o["reason"] = .string(reason) }
        if let consent { o["consent"] = consent.json }
        return .object(o)
    }

    init(reader r: JSONObjectReader) throws {
        field = try r.string("field")
        let o = try r.string("outcome")
        guard let outcome = Outcome(rawValue: o) else {
            throw AuditLogError.malformedEntry(context: r.context, reason: "outcome \"\(o)\" is neither permit nor deny")
        }
        self.outcome = outcome
        rule = try r.optionalString("rule")
        reason = try r.optionalString("reason")
        consent = try r.optionalObject("consent").map(ConsentReference.init(reader:))
    }
}

/// A logged decision (`check`, `POST /v1/decisions`), holding everything needed to re-evaluate it later
/// (`audit explain`): the request, the subject attributes and consents the evaluator used, and per field
/// the outcome with its rule, consent clause or reason.
public struct DecisionRecord: Sendable, Equatable {
    /// The subject's case id.
    public var subject: String
    /// The partner id the request asked about.
    public var partner: String
    /// The purpose id the request asked about.
    public var purpose: String
    /// The decision time the request asked about (RFC 3339 UTC).
    public var at: String
    /// The requested field ids, in request order.
    public var requested: [String]
    /// The subject attributes the rules could test (e.g. `age`, `municipality`), as used. Never a field
    /// value: the age in whole years on the decision day stands for the birth date (`ageAttribute`).
    /// Entries written before 2026-12 may hold `birth-date` instead; they are still read.
    public var attributes: [String: JSONValue]
    /// The key of the subject's age in whole years on the decision day in `attributes`.
    public static let ageAttribute = "age"
    /// The key in `attributes` of the values the request stated for the policy's stateable attributes (neither
    /// `subject:` nor `from:`, e.g. `{"child-endangerment": true}`): an object by attribute id, a date as `YYYY-MM-DD`.
    /// Nested, so that no attribute id can be taken for one of the recorded facts beside it. Absent in entries without
    /// stated values (all those written before 2026-12-06).
    public static let statedAttributesKey = "stated"
    /// The ids of the consent declarations the evaluator considered.
    public var consents: [String]
    /// Per requested field, the outcome.
    public var fields: [FieldOutcome]
    /// The policy bundle id and version (the digest is the entry's `policy-digest`).
    public var policyID: String?
    /// The bundle's version as written (free text); the digest, not this, identifies the bundle.
    public var policyVersion: String?
    /// The referral this decision prepared, if the caller named one.
    public var referral: String?

    /// Creates a decision record; attributes, consents and the policy and referral ids default to none.
    public init(subject: String, partner: String, purpose: String, at: String, requested: [String],
                attributes: [String: JSONValue] = [:], consents: [String] = [], fields: [FieldOutcome],
                policyID: String? = nil, policyVersion: String? = nil, referral: String? = nil) {
        self.subject = subject; self.partner = partner; self.purpose = purpose; self.at = at
        self.requested = requested; self.attributes = attributes; self.consents = consents; self.fields = fields
        self.policyID = policyID; self.policyVersion = policyVersion; self.referral = referral
    }

    /// The permitted fields in request order (the decision's `released`).
    public var released: [String] { fields.filter { $0.outcome == .permit }.map(\.field) }

    var json: JSONValue {
        var o: [String: JSONValue] = [
            "subject": .string(subject), "partner": .string(partner), "purpose": .string(purpose), "at": .string(at),
            "requested": .strings(requested), "attributes": .object(attributes), "consents": .strings(consents),
            "fields": .array(fields.map(\.json)),
        ]
        if let policyID { o["policy-id"] = .string(policyID) }
        if let policyVersion { o["policy-version"] = .string(policyVersion) }
        if let referral { o["referral"] = .string(referral) }
        return .object(o)
    }

    init(reader r: JSONObjectReader) throws {
        subject = try r.string("subject"); partner = try r.string("partner"); purpose = try r.string("purpose")
        at = try r.string("at"); requested = try r.strings("requested")
        attributes = try r.object("attributes").members
        consents = try r.strings("consents")
        fields = try r.objects("fields", FieldOutcome.init(reader:))
        policyID = try r.optionalString("policy-id"); policyVersion = try r.optionalString("policy-version")
        referral = try r.optionalString("referral")
    }
}
