import AuditLog
import ConsentRecords
import Diagnostics
import Foundation
import Gate
import Hummingbird
import PolicyEngine
import Signing

/// The referral check for case workers: choose person, partner, purpose and fields; see per field
/// green (may pass) or red (may not), the reason in words and the norm, on the decision's own page (`/check/{index}`,
/// the answer to the form is 303 there); download the released fields as the referral sheet
/// (`/check/{index}/sheet.csv`, read back from the audit log entry).
enum CheckPage {
    static let title = LocalizedText(de: "Weitergabe prüfen", en: "Check a referral")
    /// The label of the case id field.
    static let subjectLabel = LocalizedText(de: "Fall-ID der Person", en: "Case id of the person")

    static func register(_ r: RouteRegistrar) {
        let env = r.environment
        r.page(.get, "/check", access: .roles([.caseworker])) { _, page in
            // Entries kept from a form sent after the session ended: shown once, filled in, never checked here.
            if let s = page.session, let kept = await env.sessions.takeKeptEntries(id: s.id, target: .check) {
                return try await render(page, env: env, form: kept.form, result: nil, notice: LoginPages.restoredNote(page.language))
            }
            return try await render(page, env: env, form: FormData(), result: nil)
        }
        r.page(.post, "/check", access: .roles([.caseworker]), keepsEntries: .check) { request, page in
            let f = page.form
            var problems = FormProblems()
            let subject = f["subject"]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            if subject.isEmpty {
                problems.add("subject", FormProblems.missing(subjectLabel))
            } else if let problem = ConsentDeclaration.caseIDProblem(subject) {
                problems.add("subject", LocalizedText(de: "Fall-ID \"\(subject)\" ungültig: erwartet \(problem.de)",
                                                      en: "case id \"\(subject)\" is invalid: expected \(problem.en)"))
            }
            var stated: Subject?
            if let b = f["birth-date"], !b.isEmpty {
                if let day = UTCDay.parse(b), let problem = RequestWords.birthDateProblem(b, day: day) {
                    problems.add("birth-date", problem)
                } else if let day = UTCDay.parse(b) {
                    stated = Subject(id: subject, birthDate: Date(timeIntervalSince1970: Double(day) * 86_400))
                } else {
                    problems.add("birth-date", LocalizedText(de: "Geburtsdatum \"\(b)\" ist kein Datum (JJJJ-MM-TT)",
                                                             en: "birth date \"\(b)\" is not a date (YYYY-MM-DD)"))
                }
            }
            let policy = env.gate.policy
            let partner = f["partner"]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            if partner.isEmpty {
                problems.add("partner", FormProblems.missing(PolicyWidgets.partnerLabel))
            } else if policy.bundle.partner(partner) == nil {
                problems.add("partner", LocalizedText(de: "unbekannte Stelle \"\(partner)\" (nicht in der Richtlinie \(policy.bundle.id))",
                                                      en: "unknown partner \"\(partner)\" (not in policy \(policy.bundle.id))"),
                             status: .unprocessableContent)
            }
            let purpose = f["purpose"]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            if purpose.isEmpty {
                problems.add("purpose", FormProblems.missing(PolicyWidgets.purposeLabel))
            } else if policy.bundle.purpose(purpose) == nil {
                problems.add("purpose", LocalizedText(de: "unbekannter Zweck \"\(purpose)\" (nicht in der Richtlinie \(policy.bundle.id))",
                                                      en: "unknown purpose \"\(purpose)\" (not in policy \(policy.bundle.id))"),
                             status: .unprocessableContent)
            }
            let fields = f.all("fields")
            if fields.isEmpty {
                problems.add("fields", anchor: PolicyWidgets.firstCheckboxID(policy),
                             LocalizedText(de: "Bitte mindestens ein Feld auswählen", en: "Please choose at least one field"))
            } else if let problem = DecisionRoutes.fieldListProblem(fields) {
                // Only a form not sent by this page has that many fields or that long an id.
                problems.add("fields", anchor: PolicyWidgets.firstCheckboxID(policy), problem.why)
            }
            if f["unaccompanied-minor"] == "on" {
                stated = stated ?? Subject(id: subject)
                stated?.unaccompaniedMinor = true
            }
            let statedValues = CheckPage.statedValues(f, policy: policy, problems: &problems)
            guard problems.isEmpty else { return try await render(page, env: env, form: f, result: nil, problems: problems) }
            do {
                let result = try await DecisionRoutes.check(CheckRequest(subject: subject, statedAttributes: stated, partner: partner,
                                                                         purpose: purpose, fields: fields, statedValues: statedValues),
                                                            account: page.account!, environment: env)
                // Post-redirect-get: the result is shown by the decision's GET page, so a reload shows it again rather
                // than sending the form (and logging a decision) once more.
                if let s = page.session {
                    await env.sessions.keepCheck(KeptCheck(index: result.auditIndex, result: result, stated: statedValues, form: f), session: s.id)
                }
                // The page's language chosen by `?lang=` (not the cookie) goes along.
                let lang = request.uri.queryParameters["lang"].flatMap { Language(rawValue: String($0)) }.map { "?lang=\($0.rawValue)" } ?? ""
                return PageResponse.seeOther("/check/\(Int(result.auditIndex))\(lang)")
            } catch {
                // Refused below the form (another municipality's person, a field the policy does not know, the
                // store): the form again with the entries, the refusal at the field it is about.
                let field = (error as? WebError)?.status == .forbidden ? "subject" : (Self.isAboutTheBirthDate(error) ? "birth-date" : "fields")
                if case let .birthDateDiffersFromRecord(_, stated)? = error as? GateError {
                    problems.add(field, Self.birthDateDiffers(stated: stated), status: .unprocessableContent)
                    return try await render(page, env: env, form: f, result: nil, problems: problems)
                }
                guard problems.add(field, anchor: field == "fields" ? PolicyWidgets.firstCheckboxID(policy) : nil, refusal: error) else { throw error }
                return try await render(page, env: env, form: f, result: nil, problems: problems)
            }
        }
        r.page(.get, "/check/{index}", access: .roles([.caseworker])) { _, page in
            try await result(page, env: env)
        }
        r.page(.get, "/check/{index}/sheet.csv", access: .roles([.caseworker])) { _, page in
            try await sheet(page, env: env)
        }
    }

