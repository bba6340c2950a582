import AuditLog
import ConsentRecords
import Diagnostics
import Foundation
import Gate
import Hummingbird
import PolicyEngine
import Signing

/// Recording a consent from the signed paper form (template, language, clauses, guardians, scan →
/// SHA-256 evidence), showing it, printing the declaration in the person's language, and
/// withdrawing it with one action, or single lines (clauses) of it with another (GDPR Art. 7(3): "ganz oder für
/// einzelne Zeilen").
enum ConsentPages {
    static let newTitle = LocalizedText(de: "Einwilligung erfassen", en: "Record a consent")
    static let showTitle = LocalizedText(de: "Einwilligung", en: "Consent")

    static func register(_ r: RouteRegistrar) {
        let env = r.environment
        let gate = env.gate
        let sessions = env.sessions
        // The most a scan may have with the form (the page says it before the upload, and when it is exceeded).
        let scanLimit = env.configuration.maxFormBodyBytes
        r.page(.get, "/consents/new", access: .roles([.caseworker])) { request, page in
            // Entries kept from a form sent after the session ended: shown once, filled in, never recorded here.
            if let s = page.session, let kept = await sessions.takeKeptEntries(id: s.id, target: .consent) {
                let digest = kept.form["scan-digest"].flatMap { ConsentRoutes.GrantJSON.isEvidenceDigest($0) ? $0 : nil }
                return newForm(page, gate: gate, form: kept.form, problems: FormProblems(), evidence: digest, scanLimit: scanLimit,
                               notice: LoginPages.restoredNote(page.language, scanKept: digest != nil,
                                                               scanTooLarge: kept.form[KeptEntries.scanTooLargeField]))
            }
            // `?template=<id>&template-version=<n>`: the form showing an earlier version printed on the paper (links of
            // the version picker); an unknown or not recordable version shows the current one.
            var picked = FormData()
            for name in ["template", versionParameter] {
                if let value = request.uri.queryParameters[Substring(name)] { picked.add(name: name, value: String(value)) }
            }
            return newForm(page, gate: gate, form: picked, problems: FormProblems(), scanLimit: scanLimit)
        }
        r.page(.post, "/consents", access: .roles([.caseworker]), keepsEntries: .consent) { _, page in
            try await record(page, gate: gate, scanLimit: scanLimit)
        }
        r.page(.get, "/consents/{id}", access: .roles([.caseworker, .dpo])) { request, page in
            let (id, account) = (try PathParameter.consentID("id", in: page.context), page.account!)
            let (status, change, recipients) = try await BlockingWork.run { try shown(id, account: account, gate: gate) }
            let done = request.uri.queryParameters["done"].flatMap { ConsentAction(rawValue: String($0)) }
            return show(page, status: status, policy: gate.policy, birthDateChange: change, referralRecipients: recipients, done: done)
        }
        r.page(.post, "/consents/{id}/withdraw", access: .roles([.caseworker])) { _, page in
            let id = try PathParameter.consentID("id", in: page.context)
            let account = page.account!
            try await BlockingWork.run {
                _ = try ConsentRoutes.visibleConsent(id, account: account, gate: gate)
                _ = try gate.withdrawConsent(id: id, recordedBy: CaseManagerReference(caseManager: account.name, municipality: account.municipality ?? ""),
                                             actor: Actor(id: account.name, municipality: account.municipality),
                                             admitting: { stored in try SubjectAccess.requireSameMunicipality(stored?.municipality, account: account) })
            }
            return PageResponse.seeOther("/consents/\(id)?done=\(ConsentAction.withdrawn.rawValue)")
        }
        // The lines ticked (`clause`, one field each); none ticked, or a refusal of the store (a line withdrawn meanwhile),
        // shows the consent page again with the message at the choice, nothing withdrawn (never the whole consent).
        r.page(.post, "/consents/{id}/withdraw-lines", access: .roles([.caseworker])) { _, page in
            let id = try PathParameter.consentID("id", in: page.context)
            let account = page.account!
            let chosen = page.form.all("clause")
            do {
                try await BlockingWork.run {
                    _ = try ConsentRoutes.visibleConsent(id, account: account, gate: gate)
                    _ = try gate.withdrawConsent(id: id, clauses: chosen,
                                                 recordedBy: CaseManagerReference(caseManager: account.name, municipality: account.municipality ?? ""),
                                                 actor: Actor(id: account.name, municipality: account.municipality),
                                                 admitting: { stored in try SubjectAccess.requireSameMunicipality(stored?.municipality, account: account) })
                }
            } catch let refusal as ConsentError where refusal.category == .invalidInput {
                let (status, change, recipients) = try await BlockingWork.run { try shown(id, account: account, gate: gate) }
                let template = gate.policy.bundle.template(status.fact.templateID, version: status.fact.templateVersion)
                return show(page, status: status, policy: gate.policy,
                            linesProblem: linesProblem(refusal, template: template, language: page.language), birthDateChange: change,
                            referralRecipients: recipients)
            }
            return PageResponse.seeOther("/consents/\(id)?done=\(ConsentAction.linesWithdrawn.rawValue)")
        }
        // The case manager told a referral's recipient of the withdrawal (the button at the partner in "To be told of the
        // withdrawal"): recorded, then the consent's page again, which shows it as told.
        r.page(.post, "/consents/{id}/referral-notice", access: .roles([.caseworker])) { _, page in
            let id = try PathParameter.consentID("id", in: page.context)
            let account = page.account!
            let partner = page.form["partner"] ?? ""
            // The day the partner was told (the field beside the button); none given (an older page): today.
            let day = page.form["told-on"].flatMap { $0.isEmpty ? nil : $0 }
            let refusedAgain = { (problem: String) async throws -> Response in
                // Refused (not withdrawn, not on the list, told already, a day in the future or before the withdrawal): the
                // consent's page again with the reason in the section, nothing logged (a review found a bare error page
                // with only a way home).
                let (status, change, recipients) = try await BlockingWork.run { try shown(id, account: account, gate: gate) }
                return show(page, status: status, policy: gate.policy, birthDateChange: change, referralRecipients: recipients,
                            noticeProblem: problem)
            }
            let told: ReferralNoticeTime
            if let day {
                guard let number = UTCDay.parse(day) else {
                    return try await refusedAgain(page.language == .de ? "Benachrichtigt am: \"\(day)\" ist kein Datum (JJJJ-MM-TT)"
                                                  : "Told on: \"\(day)\" is not a date (YYYY-MM-DD)")
                }
                told = .on(day: number)
            } else {
                told = .now
            }
            do {
                _ = try await BlockingWork.run { try ConsentRoutes.recordReferralNotice(id, partner: partner, told: told, account: account, gate: gate) }
            } catch let refusal as GateError where refusal.category == .invalidInput {
                return try await refusedAgain(refusal.message(in: page.language))
            }
            return PageResponse.seeOther("/consents/\(id)?done=\(ConsentAction.noticeRecorded.rawValue)#referral-recipients")
        }
        r.page(.get, "/consents/{id}/declaration", access: .roles([.caseworker, .dpo])) { _, page in
            let (id, account) = (try PathParameter.consentID("id", in: page.context), page.account!)
            let status = try await BlockingWork.run { try ConsentRoutes.visibleConsent(id, account: account, gate: gate) }
            guard let c = status.consent?.content else { throw WebError.notFound(page.path) }
            // A copy of what was recorded (clauses ticked, case id, date, recorder), not the blank form to sign.
            var berlin = Calendar(identifier: .gregorian)
            berlin.timeZone = BerlinTime.zone
            let day = berlin.dateComponents([.year, .month, .day], from: c.grantedAt)
            let copy = ConsentForm.RecordedCopy(consentID: c.idText, caseID: c.subject,
                                                grantedOn: copyDay(day, declarationLanguage: c.language),
                                                caseManager: c.collectedBy.caseManager, municipality: c.collectedBy.municipality,
                                                clauses: Set(c.clauses),
                                                withdrawnOn: status.withdrawnAtOnRecord.map { copyTime($0, declarationLanguage: c.language) },
                                                withdrawnClauses: Dictionary(status.withdrawnClauses.map { ($0.clause, copyTime($0.at, declarationLanguage: c.language)) },
                                                                             uniquingKeysWith: { a, _ in a }),
                                                guardians: c.guardians.map { g in g.relation.map { "\(g.name) (\($0))" } ?? g.name })
            return try ConsentRoutes.declaration(template: c.template.id, version: c.template.version, language: c.language,
                                                 ui: page.language, gate: gate, recorded: copy)
        }
        // The blank declaration of a template to print before the person signs (the page twin of
        // `GET /v1/consent-templates/{id}/form`, which takes a bearer token only).
        r.page(.get, "/declarations/{id}", access: .roles([.caseworker, .dpo])) { request, page in
            let id = try PathParameter.text("id", in: page.context)
            // A retired template is no longer given out to be signed (a recorded consent's copy still prints, above).
            if let refusal = retiredRefusal(id, gate: gate, now: Date()) { throw refusal }
            let language = request.uri.queryParameters["language"].map(String.init) ?? "de"
            do {
                return try ConsentRoutes.declaration(template: id, language: language, ui: page.language, gate: gate)
            } catch let ConsentError.formLanguageUnsupported(lang, supported) {
                // In words for a case worker: the API's message names the policy file and a command of the operator's.
                let list = supported.joined(separator: ", ")
                let shown = ShownValue.text(lang, language: page.language, keep: 20)
                throw WebError(.unprocessableContent, code: "invalid-input",
                               de: "Die Erklärung gibt es nicht in der Sprache „\(shown)“ (vorhanden: \(list)). Weitere Sprachen richtet die Administration in der Richtlinie ein.",
                               en: "The declaration is not available in the language “\(shown)” (available: \(list)). The administrator adds further languages in the policy.")
            }
        }
    }

