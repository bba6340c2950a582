import ConsentRecords
import Diagnostics
import Foundation
import Gate
import Hummingbird
import PolicyEngine
import Signing

/// Recording a consent from the signed paper form (template, language, clauses, guardians, scan →
/// SHA-256 evidence), showing it, printing the declaration in the person's language, and
/// withdrawing it with one action.
enum ConsentPages {
    static let newTitle = LocalizedText(de: "Einwilligung erfassen", en: "Record a consent")
    static let showTitle = LocalizedText(de: "Einwilligung", en: "Consent")

    static func register(_ r: RouteRegistrar) {
        let env = r.environment
        let gate = env.gate
        r.page(.get, "/consents/new", access: .roles([.caseworker])) { _, page in
            newForm(page, gate: gate)
        }
        r.page(.post, "/consents", access: .roles([.caseworker])) { _, page in
            let l = page.language
            let f = page.form
            let subjectID = try f.required("subject", label: l == .de ? "Fall-ID" : "Case id")
            // The case-id rule up front, as on /check and in POST /v1/consents: the form's 400, not the store's 422.
            if let problem = ConsentDeclaration.caseIDProblem(subjectID) {
                throw WebError.badRequest(code: "invalid-field", de: "Fall-ID \"\(subjectID)\" ungültig: erwartet \(problem.de)",
                                          en: "case id \"\(subjectID)\" is invalid: expected \(problem.en)")
            }
            let template = try f.required("template", label: l == .de ? "Vorlage" : "Template")
            let language = try f.required("language", label: l == .de ? "Sprache" : "Language")
            let clauses = f.all("clauses")
            guard !clauses.isEmpty else {
                throw WebError.badRequest(code: "missing-field", de: "Bitte mindestens eine Klausel auswählen", en: "Please choose at least one clause")
            }
            var subject = Subject(id: subjectID)
            if let b = f["birth-date"], !b.isEmpty {
                guard let day = UTCDay.parse(b) else {
                    throw WebError.badRequest(code: "invalid-field", de: "Geburtsdatum \"\(b)\" ist kein Datum", en: "birth date \"\(b)\" is not a date")
                }
                subject.birthDate = Date(timeIntervalSince1970: Double(day) * 86_400)
            }
            if f["unaccompanied-minor"] == "on" { subject.unaccompaniedMinor = true }
            var grantedAt = Date()
            if let g = f["granted-on"], !g.isEmpty {
                guard let day = UTCDay.parse(g) else {
                    throw WebError.badRequest(code: "invalid-field", de: "Datum \"\(g)\" ist kein Datum", en: "date \"\(g)\" is not a date")
                }
                // Signed on that calendar day; noon UTC keeps it on that day in Berlin too.
                grantedAt = Date(timeIntervalSince1970: Double(day) * 86_400 + 12 * 3600)
            }
            let guardians = (f["guardians"] ?? "").split(whereSeparator: \.isNewline)
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.map { Guardian(name: $0) }
            subject.guardians = guardians.map(\.name)
            let evidence = f.file("scan").map { SHA256.tagged($0.data) }
            let (stored, _) = try ConsentRoutes.grant(subject: subject, template: template, templateVersion: nil, language: language,
                                                      clauses: clauses, grantedAt: grantedAt,
                                                      grantedAtField: f["granted-on"]?.isEmpty == false ? "granted-on" : nil,
                                                      guardians: guardians, evidence: evidence, account: page.account!, gate: gate)
            return PageResponse.seeOther("/consents/\(stored.id)")
        }
        r.page(.get, "/consents/{id}", access: .roles([.caseworker, .dpo])) { _, page in
            let id = try PathParameter.consentID("id", in: page.context)
            let status = try ConsentRoutes.visibleConsent(id, account: page.account!, gate: gate)
            return show(page, status: status)
        }
        r.page(.post, "/consents/{id}/withdraw", access: .roles([.caseworker])) { _, page in
            let id = try PathParameter.consentID("id", in: page.context)
            let account = page.account!
            _ = try ConsentRoutes.visibleConsent(id, account: account, gate: gate)
            _ = try gate.withdrawConsent(id: id, recordedBy: CaseManagerReference(caseManager: account.name, municipality: account.municipality ?? ""),
                                         actor: Actor(id: account.name, municipality: account.municipality))
            return PageResponse.seeOther("/consents/\(id)")
        }
        r.page(.get, "/consents/{id}/declaration", access: .roles([.caseworker, .dpo])) { _, page in
            let id = try PathParameter.consentID("id", in: page.context)
            let status = try ConsentRoutes.visibleConsent(id, account: page.account!, gate: gate)
            guard let c = status.consent?.content else { throw WebError.notFound(page.path) }
            return try ConsentRoutes.declaration(template: c.template.id, version: c.template.version, language: c.language,
                                                 ui: page.language, gate: gate)
        }
    }

