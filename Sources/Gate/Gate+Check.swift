import AuditLog
import ConsentRecords
import Foundation
import PolicyEngine
import Signing
import StrictJSON

/// "May these fields of this person go to that partner, for this purpose, at this time?"
public struct CheckRequest: Sendable, Equatable {
    /// The case id.
    public var subject: String
    /// Attributes stated with the request: for a person not yet recorded, or for this decision only (never stored); a
    /// birth date other than the recorded one is refused (`GateError.birthDateDiffersFromRecord`).
    public var statedAttributes: Subject?
    /// The receiving partner's id, as the policy's `partners` list names it (e.g. `jobcenter`).
    public var partner: String
    /// The purpose's id, as the policy names it (e.g. `residence-registration`).
    public var purpose: String
    /// The requested field ids, each once, in the order the decision lists them (`DecisionRequestError`).
    public var fields: [String]
    /// The decision time (default: now).
    public var at: Date?
    /// The referral this check belongs to, if any.
    public var referral: String?
    /// Values of the policy's stateable attributes (`CompiledPolicy.stateableAttributes`: neither `subject:` nor
    /// `from:`, e.g. `child-endangerment`) by attribute id, for this decision only: facts of the referral, never stored
    /// with the person. Each must name a stateable attribute and be of its type (`GateError.unstateableAttribute`,
    /// `.statedAttributeType`); they are logged with the decision so that `audit explain` can replay it.
    public var statedValues: [String: AttributeValue]

    /// A request about `fields` of `subject`; no stated attributes or values, decided as of now and for no referral by
    /// default.
    public init(subject: String, statedAttributes: Subject? = nil, partner: String, purpose: String, fields: [String],
                at: Date? = nil, referral: String? = nil, statedValues: [String: AttributeValue] = [:]) {
        self.subject = subject; self.statedAttributes = statedAttributes; self.partner = partner
        self.purpose = purpose; self.fields = fields; self.at = at; self.referral = referral
        self.statedValues = statedValues
    }
}

/// A decision and the index of its `decision` entry in the audit log.
public struct CheckResult: Sendable {
    /// The decision per field (CONTRACTS §4), with the rules and consents it rests on.
    public var decision: Decision
    /// The 0-based index of the `decision` entry recording it, durable when the result is returned.
    public var auditIndex: Int64
    /// The consents the evaluator saw (verified or not).
    public var consents: [ConsentFact]

    /// The decision as CONTRACTS §4 JSON, with the audit index.
    public var json: JSONValueText { JSONValueText(decision.json(auditIndex: Int(auditIndex)).serialized) }

    /// The same JSON as `json`, as UTF-8 bytes written directly (the web service's response body).
    public var jsonBytes: [UInt8] { decision.jsonBytes(auditIndex: Int(auditIndex)) }
}

/// Serialized JSON text (deterministic bytes).
public struct JSONValueText: Sendable, Equatable, CustomStringConvertible {
    /// The JSON text.
    public var text: String
    /// Wraps text that is already serialized JSON; it is not parsed or checked.
    public init(_ text: String) { self.text = text }
    /// The JSON text itself, so that printing the value prints the JSON.
    public var description: String { text }
}

extension Gate {
    /// Evaluates the request with the subject's stored consents (each re-verified) and records a `decision`
    /// entry durably before returning: an unrecorded decision is never reported. A request naming no field or a
    /// field twice is refused (`DecisionRequestError`) before anything is read or recorded.
    ///
    /// The entry is appended only if the person's record and consents are still those the decision read (looked at
    /// inside the audit write, where no other writer can come between); otherwise the decision is made again from the
    /// store as it is now (`decisionAttempts` times at most). A decision read before another process withdrew a consent,
    /// and logged after the withdrawal, released on the withdrawn consent, and `audit explain` then found that the log
    /// does not support it (concurrency review, finding 1).
    public func check(_ request: CheckRequest, actor: Actor, now: Date = Date()) throws -> CheckResult {
        try check(request, actor: actor, now: now, admitting: { _, stated in stated })
    }

    /// `check` with an access rule applied to the subject as stored, as `checkConcurrently(_:actor:now:admitting:)`.
    func check(_ request: CheckRequest, actor: Actor, now: Date,
               admitting admit: (_ stored: Subject?, _ stated: Subject?) throws -> Subject?) throws -> CheckResult {
        for attempt in 0..<Self.decisionAttempts {
            let (decision, entry, facts, inputs) = try evaluate(request, actor: actor, now: now, fresh: attempt > 0, admit: admit)
            if let index = try record([entry], admitting: [inputs.stillCurrent(subject: request.subject, consents: consents)])[0] {
                return CheckResult(decision: decision, auditIndex: index, consents: facts)
            }
        }
        throw Self.inputsKeptChanging(request.subject)
    }

    /// How often a decision is made again when the person's record or consents changed before its entry was appended.
    static let decisionAttempts = 5