    /// The day of signing as the copy's note says it: DD.MM.YYYY, the way German and Ukrainian write dates (the copy
    /// said 2026-11-06, unlike every other date on the pages: a review, 2026-12-06); ISO in English.
    static func copyDay(_ day: DateComponents, declarationLanguage: String) -> String {
        let (y, m, d) = (day.year ?? 0, day.month ?? 0, day.day ?? 0)
        return declarationLanguage == "en" ? String(format: "%04d-%02d-%02d", y, m, d) : String(format: "%02d.%02d.%04d", d, m, y)
    }

    /// A withdrawal's time on the copy of a declaration, in Berlin time and the declaration's language: German and
    /// English as the pages write it; Ukrainian with the date as in German and the zone said in words; a language of the
    /// county's wording (`form-languages`), which ConsentGate has no words in, with the date as in German and the offset
    /// in digits, "01.12.2026 11:00 (UTC+01:00)", which reads the same in any script (before, an Arabic copy said the zone
    /// in Ukrainian: a review, 2026-12-07).
    static func copyTime(_ date: Date, declarationLanguage: String) -> String {
        switch declarationLanguage {
        case "de": return BerlinTime.format(date, language: .de)
        case "en": return BerlinTime.format(date, language: .en)
        case "uk":
            let german = BerlinTime.format(date, language: .de)
            let zone = german.split(separator: " ").last.map(String.init) ?? ""
            return String(german.dropLast(zone.count)) + "(за берлінським часом)"
        default:
            var berlin = Calendar(identifier: .gregorian)
            berlin.timeZone = BerlinTime.zone
            let c = berlin.dateComponents([.year, .month, .day, .hour, .minute], from: date)
            let offset = BerlinTime.zone.secondsFromGMT(for: date)
            return String(format: "%02d.%02d.%04d %02d:%02d (UTC", c.day ?? 0, c.month ?? 0, c.year ?? 0, c.hour ?? 0, c.minute ?? 0)
                + (offset < 0 ? "-" : "+") + String(format: "%02d:%02d)", abs(offset) / 3600, abs(offset) % 3600 / 60)
        }
    }

