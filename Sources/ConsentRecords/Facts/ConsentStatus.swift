import Diagnostics
import Foundation
import PolicyEngine
import Signing

/// A consent re-verified for use: what it says, whether it holds, and the `ConsentFact` the evaluator
/// decides with. Built by `ConsentVerifier.status(of:now:subjectBirthDate:)` for stored records and by
/// `status(consent:withdrawal:now:subjectBirthDate:)` for files.
public struct ConsentStatus: Sendable, Equatable {
    /// The consent id (lower-case UUID; from the store row, else from the payload).
    public let id: String
    /// The store row, when the status is of a stored record.
    public let record: StoredConsent?
    /// The parsed consent, verified when `failures` is empty; nil when the bytes do not even parse.
    public let consent: SignedConsent?
    /// The parsed withdrawals (of the whole consent or of single clauses), earliest first as stored; empty when none
    /// (verified when `failures` is empty).
    public let withdrawals: [SignedWithdrawal]

    /// The one withdrawal a consent had before withdrawals of single lines: now the withdrawal of the whole consent.
    /// Kept for code written against it (a branch merged later); it misses withdrawals of lines.
    @available(*, deprecated, message: "a consent may have several withdrawals: use withdrawals, fact.withdrawnAt or withdrawnClauses")
    public var withdrawal: SignedWithdrawal? { withdrawals.first { $0.content.isWhole } }
    /// Why the consent (or its withdrawal) fails verification; empty when it holds.
    public let failures: [ConsentError]
    /// The fact for the evaluator: `verification` is `.invalid(reason:)` whenever `failures` is not empty,
    /// so such a record can only ever lead to a `consent-invalid` denial.
    public let fact: ConsentFact
    /// True when the consent verifies but cannot count: no guardian signed, the person's birth date was not
    /// given, and the template has a minimum age (the evaluator fails closed on the unknown age).
    public let needsBirthDate: Bool

    /// When the withdrawal of the whole consent on record takes effect, whether or not it verifies (then from the stored
    /// row when its document does not even read); nil when none is on record. `fact.withdrawnAt` is set only for a verified
    /// one, so a consent whose withdrawal fails showed no withdrawal at all, only "invalid" (found in a key review): a
    /// case manager could not tell that the person had withdrawn. Nothing is released either way (the state is
    /// `invalid`). Lines withdrawn singly are `withdrawnClauses`.
    public var withdrawnAtOnRecord: Date? {
        fact.withdrawnAt ?? withdrawals.first { $0.content.isWhole }?.content.withdrawnAt ?? record?.wholeWithdrawal?.withdrawnAt
    }

    /// The state at `time` (active, not yet valid, expired, withdrawn, invalid, needs birth date): the same
    /// answer the evaluator gives, so a list never shows `active` for a consent a check would deny.
    public func state(at time: Date) -> ConsentState {
        let state = ConsentState(fact: fact, at: time)
        return needsBirthDate && (state == .active || state == .notYetValid) ? .needsBirthDate : state
    }
}

extension ConsentVerifier {
    /// Re-verifies a stored consent and its withdrawal (signature, trust, content, and that the signed
    /// payload matches the row's id and subject) and gives its status.
    ///
    /// A withdrawal that fails verification makes the whole consent invalid rather than being ignored:
    /// ignoring it would let an altered withdrawal row turn a withdrawn consent back into a permit.
    public func status(of record: StoredConsent, now: Date, subjectBirthDate: Date? = nil) -> ConsentStatus {
        let fallback = ConsentFact(id: record.id, templateID: record.templateID, templateVersion: record.templateVersion,
                                   clauses: [], grantedAt: record.grantedAt, expiresAt: record.expiresAt,
                                   verification: .invalid(reason: ""))
        var expected: [ConsentError] = []
        let parsed = verifyConsent(record.jws, now: now, subjectBirthDate: subjectBirthDate, recordedAt: record.recordedAt)
        if let d = parsed.document?.content {
            if d.idText != record.id {
                expected.append(.corruptRow(id: record.id, reason: LocalizedText(de: "das signierte Dokument ist die Einwilligung \(d.idText)",
                                                                                 en: "the signed payload is consent \(d.idText)")))
            }
            if d.subject != record.subject {
                expected.append(.corruptRow(id: record.id, reason: LocalizedText(de: "der Datensatz nennt die Person \(record.subject), das signierte Dokument \(d.subject)",
                                                                                 en: "the row names subject \(record.subject), the signed payload \(d.subject)")))
            }
        }
        return build(id: record.id, record: record, consent: parsed.adding(expected), withdrawalBytes: record.withdrawals.map(\.jws),
                     now: now, subjectBirthDate: subjectBirthDate, fallback: fallback)
    }

    /// Verifies a consent and (when given) one withdrawal of it, given as JWS bytes: `status(consent:withdrawals:…)`.
    public func status(consent bytes: [UInt8], withdrawal: [UInt8]?, now: Date, subjectBirthDate: Date? = nil) -> ConsentStatus {
        status(consent: bytes, withdrawals: withdrawal.map { [$0] } ?? [], now: now, subjectBirthDate: subjectBirthDate)
    }