    /// The error when the person's record or consents changed under every attempt (a storage failure, exit 5: asked
    /// again, the decision is made).
    static func inputsKeptChanging(_ subject: String) -> StorageError {
        .failed(operation: .init(de: "Prüfung zu \(subject) festschreiben", en: "record the check of \(subject)"),
                reason: .text(.init(de: "Einwilligungen oder Daten der Person änderten sich bei jedem von \(decisionAttempts) Versuchen, während geprüft wurde; bitte erneut prüfen",
                                    en: "the person's consents or record changed during each of \(decisionAttempts) attempts; please check again")))
    }

    /// Appends `entries` in one transaction, each only if its admission (nil: always) still holds inside it; the
    /// refused ones get a nil index. Without admissions this is `record(_:)`.
    func record(_ entries: [AuditEntry], admitting admissions: [DecisionAdmission?]) throws -> [Int64?] {
        guard admissions.contains(where: { $0 != nil }) else { return try record(entries).map { Optional($0) } }
        return try auditLog.append(entries, signer: auditSigner(), admitting: { db in
            let counter = try ChangeCounter.version(db)
            // An admission that cannot look (a row that no longer reads) refuses its entry only: the decision is made
            // again, and that attempt's read reports the problem; the other decisions of the batch are appended.
            return admissions.map { admission in
                guard let admission else { return true }
                return (try? admission(db, counter)) ?? false
            }
        })
    }

    /// `check` for concurrent callers (the web service): the decision entries of requests that arrive
    /// together are committed in one transaction with one checkpoint. Each call still returns only after
    /// its own entry is durable.
    public func checkConcurrently(_ request: CheckRequest, actor: Actor, now: Date = Date()) async throws -> CheckResult {
        try await checkConcurrently(request, actor: actor, now: now, admitting: { _, stated in stated })
    }

    /// `checkConcurrently` with an access rule applied to the subject as stored, read once: `admit`
    /// receives the stored subject (nil: nothing is stored about them; a person with consents but no person record,
    /// as older imports left them, comes as a subject with its id only) and the stated attributes, and returns the
    /// stated attributes to decide with or throws to refuse (nothing is then recorded). The web service's
    /// municipality rule runs here, so the subject and their consents are read once per request, not twice.
    public func checkConcurrently(_ request: CheckRequest, actor: Actor, now: Date = Date(),
                                  admitting admit: (_ stored: Subject?, _ stated: Subject?) throws -> Subject?) async throws -> CheckResult {
        // As `check`: appended only while the person's record and consents are those the decision read.
        for attempt in 0..<Self.decisionAttempts {
            let (decision, entry, facts, inputs) = try evaluate(request, actor: actor, now: now, fresh: attempt > 0, admit: admit)
            let admission = inputs.stillCurrent(subject: request.subject, consents: consents)
            if let index = try await groupCommit.record(entry, admitting: admission, append: { [self] batch, admissions in
                try record(batch, admitting: admissions)
            }) {
                return CheckResult(decision: decision, auditIndex: index, consents: facts)
            }
        }
        throw Self.inputsKeptChanging(request.subject)
    }