    /// Consent `id` as the consent page shows it to `account` (`visibleConsent`: 404/403 otherwise), with the change of
    /// the person's recorded birth date its recording made, if any (blocking: call off the pool).
    static func shown(_ id: String, account: Account, gate: Gate) throws -> (ConsentStatus, BirthDateChange?, [ReferralRecipient]) {
        let status = try ConsentRoutes.visibleConsent(id, account: account, gate: gate)
        // Once withdrawn (wholly or lines), the partners that received data on it by referral: whom the case manager tells.
        let withdrawnLines = status.withdrawnClauses.map(\.clause)
        let recipients = try status.record.map { record -> [ReferralRecipient] in
            if status.withdrawnAtOnRecord != nil { return try gate.referralRecipients(onConsent: id, subject: record.subject) }
            return withdrawnLines.isEmpty ? [] : try gate.referralRecipients(onConsent: id, subject: record.subject, clauses: withdrawnLines)
        } ?? []
        // The list is read from the audit log: a DPO's view of it is a read of those entries, logged as such.
        if !recipients.isEmpty {
            try ConsentRoutes.logDPORead(account, command: "GET /consents/{id}: referral recipients", filters: ["consent": id],
                                         results: recipients.reduce(0) { $0 + $1.entries.count }, gate: gate)
        }
        return (status, try status.record.flatMap { try gate.birthDateChange(grantOf: id, subject: $0.subject) }, recipients)
    }