    /// The page: the result of a check (if any) above the form, or the form refused with `problems` (error
    /// summary, each message at its control, every entry kept; answered with the problems' status).
    /// The words under the case id field: how many people the list offers, and whether it offers all of them (found in
    /// a review: with over 20,000 people recorded, it said "(2000)", as if that were their number).
    static func subjectHint(shown: Int, more: Bool) -> LocalizedText {
        more ? LocalizedText(de: "z. B. RSK-2022-000017 – nie den Namen; die Liste zeigt die ersten \(shown) erfassten Personen Ihrer Kommune (nach Fallnummer; es gibt mehr: jede andere Fallnummer bitte eintippen)",
                             en: "e.g. RSK-2022-000017 – never the name; the list shows the first \(shown) recorded people of your municipality (by case id; there are more: type any other case id)")
             : LocalizedText(de: "z. B. RSK-2022-000017 – nie den Namen; die Liste zeigt alle \(shown) erfassten Personen Ihrer Kommune",
                             en: "e.g. RSK-2022-000017 – never the name; the list shows all \(shown) recorded people of your municipality")
    }

    static func render(_ page: PageRequest, env: WebEnvironment, form: FormData, result: CheckResult?,
                       stated: [String: AttributeValue] = [:],
                       problems: FormProblems = FormProblems(), notice: HTML = .empty) async throws -> Response {
        let l = page.language
        let policy = env.gate.policy
        // The people of the case worker's own municipality to pick from (typing any case id still works).
        let gate = env.gate
        var known: [String] = []
        if let municipality = page.account?.municipality {
            // One more than shown, to tell whether there are more.
            let limit = env.configuration.checkPageSubjectLimit
            known = try await BlockingWork.run { try gate.subjectIDs(municipality: municipality, limit: limit + 1) }
        }
        let more = known.count > env.configuration.checkPageSubjectLimit
        known = Array(known.prefix(env.configuration.checkPageSubjectLimit))
        let options = HTML(raw: known.map { "<option value=\"\(HTMLEscaping.escape($0))\"></option>" }.joined())
        // Why a consent the decision found invalid is invalid (a guardian missing, a key revoked, …), in the page's language.
        var invalid: [InvalidConsentReason] = []
        if let result, result.decision.fields.contains(where: { $0.reason == .consentInvalid }) {
            let statedBirth = form["birth-date"].flatMap(UTCDay.parse).map { Date(timeIntervalSince1970: Double($0) * 86_400) }
            invalid = try await BlockingWork.run { try gate.invalidConsentReasons(in: result.decision, statedBirthDate: statedBirth) }
        }
        let resultHTML = result.map { table($0, stated: stated, invalid: invalid, policy: policy, language: l) } ?? .empty
        let content: HTML = """
        \(notice)\(problems.summary(language: l))
        \(resultHTML)
        <form method="post" action="/check" class="check-form no-print">
        \(CSRFField(session: page.session!).html)
        <label for="subject">\(subjectLabel[l]) \(PolicyWidgets.requiredMark(l))</label>
        \(problems.message("subject", language: l))
        <input type="text" id="subject" name="subject" value="\(form["subject"] ?? "")" required autocomplete="off" list="subject-list"\(problems.attributes("subject", hints: ["subject-hint"]))>
        <datalist id="subject-list">\(options)</datalist>
        <p id="subject-hint" class="muted">\(subjectHint(shown: known.count, more: more)[l])</p>
        <label for="birth-date">\(l == .de ? "Geburtsdatum (nur wenn die Person noch nicht erfasst ist)" : "Date of birth (only for a person not yet recorded)")</label>
        \(problems.message("birth-date", language: l))
        <input type="date" id="birth-date" name="birth-date" value="\(form["birth-date"] ?? "")"\(problems.attributes("birth-date"))>
        <div class="check"><input type="checkbox" id="unaccompanied-minor" name="unaccompanied-minor"\(form["unaccompanied-minor"] == "on" ? HTML(raw: " checked") : .empty)> <label class="inline" for="unaccompanied-minor">\(l == .de ? "Unbegleitet minderjährig" : "Unaccompanied minor")</label></div>
        \(statedFieldset(policy, checked: Set(form.all(statedName)), language: l, problems: problems))
        \(PolicyWidgets.partnerSelect(policy, selected: form["partner"], language: l, problems: problems))
        \(PolicyWidgets.purposeSelect(policy, selected: form["purpose"], language: l, problems: problems))
        \(PolicyWidgets.fieldGroup(policy, checked: Set(form.all("fields")), language: l, problems: problems))
        <div><button type="submit">\(l == .de ? "Prüfen" : "Check")</button></div>
        </form>
        """
        // A result's page says whose result it is in its title (the form and every result were titled alike: a review).
        let shownTitle = result.map { r in
            LocalizedText(de: "Ergebnis der Prüfung für \(r.decision.subject) – \(title.de)", en: "Check result for \(r.decision.subject) – \(title.en)")
        } ?? title
        return PageResponse.html(page.layout.render(title: shownTitle, content: content), status: problems.isEmpty ? .ok : problems.status)
    }

