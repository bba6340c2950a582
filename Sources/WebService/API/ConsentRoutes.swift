import ConsentRecords
import Diagnostics
import Foundation
import Gate
import Hummingbird
import PolicyEngine
import Signing
import StrictJSON

/// Consents over JSON: grant (`POST /v1/consents`), show, withdraw, list per subject, and the
/// printable declaration of a template (`GET /v1/consent-templates/{id}/form?language=uk`).
enum ConsentRoutes {
    struct GuardianJSON: StrictDecodable {
        var name: String
        var relation: String?
        enum CodingKeys: String, CodingKey, CaseIterable { case name, relation }
        init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            name = try c.decode(String.self, forKey: .name)
            relation = try c.decodeIfPresentRefusingNull(String.self, forKey: .relation)
        }
    }

    struct GrantJSON: StrictDecodable {
        var subject: String
        var attributes: DecisionRoutes.AttributesJSON?
        var template: String
        var templateVersion: Int?
        var language: String
        var clauses: [String]
        var grantedAt: Date?
        var guardians: [GuardianJSON]
        var evidence: String?
        enum CodingKeys: String, CodingKey, CaseIterable {
            case subject, attributes, template, templateVersion = "template-version", language, clauses,
                 grantedAt = "granted-at", guardians, evidence
        }
        init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            subject = try c.decode(String.self, forKey: .subject)
            // The same case-id rule as decisions, checked here so a bad id is the request's 400, not the Gate's 422.
            if let problem = ConsentDeclaration.caseIDProblem(subject) {
                throw RequestFieldError.invalid(c.codingPath + [CodingKeys.subject], problem)
            }
            attributes = try c.decodeIfPresentRefusingNull(DecisionRoutes.AttributesJSON.self, forKey: .attributes)
            template = try c.decode(String.self, forKey: .template)
            templateVersion = try c.decodeIfPresentRefusingNull(Int.self, forKey: .templateVersion)
            // A version is counted from 1: 0 or below is a malformed request (400), not a version the policy lacks
            // (422 "v-1 nicht vorhanden": API review L3).
            if let v = templateVersion, v < 1 {
                throw RequestFieldError.invalid(c.codingPath + [CodingKeys.templateVersion],
                    LocalizedText(de: "eine Versionsnummer ab 1 erwartet, nicht \(v)", en: "expected a version number of 1 or more, not \(v)"))
            }
            language = try c.decode(String.self, forKey: .language)
            clauses = try c.decode([String].self, forKey: .clauses)
            guardians = try c.decodeIfPresentRefusingNull([GuardianJSON].self, forKey: .guardians) ?? []
            evidence = try c.decodeIfPresentRefusingNull(String.self, forKey: .evidence)
            if let e = evidence, !Self.isEvidenceDigest(e) {
                throw RequestFieldError.invalid(c.codingPath + [CodingKeys.evidence],
                    LocalizedText(de: "„sha256:“ gefolgt von 64 kleingeschriebenen Hex-Ziffern erwartet",
                                  en: "expected \"sha256:\" followed by 64 lower-case hex digits"))
            }
            if let text = try c.decodeIfPresentRefusingNull(String.self, forKey: .grantedAt) {
                guard let d = RFC3339.parse(text) else {
                    throw RequestFieldError.invalid(c.codingPath + [CodingKeys.grantedAt], RequestWords.notATime(text))
                }
                // The signed declaration keeps whole seconds: a fraction would be cut, moving the consent's start
                // before the stated signing time (found in a review of dates).
                guard d.timeIntervalSince1970.rounded(.down) == d.timeIntervalSince1970 else {
                    throw RequestFieldError.invalid(c.codingPath + [CodingKeys.grantedAt], RequestWords.notWholeSeconds(text))
                }
                grantedAt = d
            }
        }

        static func isLowerHex(_ c: UInt8) -> Bool { (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) }

        /// Whether `text` is an evidence checksum: `sha256:` and 64 lower-case hex digits.
        static func isEvidenceDigest(_ text: String) -> Bool {
            text.hasPrefix("sha256:") && text.utf8.count == 71 && text.utf8.dropFirst(7).allSatisfy(isLowerHex)
        }
    }

    /// The optional body of `POST /v1/consents/{id}/withdraw`: `clauses` (the lines to withdraw; absent: the whole
    /// consent). An empty list is the Gate's refusal (422), like a clause not granted.
    struct WithdrawJSON: StrictDecodable {
        var clauses: [String]?
        enum CodingKeys: String, CodingKey, CaseIterable { case clauses }
        init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            clauses = try c.decodeIfPresentRefusingNull([String].self, forKey: .clauses)
        }
    }

    /// The body of `POST /v1/consents/{id}/referral-notices`: the partner the case manager told.
    struct ReferralNoticeJSON: StrictDecodable {
        var partner: String
        /// When the partner was told, if before now (RFC 3339), read as `at` and `granted-at` are, with their words.
        var toldAt: Date?
        enum CodingKeys: String, CodingKey, CaseIterable { case partner, toldAt = "told-at" }
        init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            partner = try c.decode(String.self, forKey: .partner)
            toldAt = try c.decodeIfPresentRefusingNull(String.self, forKey: .toldAt).map { text in
                guard let d = RFC3339.parse(text) else {
                    throw RequestFieldError.invalid(c.codingPath + [CodingKeys.toldAt], RequestWords.notATime(text))
                }
                return d
            }
        }
    }

    /// Grants for a case worker (municipality rule, checked against the person as stored both before and inside the
    /// transaction that records the consent, so another municipality recording the person meanwhile is refused too;
    /// they are the collecting case manager). `grantedAtField`:
    /// the request field the signing time came from, if the client gave one (nil: now); when no
    /// `consent-signer` key was in force at that time, the answer is a 400 naming that field instead of the
    /// key store's refusal (which lists key ids and windows, and is no integrity problem of the request).
    static func grant(subject: Subject, template: String, templateVersion: Int?, language: String, clauses: [String],
                      grantedAt: Date, grantedAtField: String? = nil, guardians: [Guardian], evidence: String?,
                      account: Account, gate: Gate) throws -> (StoredConsent, Int64) {
        try SubjectAccess.requireListedMunicipality(subject, account: account, policy: gate.policy)
        let stated = try SubjectAccess.authorize(subjectID: subject.id, stated: subject, account: account, gate: gate) ?? subject
        let municipality = account.municipality ?? ""
        do {
            return try gate.grantConsent(GrantRequest(subject: stated, templateID: template, templateVersion: templateVersion,
                                                      language: language, clauses: clauses, grantedAt: grantedAt,
                                                      collectedBy: CaseManagerReference(caseManager: account.name, municipality: municipality),
                                                      guardians: guardians, evidence: evidence),
                                         actor: Actor(id: account.name, municipality: account.municipality)) { stored in
                _ = try SubjectAccess.authorize(subjectID: stated.id, stored: stored, stated: stated, account: account)
            }
        } catch let GateError.unknownMunicipality(field, name, _, _) where field == "collected-by.municipality" && !name.isEmpty && name == municipality {
            // The account's own municipality, which the bundle in force no longer lists: no typing error of the user's
            // (whom "collected-by.municipality: unknown municipality" would puzzle), but the administrator's to resolve.
            throw SubjectAccess.accountMunicipalityNotListed(name)
        } catch SigningError.noUsableKey(role: .consentSigner, reasons: _) where grantedAtField != nil && gate.hasUsableSigningKey(for: .consentSigner) {
            let field = grantedAtField ?? ""
            throw WebError.badRequest(code: "invalid-field",
                de: "Feld \"\(field)\": ungültiger Wert: zu diesem Zeitpunkt (\(RFC3339.format(grantedAt))) war kein Schlüssel zum Signieren von Einwilligungen gültig; bitte das Datum der Unterschrift angeben",
                en: "field \"\(field)\": invalid value: no key for signing consents was valid at that time (\(RFC3339.format(grantedAt))); give the date the declaration was signed")
        }
    }

    /// 404 naming what was not found in the answer's language (`WebError.notFound` names a path, the same in both).
    static func notFound(_ what: LocalizedText) -> WebError {
        WebError(.notFound, code: "not-found", de: "Nicht gefunden: \(what.de)", en: "not found: \(what.en)")
    }

    /// The stored consent `id` if the account may see it (case workers: their municipality's subjects), else 404/403.
    static func visibleConsent(_ id: String, account: Account, gate: Gate) throws -> ConsentStatus {
        guard let record = try gate.consents.record(id: id) else { throw notFound(LocalizedText(de: "Einwilligung \(id)", en: "consent \(id)")) }
        if account.role == .caseworker {
            try SubjectAccess.requireSameMunicipality(try gate.subject(id: record.subject)?.municipality, account: account)
        }
        let status = try gate.consents.show(id: id, subjectBirthDate: try gate.subject(id: record.subject)?.birthDate)
        try logDPORead(account, command: "consent show", filters: ["consent": id], results: 1, gate: gate)
        return status
    }

    /// Records that `account` told `partner` of the withdrawal of consent `id` (the pages' and the API's use): the consent
    /// as the account may see it, the person's municipality checked again as stored. Returns the entry's index.
    static func recordReferralNotice(_ id: String, partner: String, told: ReferralNoticeTime, account: Account, gate: Gate) throws -> Int64 {
        _ = try visibleConsent(id, account: account, gate: gate)
        return try gate.recordReferralNotice(consentID: id, partner: partner, told: told, actor: Actor(id: account.name, municipality: account.municipality),
                                             admitting: { stored in try SubjectAccess.requireSameMunicipality(stored?.municipality, account: account) })
    }

    /// A DPO's read of consent data is logged like a read of the audit log (`audit-read`).
    static func logDPORead(_ account: Account, command: String, filters: [String: String], results: Int, gate: Gate) throws {
        guard account.role == .dpo else { return }
        try gate.auditLog.recordRead(command: command, filters: filters, results: Int64(results), actor: account.name,
                                     signer: gate.auditSigner())
    }

    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                 body: .init(byteBuffer: ByteBuffer(bytes: CanonicalJSON.encode(value))))
    }

    static func register(_ r: RouteRegistrar) {
        let env = r.environment
        let gate = env.gate
        let limit = env.configuration.maxJSONBodyBytes
        r.api(.post, "/v1/consents", roles: [.caseworker]) { request, auth in
            let b = try await RequestBodyReader.decodeJSON(GrantJSON.self, from: request, limit: limit)
            let subject = b.attributes?.subject(id: b.subject) ?? Subject(id: b.subject)
            let account = auth.account
            // Recording (signing, the transaction, the log entry) and reading it back off the pool (`BlockingWork`).
            let (status, index, change) = try await BlockingWork.run {
                let (stored, index) = try grant(subject: subject, template: b.template, templateVersion: b.templateVersion,
                                                language: b.language, clauses: b.clauses, grantedAt: b.grantedAt ?? Date(),
                                                grantedAtField: b.grantedAt == nil ? nil : GrantJSON.CodingKeys.grantedAt.stringValue,
                                                guardians: b.guardians.map { Guardian(name: $0.name, relation: $0.relation) },
                                                evidence: b.evidence, account: account, gate: gate)
                // The state as a following GET shows it: with the person's birth date as now on record (the stored
                // attributes merged with those stated here; the read may still see the row before this grant).
                let onRecord = try gate.subject(id: stored.subject).map { $0.updated(with: subject) } ?? subject
                // A stated birth date that replaced the recorded one: the entry notes it, and so does the answer.
                return (try gate.consents.show(id: stored.id, subjectBirthDate: onRecord.birthDate), index,
                        try gate.birthDateChange(loggedAt: index))
            }
            var answer: [String: JSONValue] = ["consent": status.summary(at: Date(), language: auth.language),
                                               "audit": .object(["index": .int(Int64(index))])]
            if let change {
                answer["birth-date-changed"] = .object(["age-before": .int(change.ageBefore), "age-after": .int(change.ageAfter)])
            }
            return json(.object(answer), status: .created)
        }
        r.api(.get, "/v1/consents/{id}", roles: [.caseworker, .dpo]) { _, auth in
            let id = try PathParameter.consentID("id", in: auth.context)
            let account = auth.account
            let status = try await BlockingWork.run { try visibleConsent(id, account: account, gate: gate) }
            return json(status.summary(at: Date(), language: auth.language))
        }
        r.api(.post, "/v1/consents/{id}/withdraw", roles: [.caseworker]) { request, auth in
            let id = try PathParameter.consentID("id", in: auth.context)
            let clauses = try await RequestBodyReader.decodeOptionalJSON(WithdrawJSON.self, from: request, limit: limit)?.clauses
            let account = auth.account
            let (status, index, recipients) = try await BlockingWork.run {
                _ = try visibleConsent(id, account: account, gate: gate)
                let (outcome, index) = try gate.withdrawConsent(id: id, clauses: clauses, recordedBy: CaseManagerReference(caseManager: account.name,
                                                                                                     municipality: account.municipality ?? ""),
                                                          actor: Actor(id: account.name, municipality: account.municipality),
                                                          admitting: { stored in
                                                              try SubjectAccess.requireSameMunicipality(stored?.municipality, account: account) })
                let status = try visibleConsent(id, account: account, gate: gate)
                // Whom the case manager tells (Art. 19): the partners that got data on it by referral; the export run tells its own.
                let recipients = try status.record.map { record in
                    index == nil ? [] : try gate.referralRecipients(ofWithdrawalOf: id, subject: record.subject, clauses: outcome.withdrawal.clauses)
                } ?? []
                return (status, index, recipients)
            }
            return json(.object(["consent": status.summary(at: Date(), language: auth.language),
                                 "audit": index.map { .object(["index": .int(Int64($0))]) } ?? .null,
                                 "referral-recipients": .array(recipients.map(\.json))]))
        }
        // That the case manager told a referral's recipient of the withdrawal (GDPR Art. 19): an `erasure-notice` entry.
        r.api(.post, "/v1/consents/{id}/referral-notices", roles: [.caseworker]) { request, auth in
            let id = try PathParameter.consentID("id", in: auth.context)
            let body = try await RequestBodyReader.decodeJSON(ReferralNoticeJSON.self, from: request, limit: limit)
            let toldAt = body.toldAt
            let account = auth.account
            let index = try await BlockingWork.run {
                try recordReferralNotice(id, partner: body.partner, told: toldAt.map { .at($0) } ?? .now, account: account, gate: gate)
            }
            return json(.object(["consent": .string(id), "partner": .string(body.partner), "audit": .object(["index": .int(index)])]),
                        status: .created)
        }
        r.api(.get, "/v1/subjects/{id}/consents", roles: [.caseworker, .dpo]) { _, auth in
            let id = try PathParameter.caseID("id", in: auth.context)
            let account = auth.account
            let list = try await BlockingWork.run {
                let subject = try gate.subject(id: id)
                try SubjectAccess.requireVisible(subjectID: id, stored: subject, account: account, gate: gate)
                let list = try gate.consents.list(subject: id, subjectBirthDate: subject?.birthDate)
                try logDPORead(account, command: "consent list", filters: ["subject": id], results: list.count, gate: gate)
                return list
            }
            return json(.array(list.map { $0.summary(at: Date(), language: auth.language) }))
        }
        r.api(.get, "/v1/consent-templates/{id}/form", roles: Set(AccountRole.allCases), query: KnownQueryParameters(["language"])) { request, auth in
            let id = try PathParameter.text("id", in: auth.context)
            // As the page twin `/declarations/{id}` and `consent form`: a retired template is not given out to be signed.
            if let refusal = ConsentPages.retiredRefusal(id, gate: gate, now: Date()) { throw refusal }
            let language = request.uri.queryParameters["language"].map(String.init) ?? "de"
            return try declaration(template: id, language: language, ui: auth.language, gate: gate)
        }
    }

    /// The printable declaration (a self-contained HTML document with its own print styles).
    static func declaration(template id: String, version: Int? = nil, language: String, ui: Diagnostics.Language, gate: Gate,
                            recorded: ConsentForm.RecordedCopy? = nil) throws -> Response {
        let bundle = gate.policy.bundle
        // A recorded consent's copy names its own version (an earlier one the bundle keeps included, so the copy shows the
        // wording the person signed); the blank form to sign is always the current version.
        let found = if let version { bundle.template(id, version: version) } else { bundle.template(id) }
        guard let t = found else { throw notFound(LocalizedText(de: "Einwilligungsvorlage \(id)", en: "consent template \(id)")) }
        // The bundle's names in the declaration's language (as `consent form` prints them), not the reader's UI
        // language: a German declaration printed from the English pages still names the partners in German.
        let form = ConsentForm(template: t, language: language, bundle: bundle, recorded: recorded)
        let html = try form.html()
        // The declaration carries its own inline print styles and no script.
        return Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8",
                                               .contentSecurityPolicy: "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; frame-ancestors 'none'; base-uri 'none'"],
                        body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}