    /// The newest version of every consent template, by id.
    static func newestTemplates(_ gate: Gate) -> [ConsentTemplate] {
        Dictionary(grouping: gate.policy.bundle.templates, by: \.id).compactMap { $0.value.max { $0.version < $1.version } }.sorted { $0.id < $1.id }
    }

    /// The templates offered for new consents at `now` (`newestTemplates` without the retired ones): a template whose
    /// current version has `recordable-until` is offered through that Berlin day, marked with it, and not after it.
    /// A paper declaration signed by that day that arrives later is recorded with `consent grant` or `POST /v1/consents`
    /// (the gate takes it); the page offers only what a case manager may still have signed today.
    static func offeredTemplates(_ gate: Gate, now: Date) -> [ConsentTemplate] {
        newestTemplates(gate).filter { !$0.isRetired(at: now) }
    }

    /// The refusal of a blank declaration of template `id` to print, when it is retired at `now` (nil otherwise, also
    /// for an id the policy does not hold: the declaration route reports that).
    static func retiredRefusal(_ id: String, gate: Gate, now: Date) -> GateError? {
        guard let t = newestTemplates(gate).first(where: { $0.id == id }), let until = t.recordableUntil, t.isRetired(at: now) else { return nil }
        return .retiredTemplateNotOffered(t.id, version: t.version, recordableUntil: UTCDay.format(until),
                                          offered: offeredTemplates(gate, now: now).map(\.id))
    }

    /// The form field of template `id`'s clause boxes: each template's boxes are their own field, so a box of
    /// one template can never be recorded as a clause of another with the same id.
    static func clauseField(_ templateID: String) -> String { "clauses.\(templateID)" }

    /// The hidden field holding the version of a template the form showed.
    static func templateVersionField(_ templateID: String) -> String { "template-version.\(templateID)" }

    /// The `id` of a clause box.
    static func clauseBoxID(_ templateID: String, _ clauseID: String) -> String { "clause-\(templateID)-\(clauseID)" }

