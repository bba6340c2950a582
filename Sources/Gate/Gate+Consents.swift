import Diagnostics
import AuditLog
import ConsentRecords
import Foundation
import PolicyEngine
import Signing

/// What a case manager records from a signed paper declaration.
public struct GrantRequest: Sendable {
    /// The person (case id and the attributes known; birth date decides whether a guardian must sign).
    public var subject: Subject
    /// The id of the consent template (the declaration's wording) the person signed, e.g. `kim-beratung`.
    public var templateID: String
    /// The template version the person signed (default: the current one). An earlier version the bundle keeps
    /// (`earlier-versions`) is accepted only when it has a recording window (`recordable-until`) and `grantedAt` falls
    /// on or before its last day in Berlin; otherwise refused (`GateError.earlierTemplateVersion`, or
    /// `earlierTemplateVersionNoLongerRecordable` after the window). A retired template (`recordable-until` on its
    /// current version) takes only declarations signed on or before that Berlin day (`GateError.templateRetired`).
    public var templateVersion: Int?
    /// The language of the declaration the person read.
    public var language: String
    /// The ids of the template's clauses the person agreed to.
    public var clauses: [String]
    /// When the person signed, from the paper form: the consent holds from then, and the `consent-signer` key must be
    /// valid at that time. A time in the future is refused.
    public var grantedAt: Date
    /// How long it holds (default: the template's `max-validity`).
    public var validity: ISODuration?
    /// The case manager who took the declaration and their municipality, which must be one of the county's; signed
    /// into the declaration and logged as the entry's municipality.
    public var collectedBy: CaseManagerReference
    /// The guardians who signed for the person, as the paper form names them (needed when the person is younger
    /// than the template's minimum age).
    public var guardians: [Guardian]
    /// `sha256:` of the scanned signed paper form, if any.
    public var evidence: String?

    /// A request with the current template version, the template's maximum validity, no guardians and no evidence
    /// by default.
    public init(subject: Subject, templateID: String, templateVersion: Int? = nil, language: String, clauses: [String],
                grantedAt: Date, validity: ISODuration? = nil, collectedBy: CaseManagerReference, guardians: [Guardian] = [],
                evidence: String? = nil) {
        self.subject = subject; self.templateID = templateID; self.templateVersion = templateVersion
        self.language = language; self.clauses = clauses; self.grantedAt = grantedAt; self.validity = validity
        self.collectedBy = collectedBy; self.guardians = guardians; self.evidence = evidence
    }
}