    /// Why a field may pass on a consent, in words a case manager can hold against the paper: the day it was signed and
    /// the clause's wording in the page's language, its id after it (`Einwilligung vom 06.11.2026: „Weitergabe an das
    /// Jobcenter …“ (Klausel jobcenter)`). It named only the clause id (a review of the pages); the id alone is kept when
    /// the consent or its template version is not at hand.
    static func consentReason(_ id: String, clause: String, consents: [ConsentFact], policy: CompiledPolicy, language l: Language) -> String {
        guard let fact = consents.first(where: { $0.id == id }) else {
            return (l == .de ? "Einwilligung, Klausel " : "consent, clause ") + clause
        }
        let day = ConsentPages.dayText(BerlinDay.day(of: fact.grantedAt), l)
        // The wording in the page's language, else in the other one; a clause without wording by its id alone.
        let texts = policy.bundle.template(fact.templateID, version: fact.templateVersion)?.clause(clause)?.text ?? [:]
        guard let wording = texts[l.rawValue] ?? texts[l == .de ? "en" : "de"] else {
            return l == .de ? "Einwilligung vom \(day), Klausel \(clause)" : "consent of \(day), clause \(clause)"
        }
        return l == .de ? "Einwilligung vom \(day): „\(wording)“ (Klausel \(clause))" : "consent of \(day): “\(wording)” (clause \(clause))"
    }