    /// `Ukrainisch (uk)` (the code alone is ambiguous to a case manager: `uk` is Ukrainian); a language of the county's declaration wording (`form-languages`) by the name the policy
    /// gives it (`Arabisch (ar)`); an unknown code as it is.
    static func languageName(_ code: String, _ l: Language, _ bundle: PolicyBundle) -> String {
        (bundle.formLanguage(code)?.name ?? FormLanguage.builtInLanguageNames[code]).map { "\($0[l]) (\(code))" } ?? code
    }

    /// Before the template languages a declaration cannot be printed in: the policy gives no wording of the form for them.
    static let unprintableText = LocalizedText(
        de: "Ohne Erklärung zum Ausdrucken, weil die Richtlinie den Rahmentext des Formulars in dieser Sprache nicht enthält (`form-languages`, docs/policy.md):",
        en: "No declaration to print, as the policy does not hold the form's wording in this language (`form-languages`, docs/policy.md):")

    /// The labels of the form's controls.
    static let subjectLabel = LocalizedText(de: "Fall-ID der Person", en: "Case id of the person")
    static let birthDateLabel = LocalizedText(de: "Geburtsdatum", en: "Date of birth")
    static let templateLabel = LocalizedText(de: "Vorlage", en: "Template")
    static let languageLabel = LocalizedText(de: "Sprache der unterschriebenen Erklärung", en: "Language of the signed declaration")
    static let signedOnLabel = LocalizedText(de: "Unterschrieben am", en: "Signed on")
    static let guardiansLabel = LocalizedText(de: "Sorgeberechtigte (bei Minderjährigen; eine Person je Zeile)", en: "Guardians (for minors; one per line)")
    /// Said in the legend of each template's clause boxes: the chosen template's group needs at least one ticked box
    /// (a `required` on a checkbox would demand that very box, so the group says it in words).
    static let clausesRequired = LocalizedText(de: "Pflichtangabe, wenn diese Vorlage gewählt ist: mindestens eine Klausel ankreuzen",
                                               en: "required when this template is chosen: tick at least one clause")
    /// What a printed recording form says instead of its controls (hidden on paper): where the declaration to print is.
    static let printNoteText = LocalizedText(
        de: "Dies ist das Formular, mit dem eine unterschriebene Einwilligung am Bildschirm erfasst wird; ausgedruckt ist es nicht zum Ausfüllen oder Unterschreiben gedacht. Die Erklärung zum Ausdrucken und Unterschreiben öffnen Sie auf dieser Seite unter „Erklärung zum Ausdrucken“ oder unter diesen Adressen des Dienstes:",
        en: "This is the form for recording a signed consent on screen; printed, it is not meant to be filled in or signed. Open the declaration to print and sign under “Declaration to print” on this page, or at these addresses of the service:")
    /// The form's box that confirms recording a declaration that has already expired (see `record`).
    static let confirmExpiredField = "record-expired"
    static let confirmExpiredLabel = LocalizedText(de: "Abgelaufene Erklärung trotzdem als Nachweis speichern",
                                                   en: "Record the expired declaration anyway, as evidence")
    static let scanLabel = LocalizedText(de: "Scan der unterschriebenen Erklärung (es wird nur die Prüfsumme gespeichert)",
                                         en: "Scan of the signed declaration (only its checksum is stored)")

    /// The Berlin calendar day (days since 1970-01-01) `date` falls on: "today" for a case manager in the county.
    static func berlinDay(of date: Date) -> Int { BerlinDay.day(of: date) }

    /// The signing time recorded for a declaration signed on `day` (a calendar day in Berlin), as of `now`: noon
    /// UTC of that day (13:00 or 14:00 in Berlin, on that day), but never later than `now`, so a declaration signed
    /// today can be recorded in the morning too. Nil when `day` is after today in Berlin.
    static func signingTime(day: Int, now: Date) -> Date? {
        let today = berlinDay(of: now)
        guard day <= today else { return nil }
        let noon = Date(timeIntervalSince1970: Double(day) * 86_400 + 12 * 3600)
        return day == today ? min(noon, now) : noon
    }
}