extension Gate {
    /// Signs the declaration with the installation's `consent-signer` key, verifies and stores it, records
    /// the subject, and logs `consent-granted`; returns the stored record and the audit index.
    ///
    /// `admit` receives the subject as stored (nil: not recorded), read inside the write transaction that records
    /// the consent and the subject, and throws to refuse (nothing is then stored or logged; its error passes
    /// unchanged). An access rule checked only before the call could be outrun by another writer recording the
    /// person in between (the web service's municipality rule runs here as well, so a case worker can never
    /// overwrite another municipality's person).
    public func grantConsent(_ request: GrantRequest, actor: Actor, now: Date = Date(),
                             admitting admit: @escaping @Sendable (_ stored: Subject?) throws -> Void = { _ in }) throws -> (StoredConsent, Int64) {
        // New consents are signed on the current version: an earlier version the bundle keeps is there to read the
        // consents already signed on it, not to collect new ones on wording the county has replaced. The exception is an
        // earlier version with a recording window (`recordable-until`): a paper declaration signed on it by that Berlin
        // day, arriving after the bump, is recorded on the version the person read (its clauses, languages, minimum age
        // and validity).
        guard let current = policy.bundle.template(request.templateID) else {
            throw GateError.unknownTemplate(request.templateID, version: request.templateVersion)
        }
        var template = current
        if let version = request.templateVersion, version != current.version {
            guard let earlier = policy.bundle.template(request.templateID, version: version) else {
                throw GateError.templateVersionNotHeld(request.templateID, version: version, current: current.version,
                                                       earlier: current.earlierVersions.map(\.version))
            }
            guard let until = earlier.recordableUntil else {
                throw GateError.earlierTemplateVersion(request.templateID, version: version, current: current.version)
            }
            guard earlier.isRecordable(grantedAt: request.grantedAt) else {
                throw GateError.earlierTemplateVersionNoLongerRecordable(
                    request.templateID, version: version, current: current.version, recordableUntil: UTCDay.format(until),
                    signedOn: UTCDay.format(BerlinDay.day(of: request.grantedAt)))
            }
            template = earlier
        } else if let until = current.recordableUntil, current.isRetired(at: request.grantedAt) {
            // A retired template (`recordable-until` on its current version) takes declarations signed by its last day
            // only: kept so that the consents signed on it stay valid, not to collect new ones.
            throw GateError.templateRetired(request.templateID, version: current.version, recordableUntil: UTCDay.format(until),
                                            signedOn: UTCDay.format(BerlinDay.day(of: request.grantedAt)))
        }
        // A guardian named by a placeholder (`-`, `?`) would satisfy the guardian rule without naming anyone.
        try GateError.requireGuardianNames(request.guardians) { "guardians[\($0)].name" }
        try GateError.requirePlausibleBirthDate(request.subject.birthDate, field: "subject.birth-date")
        try GateError.requireBornBy(request.subject.birthDate, signedAt: request.grantedAt, now: now, field: "subject.birth-date")
        let county = policy.bundle.countyMunicipalities
        var request = request
        // Recorded (signed, stored, logged) in NFC, as the list and the subject table hold the names.
        request.collectedBy.municipality = try GateError.requireMunicipality(request.collectedBy.municipality, of: county,
                                                                             field: "collected-by.municipality")
        if let m = request.subject.municipality {
            request.subject.municipality = m == request.collectedBy.municipality ? request.collectedBy.municipality
                : try GateError.requireMunicipality(m, of: county, field: "subject.municipality")
        }
        let declaration = ConsentDeclaration(
            subject: request.subject.id, template: .init(id: template.id, version: template.version),
            language: request.language, clauses: request.clauses, grantedAt: request.grantedAt,
            expiresAt: ConsentDeclaration.expiry(grantedAt: request.grantedAt, template: template, validity: request.validity),
            collectedBy: request.collectedBy, guardians: request.guardians, evidence: request.evidence)
        // A `granted-at` in the future is the request's mistake, said as such before a key is chosen: past every key's
        // not-after it read as "no usable key" (exit 4), found in a review. (The verification below checks it as well.)
        if declaration.grantedAt > now { throw ConsentError.grantedInFuture(grantedAt: declaration.grantedAt, now: now) }
        // Usable now (a revoked or retired key never signs again) and valid at the declared `granted-at`, the time
        // verifiers check the key against.
        let key = try signingKey(for: .consentSigner, at: now, documentTime: declaration.grantedAt)
        let signed = try declaration.signed(with: key.privateKey)
        // Verify first: a refused grant leaves the stored person unchanged. The consent, the person's stated
        // attributes and the `consent-granted` entry are one transaction: all three, or none.
        let subject = try subjects.subject(id: request.subject.id).map { $0.updated(with: request.subject) } ?? request.subject
        let signer = try auditSigner()
        let (log, digest, stated) = (auditLog, policy.digest, request.subject)
        let municipality = request.collectedBy.municipality
        let clauses = request.clauses
        return try consents.grant(signed, subjectBirthDate: subject.birthDate, now: now) { db, stored in
            let recorded = try SubjectStore.fetch(db, id: stated.id)
            try admit(recorded)
            if recorded == nil { try SubjectStore.requireNoOtherSpelling(of: stated.id, field: "subject", db) }
            // A person recorded in a municipality stays there, as `consent import` keeps them: a consent collected in
            // another town hall does not move the case (found in a review: `consent grant --municipality Much` filed a
            // Hennef person in Much, unlogged, and Hennef's case worker then got 403 for their own person).
            var filed = stated
            if recorded?.municipality != nil { filed.municipality = nil }
            try SubjectStore.upsert(filed, now: now, db)
            // A stated birth date replaces the recorded one (the way to correct it), and the entry says so: it decides
            // the guardian rule, and a changed year left no trace before (found in a review of the domain rules).
            let change = BirthDateChange.recording(stated.birthDate, over: recorded?.birthDate, signedAt: stored.grantedAt)
            let entry = AuditEntry(time: now, actor: actor.id, municipality: municipality, policyDigest: digest,
                                   content: .consentGranted(ConsentGrantedRecord(
                                       consentID: stored.id, subject: stored.subject, templateID: stored.templateID,
                                       templateVersion: Int64(stored.templateVersion), clauses: clauses,
                                       grantedAt: RFC3339.format(stored.grantedAt), expiresAt: RFC3339.format(stored.expiresAt),
                                       digest: stored.jwsSHA256, birthDateChange: change)))
            return try log.append([entry], signer: signer, now: now, in: db)[0]
        }
    }