    /// The outcome table: one row per requested field; under it what the request stated for stateable attributes.
    static func table(_ result: CheckResult, stated: [String: AttributeValue] = [:], invalid: [InvalidConsentReason] = [],
                      policy: CompiledPolicy, language l: Language) -> HTML {
        let d = result.decision
        let rows = d.fields.map { f -> HTML in
            let permitted = f.outcome == .permit
            let outcome: HTML = permitted
                ? "<td class=\"permit\" data-outcome=\"permit\">✔ \(l == .de ? "darf weitergegeben werden" : "may pass")</td>"
                : "<td class=\"deny\" data-outcome=\"deny\">✘ \(l == .de ? "darf nicht weitergegeben werden" : "may not pass")</td>"
            let reason: String
            if permitted {
                if let c = f.consent {
                    reason = consentReason(c.id, clause: c.clause, consents: result.consents, policy: policy, language: l)
                } else {
                    reason = l == .de ? "gesetzliche Grundlage" : "statutory basis"
                }
            } else {
                reason = policy.denialWords(for: f, consents: result.consents, time: BerlinTime.words)?[l] ?? (l == .de ? "nicht erlaubt" : "not permitted")
            }
            let rule: HTML = f.rule.map { " <span class=\"muted\">(\(l == .de ? "Regel" : "rule") \($0))</span>" } ?? .empty
            return "<tr data-field=\"\(f.field)\"><th scope=\"row\">\(PolicyWidgets.fieldLabel(f.field, policy: policy, language: l)) <span class=\"muted\">(\(f.field))</span></th>\(outcome)<td>\(reason)\(rule)</td><td>\(policy.citation(of: f, in: d, language: l) ?? "–")</td></tr>"
        }
        let partner = policy.bundle.partner(d.partner)?.name[l] ?? d.partner
        let purpose = policy.bundle.purpose(d.purpose)?.label[l] ?? d.purpose
        let summary = Self.summary(released: d.released.count, of: d.fields.count, partner: partner, language: l)
        return """
        <section aria-labelledby="result-heading" class="decision" id="decision" data-audit-index="\(Int(result.auditIndex))">
        <h2 id="result-heading">\(l == .de ? "Ergebnis" : "Result")</h2>
        <p role="status" id="result-summary" tabindex="-1" autofocus>\(summary)</p>
        <table>
        <caption>\(d.subject) → \(partner) · \(purpose) · \(BerlinTime.element(d.at, language: l))</caption>
        <thead><tr><th scope="col">\(l == .de ? "Feld" : "Field")</th><th scope="col">\(l == .de ? "Ergebnis" : "Outcome")</th><th scope="col">\(l == .de ? "Begründung" : "Reason")</th><th scope="col">\(l == .de ? "Rechtsgrundlage" : "Legal basis")</th></tr></thead>
        <tbody>\(rows)</tbody>
        </table>
        \(statedSummary(stated, policy: policy, language: l))
        \(invalidConsentList(invalid, language: l))
        <p class="no-print"><a href="\(ConsentListPage.link(subject: d.subject))">\(l == .de ? "Einwilligungen von \(d.subject) anzeigen (drucken, widerrufen)" : "Show the consents of \(d.subject) (print, withdraw)")</a></p>
        <p>\(l == .de ? "Protokolleintrag" : "Audit entry") \(Int(result.auditIndex))<span class="no-print"> · <a href="/check/\(Int(result.auditIndex))/sheet.csv" download>\(l == .de ? "Freigegebene Felder als Übergabeblatt herunterladen (CSV)" : "Download the released fields as referral sheet (CSV)")</a></span></p>
        </section>
        """
    }