    static func newForm(_ page: PageRequest, gate: Gate) -> Response {
        let l = page.language
        let bundle = gate.policy.bundle
        let newest = Dictionary(grouping: bundle.templates, by: \.id).compactMap { $0.value.max { $0.version < $1.version } }.sorted { $0.id < $1.id }
        let templates = newest.map { t -> HTML in
            "<option value=\"\(t.id)\">\(t.id) (v\(t.version))</option>"
        }
        let languages = Set(newest.flatMap { $0.texts.keys }).sorted().map { code -> HTML in
            "<option value=\"\(code)\"\(code == "de" ? HTML(raw: " selected") : .empty)>\(code)</option>"
        }
        let clauseGroups = newest.map { t -> HTML in
            let boxes = t.clauses.map { c -> HTML in
                let id = "clause-\(t.id)-\(c.id)"
                let text = c.text[l.rawValue] ?? c.text["de"] ?? c.id
                let explicit: HTML = c.explicit ? " <strong>(\(l == .de ? "ausdrücklich, Art. 9 DSGVO" : "explicit, GDPR Art. 9"))</strong>" : .empty
                return "<div class=\"check\"><input type=\"checkbox\" id=\"\(id)\" name=\"clauses\" value=\"\(c.id)\"> <label class=\"inline\" for=\"\(id)\">\(text)\(explicit) <span class=\"muted\">(\(c.id))</span></label></div>"
            }
            return "<fieldset><legend>\(l == .de ? "Klauseln" : "Clauses") – \(t.id) v\(t.version)</legend>\(boxes)</fieldset>"
        }
        let printLinks = newest.flatMap { t in t.texts.keys.sorted().map { code -> HTML in
            "<li><a href=\"/v1/consent-templates/\(t.id)/form?language=\(code)\" class=\"no-print\">\(t.id) – \(code)</a></li>"
        } }
        let today = UTCDay.format(UTCDay.day(of: Date()))
        let content: HTML = """
        <p>\(l == .de ? "Übertragen Sie die unterschriebene Papiererklärung. Die Einwilligung wird signiert gespeichert und protokolliert." : "Transfer the signed paper declaration. The consent is stored signed and logged.")</p>
        <form method="post" action="/consents" enctype="multipart/form-data" id="consent-form">
        \(CSRFField(session: page.session!).html)
        <label for="subject">\(l == .de ? "Fall-ID der Person" : "Case id of the person")</label>
        <input type="text" id="subject" name="subject" required autocomplete="off">
        <label for="birth-date">\(l == .de ? "Geburtsdatum" : "Date of birth")</label>
        <input type="date" id="birth-date" name="birth-date">
        <div class="check"><input type="checkbox" id="unaccompanied-minor" name="unaccompanied-minor"> <label class="inline" for="unaccompanied-minor">\(l == .de ? "Unbegleitet minderjährig" : "Unaccompanied minor")</label></div>
        <label for="template">\(l == .de ? "Vorlage" : "Template")</label>
        <select id="template" name="template" required>\(templates)</select>
        <label for="language">\(l == .de ? "Sprache der unterschriebenen Erklärung" : "Language of the signed declaration")</label>
        <select id="language" name="language" required>\(languages)</select>
        \(clauseGroups)
        <label for="granted-on">\(l == .de ? "Unterschrieben am" : "Signed on")</label>
        <input type="date" id="granted-on" name="granted-on" value="\(today)" required>
        <label for="guardians">\(l == .de ? "Sorgeberechtigte (bei Minderjährigen; eine Person je Zeile)" : "Guardians (for minors; one per line)")</label>
        <textarea id="guardians" name="guardians" rows="2"></textarea>
        <label for="scan">\(l == .de ? "Scan der unterschriebenen Erklärung (es wird nur die Prüfsumme gespeichert)" : "Scan of the signed declaration (only its checksum is stored)")</label>
        <input type="file" id="scan" name="scan">
        <div><button type="submit">\(l == .de ? "Einwilligung speichern" : "Save consent")</button></div>
        </form>
        <h2>\(l == .de ? "Erklärung zum Ausdrucken" : "Declaration to print")</h2>
        <ul>\(printLinks)</ul>
        """
        return PageResponse.html(page.layout.render(title: newTitle, content: content))
    }

    static func show(_ page: PageRequest, status: ConsentStatus) -> Response {
        let l = page.language
        let now = Date()
        let state = status.state(at: now)
        let f = status.fact
        let stateText = state.words
        let withdrawn: HTML = f.withdrawnAt.map { "<dt>\(l == .de ? "Widerrufen am" : "Withdrawn on")</dt><dd>\(BerlinTime.element($0, language: l))</dd>" } ?? .empty
        let failures = status.failures.map { e -> HTML in "<li>\(e.message(in: l))</li>" }
        let withdrawForm: HTML = (state == .active || state == .notYetValid) && page.account?.role == .caseworker ? """
            <form method="post" action="/consents/\(status.id)/withdraw" class="no-print">\(CSRFField(session: page.session!).html)
            <button type="submit" id="withdraw">\(l == .de ? "Einwilligung widerrufen" : "Withdraw consent")</button></form>
            """ : .empty
        let content: HTML = """
        <dl class="consent" data-state="\(state.rawValue)">
        <dt>ID</dt><dd>\(status.id)</dd>
        <dt>\(l == .de ? "Person (Fall-ID)" : "Person (case id)")</dt><dd>\(status.record?.subject ?? "")</dd>
        <dt>\(l == .de ? "Status" : "State")</dt><dd id="consent-state">\(stateText[l])</dd>
        <dt>\(l == .de ? "Vorlage" : "Template")</dt><dd>\(f.templateID) v\(Int(f.templateVersion))</dd>
        <dt>\(l == .de ? "Klauseln" : "Clauses")</dt><dd>\(f.clauses.joined(separator: ", "))</dd>
        <dt>\(l == .de ? "Erteilt am" : "Granted on")</dt><dd>\(BerlinTime.element(f.grantedAt, language: l))</dd>
        <dt>\(l == .de ? "Gültig bis" : "Valid until")</dt><dd>\(BerlinTime.element(f.expiresAt, language: l))</dd>
        \(withdrawn)
        </dl>
        \(failures.isEmpty ? HTML.empty : "<div class=\"alert\" role=\"alert\"><ul>\(failures)</ul></div>")
        <p><a href="/consents/\(status.id)/declaration">\(l == .de ? "Erklärung in der Sprache der Person drucken" : "Print the declaration in the person's language")</a></p>
        \(withdrawForm)
        """
        return PageResponse.html(page.layout.render(title: showTitle, content: content))
    }
}