    /// Withdraws a consent as of `at` (default now), signed with the `consent-signer` key: the whole consent
    /// (`clauses` nil), or only the lines (clauses) named, which must be granted by it and not yet withdrawn
    /// (`ConsentError.clauseNotGranted`, `clauseAlreadyWithdrawn`, `consentAlreadyWithdrawn`, `noClausesNamed`: nothing
    /// stored or logged). A withdrawal of the whole consent is idempotent: when it is already withdrawn as a whole, the
    /// withdrawal that ended it is returned and nothing new is logged. Returns the outcome and the audit index if logged.
    /// `admit` receives the person as stored, inside the transaction that records the withdrawal, and throws to
    /// refuse (nothing is then stored or logged; the web service's municipality rule runs here).
    public func withdrawConsent(id: String, at: Date? = nil, clauses: [String]? = nil, recordedBy: CaseManagerReference, actor: Actor,
                                now: Date = Date(),
                                admitting admit: @escaping @Sendable (_ stored: Subject?) throws -> Void = { _ in }) throws -> (WithdrawalOutcome, Int64?) {
        try GateError.requireNoNUL(id, field: "consent")
        var recordedBy = recordedBy
        recordedBy.municipality = Subject.nfc(recordedBy.municipality)
        try GateError.requireWithdrawalMunicipality(recordedBy.municipality, of: policy.bundle.countyMunicipalities) {
            try consents.record(id: id).flatMap { try subjects.subject(id: $0.subject) }?.municipality
        }
        let when = at ?? now
        let key = try withdrawalKey(consentID: id, withdrawnAt: when, now: now)
        let signer = try auditSigner()
        let (log, digest) = (auditLog, policy.digest)
        let municipality = recordedBy.municipality
        // The withdrawal and its `consent-withdrawn` entry are one transaction.
        if let clauses { for c in clauses { try GateError.requireNoNUL(c, field: "clauses") } }
        return try consents.withdraw(consentID: id, at: when, clauses: clauses, recordedBy: recordedBy, key: key.privateKey, now: now) { db, w, consent in
            // The access rule on the person as stored in this transaction (like a grant's): a check before the call
            // could be outrun by a writer that moved the person to another municipality meanwhile.
            try admit(try SubjectStore.fetch(db, id: consent.subject))
            let entry = AuditEntry(time: now, actor: actor.id, municipality: municipality, policyDigest: digest,
                                   content: .consentWithdrawn(ConsentWithdrawnRecord(
                                       consentID: w.consentID, subject: consent.subject, withdrawnAt: RFC3339.format(w.withdrawnAt),
                                       digest: w.jwsSHA256, clauses: w.clauses)))
            return try log.append([entry], signer: signer, now: now, in: db)[0]
        }
    }