    /// Verifies a consent (and optionally its withdrawals) given as JWS bytes, e.g. files to check or import.
    public func status(consent bytes: [UInt8], withdrawals: [[UInt8]] = [], now: Date,
                       subjectBirthDate: Date? = nil) -> ConsentStatus {
        let parsed = verifyConsent(bytes, now: now, subjectBirthDate: subjectBirthDate)
        let d = parsed.document?.content
        let fallback = ConsentFact(id: d?.idText ?? "(unreadable)", templateID: d?.template.id ?? "",
                                   templateVersion: d?.template.version ?? 0, clauses: [],
                                   grantedAt: d?.grantedAt ?? .distantPast, expiresAt: d?.expiresAt ?? .distantPast,
                                   verification: .invalid(reason: ""))
        return build(id: fallback.id, record: nil, consent: parsed, withdrawalBytes: withdrawals, now: now,
                     subjectBirthDate: subjectBirthDate, fallback: fallback)
    }

    /// The status of a row that could not be read: invalid, with whatever its JWS (if any) claims, so the
    /// evaluator can attribute the denial to it.
    func status(ofCorruptRow id: String, jws: [UInt8]?, error: ConsentError, now: Date) -> ConsentStatus {
        let parsed = jws.map { verifyConsent($0, now: now) }
        let d = parsed?.document?.content
        let failures = [error] + (parsed?.failures ?? [])
        let fact = ConsentFact(id: id, templateID: d?.template.id ?? "", templateVersion: d?.template.version ?? 0,
                               clauses: d?.clauses ?? [], grantedAt: d?.grantedAt ?? .distantPast,
                               expiresAt: d?.expiresAt ?? .distantPast,
                               verification: .invalid(reason: failures.map { $0.message(in: .en) }.joined(separator: "; ")))
        return ConsentStatus(id: id, record: nil, consent: parsed?.document, withdrawals: [], failures: failures, fact: fact,
                             needsBirthDate: false)
    }

    /// `failure` of a withdrawal, said of the withdrawal where its own words would read as about the consent: a key or
    /// signature failure ("signing key … is not trusted") named the withdrawal's key as if the consent had been signed
    /// with it (found in a key review). The other failures name the withdrawal already.
    static func aboutTheWithdrawal(_ failure: ConsentError, withdrawnAt: Date?) -> ConsentError {
        switch failure {
        case .untrustedKey, .signatureInvalid: return .withdrawalFails(withdrawnAt: withdrawnAt, failure: failure)
        default: return failure
        }
    }

    private func build(id: String, record: StoredConsent?, consent: VerificationResult<ConsentDeclaration>,
                       withdrawalBytes: [[UInt8]], now: Date, subjectBirthDate: Date?, fallback: ConsentFact) -> ConsentStatus {
        var failures = consent.failures
        var withdrawals: [SignedWithdrawal] = []
        for (i, bytes) in withdrawalBytes.enumerated() {
            let row = record.flatMap { i < $0.withdrawals.count ? $0.withdrawals[i] : nil }
            let w = verifyRecordedWithdrawal(bytes, of: consent.document?.content, now: now, recordedAt: row?.recordedAt)
            if let doc = w.document { withdrawals.append(doc) }
            let on = w.document?.content.withdrawnAt ?? row?.withdrawnAt
            failures += w.failures.map { Self.aboutTheWithdrawal($0, withdrawnAt: on) }
            if let rowID = row?.consentID, let named = w.document?.content.consentIDText, rowID != named {
                failures.append(.corruptRow(id: id, reason: LocalizedText(de: "die Einwilligungs-ID des Widerrufsdatensatzes weicht von seinem signierten Dokument ab (\(named))",
                                                                         en: "the withdrawal row's consent id differs from its signed payload (\(named))")))
            }
        }
        // Each withdrawal verified on its own; several of the whole consent, or two naming the same clause, are not what
        // this installation stores (`WithdrawalRules`), but the earliest counts for each, so nothing withdrawn comes back.
        let fact: ConsentFact
        if let doc = consent.document, failures.isEmpty {
            let d = doc.content
            var f = ConsentFact(id: d.idText, templateID: d.template.id, templateVersion: d.template.version,
                                clauses: d.clauses, grantedAt: d.grantedAt, expiresAt: d.expiresAt,
                                guardianPresent: !d.guardians.isEmpty, verification: .verified)
            f.setWithdrawals(withdrawals.map { WithdrawalFact(at: $0.content.withdrawnAt, clauses: $0.content.clauses) })
            fact = f
        } else {
            var f = fallback
            // The evaluator attributes a denial to the consents whose clauses cover the field, so an invalid
            // fact carries the clauses it claims (or, unreadable, all of its template's): it can then only
            // ever produce `consent-invalid`, never a permit, and never hide behind `consent-missing`.
            if let d = consent.document?.content {
                f.templateID = d.template.id; f.templateVersion = d.template.version; f.clauses = d.clauses
                f.grantedAt = d.grantedAt; f.expiresAt = d.expiresAt
            } else if case .success(let t) = TemplateRules.template(
                for: .init(id: f.templateID, version: f.templateVersion), in: templates) {
                f.clauses = t.clauses.map(\.id)
            }
            let reasons = failures.map { $0.message(in: .en) }
            f.verification = .invalid(reason: reasons.joined(separator: "; "))
            fact = f
        }
        var needsBirthDate = false
        if subjectBirthDate == nil, case .verified = fact.verification, !fact.guardianPresent,
           case .success(let template) = TemplateRules.template(for: .init(id: fact.templateID, version: fact.templateVersion),
                                                                in: templates) {
            needsBirthDate = template.minimumAge > 0
        }
        return ConsentStatus(id: id, record: record, consent: consent.document, withdrawals: withdrawals,
                             failures: failures, fact: fact, needsBirthDate: needsBirthDate)
    }
}