    /// The decision, the audit entry that records it, the consents it saw and the stored data it was made from.
    /// `fresh`: read the store, not the read cache (a decision made again after its inputs changed: inside a web
    /// request the cache validates against the counter read at the request's start, and would give the old inputs).
    private func evaluate(_ request: CheckRequest, actor: Actor, now: Date, fresh: Bool = false,
                          admit: (_ stored: Subject?, _ stated: Subject?) throws -> Subject? = { _, stated in stated })
        throws -> (Decision, AuditEntry, [ConsentFact], DecisionInputs) {
        // U+0000 first, with its own words (the store's rule for every text), then the rules of requested fields.
        try GateError.requireNoNUL(request.subject, field: "subject")
        try GateError.requireNoNUL(request.partner, field: "partner")
        try GateError.requireNoNUL(request.purpose, field: "purpose")
        for field in request.fields { try GateError.requireNoNUL(field, field: "fields") }
        try DecisionRequestError.check(fields: request.fields)
        if let referral = request.referral, let why = DecisionRequestError.referralProblem(referral) {
            throw DecisionRequestError.unfitReferral(why: why)
        }
        // A stated municipality is recorded with the decision (its entry's municipality when the actor has none, as on
        // the command line): it must be one of the county's, as for a grant. (Case workers' stated municipality must
        // be their own, which the web service's rule enforces.)
        if actor.municipality == nil, let m = request.statedAttributes?.municipality {
            try GateError.requireMunicipality(m, of: policy.bundle.countyMunicipalities, field: "subject.municipality")
        }
        try GateError.requirePlausibleBirthDate(request.statedAttributes?.birthDate, field: "birth-date")
        try GateError.requireStateable(request.statedValues, policy: policy)
        let at = request.at ?? now
        // The subject and the consents of one state of the store (one read transaction, or one cached set of it).
        let inputs = try readCache.decisionInputs(subject: request.subject, version: fresh ? nil : readCache.validVersion()) {
            try DecisionInputs.read(subject: request.subject, subjects: subjects, consents: consents)
        }
        // A person with stored consents is known even without a person record: the access rule must not take them
        // for a new case (the consents come from the same read, so this costs no query).
        let stored = inputs.subject ?? (inputs.consents.isEmpty ? nil : Subject(id: request.subject))
        let stated = try admit(stored, request.statedAttributes)
        // A recorded birth date is the person's: a different one stated for one decision would decide it on another age,
        // and check the person's consents' guardian rule with it (found in a domain review: a minor's consent signed
        // without a guardian released data once a check stated an adult's birth date). Correcting the record is a grant
        // or the registration list, not a decision.
        if let recorded = stored?.birthDate, let given = stated?.birthDate, UTCDay.day(of: recorded) != UTCDay.day(of: given) {
            throw GateError.birthDateDiffersFromRecord(recorded: UTCDay.format(UTCDay.day(of: recorded)),
                                                       stated: UTCDay.format(UTCDay.day(of: given)))
        }
        let subject: Subject
        switch (stored, stated) {
        case let (s?, stated?): subject = s.updated(with: stated)
        case let (s?, nil): subject = s
        case let (nil, stated?): subject = Subject(id: request.subject).updated(with: stated)
        case (nil, nil): subject = Subject(id: request.subject)
        }
        // An age is counted on the Berlin day of the decision; before the person's birth there is none to decide on.
        if let b = subject.birthDate, UTCDay.day(of: b) > BerlinDay.day(of: at) {
            throw GateError.bornAfterDecision(birthDate: UTCDay.format(UTCDay.day(of: b)), day: UTCDay.format(BerlinDay.day(of: at)))
        }
        // Signatures and trust are checked as of now; the evaluator applies validity windows as of `at`.
        let facts = consents.statuses(of: inputs.consents, now: now, subjectBirthDate: subject.birthDate).map(\.fact)
        var attributes = subject.attributes
        attributes.values.merge(request.statedValues) { _, stated in stated }
        let decision = policy.decide(
            DecisionRequest(subject: request.subject, attributes: attributes, partner: request.partner,
                            purpose: request.purpose, fields: request.fields, at: at, madeAt: now),
            consents: facts)
        let entry = AuditEntry(time: now, actor: actor.id, municipality: actor.municipality ?? subject.municipality,
                               policyDigest: policy.digest,
                               content: .decision(Self.decisionRecord(decision, subject: subject, consents: facts,
                                                                      referral: request.referral,
                                                                      stated: request.statedValues)))
        return (decision, entry, facts, inputs)
    }

    /// The audit form of a decision: ids and outcomes only, never field values (CONTRACTS §6). Of the
    /// subject it keeps what the rules test, as they test it: the age in whole years on the decision day
    /// (`age`), never the birth date, which an append-only log could not erase again (GDPR Art. 17); the
    /// municipality, the unaccompanied-minor flag and the number of guardians; and the values the request stated for
    /// stateable attributes, under `DecisionRecord.statedAttributesKey` (only when there are any, so entries without
    /// them look as before). `explainDecision` replays the decision from these.
    static func decisionRecord(_ d: Decision, subject: Subject, consents: [ConsentFact], referral: String?,
                               stated: [String: AttributeValue] = [:]) -> DecisionRecord {
        var attributes = [String: JSONValue](minimumCapacity: 5)
        if let b = subject.birthDate {
            // On the Berlin day of the decision, as the evaluator counts it (`BerlinDay`), so the replay reproduces.
            attributes[DecisionRecord.ageAttribute] = .int(Int64(UTCDay.age(birthDay: UTCDay.day(of: b), on: BerlinDay.day(of: d.at))))
        }
        if let m = subject.municipality { attributes["municipality"] = .string(m) }
        if let u = subject.unaccompaniedMinor { attributes["unaccompanied-minor"] = .bool(u) }
        attributes["guardians"] = .int(Int64(subject.guardians.count))
        if !stated.isEmpty {
            attributes[DecisionRecord.statedAttributesKey] = .object(stated.mapValues(StatedAttributeJSON.json))
        }
        let fields = d.fields.map { f in
            AuditLog.FieldOutcome(field: f.field, outcome: f.outcome == .permit ? .permit : .deny, rule: f.rule,
                                  reason: f.reason?.rawValue,
                                  consent: f.consent.map { AuditLog.ConsentReference(id: $0.id, clause: $0.clause) })
        }
        return DecisionRecord(subject: d.subject, partner: d.partner, purpose: d.purpose, at: RFC3339.format(d.at),
                              requested: d.fields.map(\.field), attributes: attributes, consents: consents.map(\.id),
                              fields: fields, policyID: d.policy.id, policyVersion: d.policy.version, referral: referral)
    }
}