    /// The key to sign a withdrawal of `consentID` dated `withdrawnAt`: usable now and valid at `withdrawnAt`
    /// (the time verifiers check it against), so after a rotation a withdrawal dated before the new key's
    /// `not-before` is signed by the old key rather than refused as unverifiable. When the store will answer
    /// without a new signature that verifies anyway (unknown id, already withdrawn, dated before the grant or in
    /// the future), the key usable now, so the store's own answer is the one the user sees.
    private func withdrawalKey(consentID: String, withdrawnAt: Date, now: Date) throws -> SigningKey {
        let documentTime = Date(timeIntervalSince1970: withdrawnAt.timeIntervalSince1970.rounded(.down))
        let record = try consents.record(id: consentID)
        guard let record, record.wholeWithdrawal == nil, record.grantedAt <= documentTime, documentTime <= now else {
            return try signingKey(for: .consentSigner, at: now)
        }
        return try signingKey(for: .consentSigner, at: now, documentTime: documentTime)
    }

    /// Imports a consent or withdrawal JWS from another installation (verified first); logs what is new.
    ///
    /// The guardian rule is checked with the person's birth date: `birthDate` when given (it is then stored
    /// with the person, but only once the document was accepted), else the stored one. Without either, a
    /// consent without a guardian is accepted but lists as `needs-birth-date` and permits nothing until the
    /// birth date is known (the evaluator fails closed on an unknown age).
    ///
    /// The municipalities a new document records are held to the rules of a grant and a withdrawal made here
    /// (`GateError.unknownMunicipality`, nothing stored or logged): a consent's `collected-by.municipality` must be one
    /// of the county's (the policy's `municipalities`); a withdrawal's `recorded-by.municipality` one of the county's
    /// or the person's own recorded municipality, also when the bundle no longer lists it. They are checked after the
    /// document verified (an integrity failure is reported first), and not for a document already present. A new
    /// consent files a person without a recorded municipality where it was collected, as a grant there would; so does a
    /// consent already present (the document is not stored again, no entry is logged; the person row is updated), when the county lists the municipality it was collected in:
    /// importing it again places a person an older import left without one.
    ///
    /// `dryRun`: every check of an import, in a transaction that is rolled back: nothing is stored or logged, and no
    /// signing key is opened (`consent verify`, which said "valid" for documents an import refused: a guardian named
    /// `-`, an unknown municipality, another document under a stored id, a second whole withdrawal; consent review,
    /// session 40).
    public func importConsentDocument(_ bytes: [UInt8], birthDate: Date? = nil, actor: Actor, now: Date = Date(),
                                      dryRun: Bool = false) throws -> ImportOutcome {
        do {
            return try importingConsentDocument(bytes, birthDate: birthDate, actor: actor, now: now, dryRun: dryRun)
        } catch let finished as ImportDryRunFinished {
            return finished.outcome
        }
    }