    /// The page's words when the birth date given is not the one recorded: the field by its label, the date as the page
    /// writes dates, and not the recorded date (pages show no birth dates; the API's message named it, with the field's
    /// id and ISO dates: a review of the pages).
    static func birthDateDiffers(stated: String) -> LocalizedText {
        let shown = UTCDay.parse(stated)
        let (de, en) = (shown.map { ConsentPages.dayText($0, .de) } ?? stated, shown.map { ConsentPages.dayText($0, .en) } ?? stated)
        return LocalizedText(
            de: "Geburtsdatum: \(de) weicht vom für die Person gespeicherten Geburtsdatum ab; entschieden wird mit dem gespeicherten. Bitte das Feld leer lassen oder, ist das gespeicherte falsch, es berichtigen: beim Erfassen einer Einwilligung mit dem richtigen Geburtsdatum oder über die Meldeliste.",
            en: "Date of birth: \(en) differs from the one recorded for the person; the decision uses the recorded one. Please leave the field empty or, if the record is wrong, correct it: when recording a consent with the right date of birth, or through the registration list.")
    }

    /// Whether the gate refused the check for its birth date (another than the recorded one, before 1900, after the
    /// decision day): the refusal is shown at the birth date field, not at the fields.
    static func isAboutTheBirthDate(_ error: any Error) -> Bool {
        switch error as? GateError {
        case .birthDateDiffersFromRecord?, .birthDateBefore1900?, .bornAfterDecision?: return true
        default: return false
        }
    }

    /// Why the consents the decision found invalid are invalid, one item each (empty: nothing).
    static func invalidConsentList(_ invalid: [InvalidConsentReason], language l: Language) -> HTML {
        guard !invalid.isEmpty else { return .empty }
        let items = invalid.map { r in
            "<li>" + HTMLEscaping.escape((l == .de ? "Einwilligung \(r.id) ungültig: " : "Consent \(r.id) invalid: ")
                + r.failures.map { $0.message(in: l) }.joined(separator: "; ")) + "</li>"
        }.joined()
        return HTML(raw: "<ul class=\"invalid-consents\">\(items)</ul>")
    }
}

extension CheckPage {
    /// The result's first line in words, singular and none said as such (found in a review of the pages, 2026-12-06:
    /// "0 von 1 Feldern dürfen …").
    static func summary(released: Int, of total: Int, partner: String, language l: Language) -> String {
        if total == 1 {
            return l == .de ? "Das Feld darf \(released == 1 ? "" : "nicht ")an \(partner) gehen."
                            : "The field may \(released == 1 ? "" : "not ")go to \(partner)."
        }
        switch released {
        case 0 where total == 2: return l == .de ? "Keines der beiden Felder darf an \(partner) gehen." : "Neither field may go to \(partner)."
        case 0: return l == .de ? "Keines der \(total) Felder darf an \(partner) gehen." : "None of the \(total) fields may go to \(partner)."
        case 1: return l == .de ? "1 von \(total) Feldern darf an \(partner) gehen." : "1 of \(total) fields may go to \(partner)."
        case total where total == 2: return l == .de ? "Beide Felder dürfen an \(partner) gehen." : "Both fields may go to \(partner)."
        case total: return l == .de ? "Alle \(total) Felder dürfen an \(partner) gehen." : "All \(total) fields may go to \(partner)."
        default: return l == .de ? "\(released) von \(total) Feldern dürfen an \(partner) gehen." : "\(released) of \(total) fields may go to \(partner)."
        }
    }
}