    private func importingConsentDocument(_ bytes: [UInt8], birthDate: Date?, actor: Actor, now: Date, dryRun: Bool) throws -> ImportOutcome {
        try GateError.requirePlausibleBirthDate(birthDate, field: "birth-date")
        let content = try? SignedConsent(bytes: bytes).content
        try GateError.requireBornBy(birthDate, signedAt: content?.grantedAt, now: now, field: "birth-date")
        let subjectID = content?.subject
        let birth = try birthDate ?? subjectID.flatMap { try subjects.subject(id: $0)?.birthDate }
        let signer = dryRun ? nil : try auditSigner()
        let (log, digest) = (auditLog, policy.digest)
        let county = policy.bundle.countyMunicipalities
        // The row of an imported withdrawal: a consent may have several.
        let importedDigest = SHA256.tagged(bytes)
        // The document, the person's birth date and the entry of a new document are one transaction.
        return try consents.importDocument(bytes, subjectBirthDate: birth, now: now) { db, outcome, stored in
            var collectedIn: String? = nil
            switch outcome {
            case .alreadyPresent(.consent, _):
                // Not checked (a document already present is reported as before), but importing it again places a person
                // an older import left without a municipality, where it was collected, when the county still lists it.
                let place = try SignedConsent(bytes: stored.jws).content.collectedBy.municipality
                collectedIn = county.admits(place) ? Subject.nfc(place) : nil
            case .alreadyPresent: break
            case .imported(.consent, _):
                let declaration = try SignedConsent(bytes: stored.jws).content
                collectedIn = try GateError.requireMunicipality(declaration.collectedBy.municipality,
                                                                of: county, field: "collected-by.municipality")
                // As for a grant: a placeholder (`-`, `?`) would satisfy the guardian rule without naming anyone.
                try GateError.requireGuardianNames(declaration.guardians) { "guardians[\($0)].name" }
            case .imported(.withdrawal, _):
                if let w = stored.withdrawals.first(where: { $0.jwsSHA256 == importedDigest }) {
                    try GateError.requireWithdrawalMunicipality(try SignedWithdrawal(bytes: w.jws).content.recordedBy.municipality,
                                                                of: county) { try SubjectStore.fetch(db, id: stored.subject)?.municipality }
                }
            }
            // A person ConsentGate has no municipality for is filed where their new consent was collected, as a grant
            // there would file them: a known person without one belongs to no case worker (docs/web.md).
            let recorded = try SubjectStore.fetch(db, id: stored.subject)
            if recorded == nil, case .imported(.consent, _) = outcome {
                try SubjectStore.requireNoOtherSpelling(of: stored.subject, field: "subject", db)
            }
            let filing = collectedIn.flatMap { place in recorded?.municipality == nil ? place : nil }
            // A new consent's entry notes a birth date it changes, as a grant's does. A document already stored logs
            // nothing, so it changes no recorded birth date (it may still give one the person lacks).
            let change = BirthDateChange.recording(birthDate, over: recorded?.birthDate, signedAt: stored.grantedAt)
            if case .alreadyPresent(.consent, _) = outcome, change != nil, let birthDate, let old = recorded?.birthDate {
                throw GateError.birthDateChangeWithoutNewConsent(recorded: UTCDay.format(UTCDay.day(of: old)),
                                                                 stated: UTCDay.format(UTCDay.day(of: birthDate)))
            }
            if Self.isConsent(outcome), birthDate != nil || filing != nil {
                try SubjectStore.upsert(Subject(id: stored.subject, birthDate: birthDate, municipality: filing), now: now, db)
            }
            // Every check done: a dry run ends here, and its transaction rolls back.
            guard let signer else { throw ImportDryRunFinished(outcome: outcome) }
            let content: AuditContent
            switch outcome {
            case .alreadyPresent: return
            case .imported(.consent, _):
                content = .consentGranted(ConsentGrantedRecord(
                    consentID: stored.id, subject: stored.subject, templateID: stored.templateID,
                    templateVersion: Int64(stored.templateVersion), clauses: (try? SignedConsent(bytes: stored.jws))?.content.clauses ?? [],
                    grantedAt: RFC3339.format(stored.grantedAt), expiresAt: RFC3339.format(stored.expiresAt),
                    digest: stored.jwsSHA256, birthDateChange: change))
            case .imported(.withdrawal, _):
                guard let w = stored.withdrawals.first(where: { $0.jwsSHA256 == importedDigest }) else { return }
                content = .consentWithdrawn(ConsentWithdrawnRecord(
                    consentID: w.consentID, subject: stored.subject, withdrawnAt: RFC3339.format(w.withdrawnAt), digest: w.jwsSHA256,
                    clauses: w.clauses))
            }
            _ = try log.append([AuditEntry(time: now, actor: actor.id, municipality: actor.municipality, policyDigest: digest,
                                           content: content)], signer: signer, now: now, in: db)
        }.0
    }

    /// Thrown inside a dry run's transaction once every check passed, so that it rolls back; caught by
    /// `importConsentDocument`.
    private struct ImportDryRunFinished: Error {
        let outcome: ImportOutcome
    }

    private static func isConsent(_ outcome: ImportOutcome) -> Bool {
        switch outcome {
        case .imported(let kind, _), .alreadyPresent(let kind, _): kind == .consent
        }
    }
}
