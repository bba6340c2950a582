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
        let sessions = env.sessions
        r.page(.get, "/consents/new", access: .roles([.caseworker])) { _, page in
            // Entries kept from a form sent after the session ended: shown once, filled in, never recorded here.
            if let s = page.session, let kept = await sessions.takeKeptEntries(id: s.id, target: .consent) {
                let digest = kept.form["scan-digest"].flatMap { ConsentRoutes.GrantJSON.isEvidenceDigest($0) ? $0 : nil }
                return newForm(page, gate: gate, form: kept.form, problems: FormProblems(), evidence: digest,
                               notice: LoginPages.restoredNote(page.language, scanKept: digest != nil))
            }
            return newForm(page, gate: gate)
        }
        r.page(.post, "/consents", access: .roles([.caseworker]), keepsEntries: .consent) { _, page in
            try record(page, gate: gate)
        }
        r.page(.get, "/consents/{id}", access: .roles([.caseworker, .dpo])) { _, page in
            let id = try PathParameter.consentID("id", in: page.context)
            let status = try ConsentRoutes.visibleConsent(id, account: page.account!, gate: gate)
            return show(page, status: status, policy: gate.policy)
        }
        r.page(.post, "/consents/{id}/withdraw", access: .roles([.caseworker])) { _, page in
            let id = try PathParameter.consentID("id", in: page.context)
            let account = page.account!
            _ = try ConsentRoutes.visibleConsent(id, account: account, gate: gate)
            _ = try gate.withdrawConsent(id: id, recordedBy: CaseManagerReference(caseManager: account.name, municipality: account.municipality ?? ""),
                                         actor: Actor(id: account.name, municipality: account.municipality),
                                         admitting: { stored in try SubjectAccess.requireSameMunicipality(stored?.municipality, account: account) })
            return PageResponse.seeOther("/consents/\(id)")
        }
        r.page(.get, "/consents/{id}/declaration", access: .roles([.caseworker, .dpo])) { _, page in
            let id = try PathParameter.consentID("id", in: page.context)
            let status = try ConsentRoutes.visibleConsent(id, account: page.account!, gate: gate)
            guard let c = status.consent?.content else { throw WebError.notFound(page.path) }
            // A copy of what was recorded (clauses ticked, case id, date, recorder), not the blank form to sign.
            var berlin = Calendar(identifier: .gregorian)
            berlin.timeZone = BerlinTime.zone
            let day = berlin.dateComponents([.year, .month, .day], from: c.grantedAt)
            let copy = ConsentForm.RecordedCopy(consentID: c.idText, caseID: c.subject,
                                                grantedOn: String(format: "%04d-%02d-%02d", day.year ?? 0, day.month ?? 0, day.day ?? 0),
                                                caseManager: c.collectedBy.caseManager, municipality: c.collectedBy.municipality,
                                                clauses: Set(c.clauses))
            return try ConsentRoutes.declaration(template: c.template.id, version: c.template.version, language: c.language,
                                                 ui: page.language, gate: gate, recorded: copy)
        }
        // The blank declaration of a template to print before the person signs (the page twin of
        // `GET /v1/consent-templates/{id}/form`, which takes a bearer token only).
        r.page(.get, "/declarations/{id}", access: .roles([.caseworker, .dpo])) { request, page in
            let id = try PathParameter.text("id", in: page.context)
            let language = request.uri.queryParameters["language"].map(String.init) ?? "de"
            return try ConsentRoutes.declaration(template: id, language: language, ui: page.language, gate: gate)
        }
    }

    /// The empty form.
    static func newForm(_ page: PageRequest, gate: Gate) -> Response {
        newForm(page, gate: gate, form: FormData(), problems: FormProblems())
    }

    /// The newest version of every consent template, by id.
    static func newestTemplates(_ gate: Gate) -> [ConsentTemplate] {
        Dictionary(grouping: gate.policy.bundle.templates, by: \.id).compactMap { $0.value.max { $0.version < $1.version } }.sorted { $0.id < $1.id }
    }

    /// The form field of template `id`'s clause boxes: each template's boxes are their own field, so a box of
    /// one template can never be recorded as a clause of another with the same id.
    static func clauseField(_ templateID: String) -> String { "clauses.\(templateID)" }

    /// The hidden field holding the version of a template the form showed.
    static func templateVersionField(_ templateID: String) -> String { "template-version.\(templateID)" }

    /// The `id` of a clause box.
    static func clauseBoxID(_ templateID: String, _ clauseID: String) -> String { "clause-\(templateID)-\(clauseID)" }

    /// The names of the declaration languages, for the case manager (the code alone is ambiguous: `uk` is Ukrainian).
    static let languageNames: [String: LocalizedText] = [
        "de": LocalizedText(de: "Deutsch", en: "German"),
        "en": LocalizedText(de: "Englisch", en: "English"),
        "uk": LocalizedText(de: "Ukrainisch", en: "Ukrainian"),
    ]

    /// `Ukrainisch (uk)`; an unknown code as it is.
    static func languageName(_ code: String, _ l: Language) -> String {
        languageNames[code].map { "\($0[l]) (\(code))" } ?? code
    }

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

    /// `POST /consents`: records the consent, or answers the form again with every entry (the scan as its
    /// checksum) and the problems at their controls.
    static func record(_ page: PageRequest, gate: Gate, now: Date = Date()) throws -> Response {
        let f = page.form
        var problems = FormProblems()
        let subjectID = f["subject"]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if subjectID.isEmpty {
            problems.add("subject", FormProblems.missing(subjectLabel))
        } else if let problem = ConsentDeclaration.caseIDProblem(subjectID) {
            // The case-id rule up front, as on /check and in POST /v1/consents: the form's 400, not the store's 422.
            problems.add("subject", LocalizedText(de: "Fall-ID \"\(subjectID)\" ungültig: erwartet \(problem.de)",
                                                  en: "case id \"\(subjectID)\" is invalid: expected \(problem.en)"))
        }
        var subject = Subject(id: subjectID)
        if let b = f["birth-date"], !b.isEmpty {
            if let day = UTCDay.parse(b) {
                subject.birthDate = Date(timeIntervalSince1970: Double(day) * 86_400)
            } else {
                problems.add("birth-date", LocalizedText(de: "Geburtsdatum \"\(b)\" ist kein Datum (JJJJ-MM-TT)", en: "birth date \"\(b)\" is not a date (YYYY-MM-DD)"))
            }
        }
        if f["unaccompanied-minor"] == "on" { subject.unaccompaniedMinor = true }
        let templates = newestTemplates(gate)
        let templateID = f["template"]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        let template = templates.first { $0.id == templateID }
        if templateID.isEmpty {
            problems.add("template", FormProblems.missing(templateLabel))
        } else if template == nil {
            problems.add("template", LocalizedText(de: "unbekannte Vorlage \"\(templateID)\" (vorhanden: \(templates.map(\.id).joined(separator: ", ")))",
                                                   en: "unknown template \"\(templateID)\" (available: \(templates.map(\.id).joined(separator: ", ")))"),
                         status: .unprocessableContent)
        }
        // The form names the version it showed of each template: a bundle bumped while the page was open (a restart of
        // the service) must not turn a declaration read on one version into a consent on another without a word.
        if let t = template, let shown = f[templateVersionField(t.id)], !shown.isEmpty, shown != String(t.version) {
            problems.add("template", LocalizedText(
                de: "Die Vorlage \(t.id) liegt inzwischen in Version \(t.version) vor, das Formular zeigte Version \(shown): bitte prüfen, welche Fassung die Person unterschrieben hat, und erneut absenden",
                en: "template \(t.id) is now version \(t.version), the form showed version \(shown): please check which version the person signed, then submit again"),
                         status: .conflict)
        }
        let language = f["language"]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if language.isEmpty {
            problems.add("language", FormProblems.missing(languageLabel))
        } else if let t = template, t.texts[language] == nil {
            let available = t.texts.keys.sorted()
            problems.add("language", LocalizedText(
                de: "Die Vorlage \(t.id) gibt es nicht auf \(languageName(language, .de)), nur auf: \(available.map { languageName($0, .de) }.joined(separator: ", "))",
                en: "template \(t.id) does not exist in \(languageName(language, .en)), only in: \(available.map { languageName($0, .en) }.joined(separator: ", "))"))
        }
        let boxesAnchor = (template ?? templates.first).flatMap { t in t.clauses.first.map { clauseBoxID(t.id, $0.id) } }
        let clauses = template.map { f.all(clauseField($0.id)) + f.all("clauses") } ?? []
        let elsewhere = templates.filter { $0.id != template?.id && !f.all(clauseField($0.id)).isEmpty }.map(\.id)
        if !elsewhere.isEmpty, let t = template {
            problems.add("clauses", anchor: templates.first { $0.id == elsewhere[0] }?.clauses.first.map { clauseBoxID(elsewhere[0], $0.id) },
                         LocalizedText(de: "Angekreuzt sind Klauseln der Vorlage \(elsewhere.joined(separator: ", ")), gewählt ist aber die Vorlage \(t.id): bitte die Klauseln der gewählten Vorlage ankreuzen oder die Vorlage ändern",
                                       en: "clauses of template \(elsewhere.joined(separator: ", ")) are ticked, but template \(t.id) is chosen: tick the chosen template's clauses or change the template"))
        } else if template != nil, clauses.isEmpty {
            problems.add("clauses", anchor: boxesAnchor,
                         LocalizedText(de: "Bitte mindestens eine Klausel auswählen", en: "Please choose at least one clause"))
        }
        var grantedAt = now
        if let g = f["granted-on"], !g.isEmpty {
            if let day = UTCDay.parse(g) {
                if let t = signingTime(day: day, now: now) {
                    grantedAt = t
                } else {
                    problems.add("granted-on", LocalizedText(de: "Das Datum der Unterschrift \(g) liegt in der Zukunft", en: "the signing date \(g) lies in the future"))
                }
            } else {
                problems.add("granted-on", LocalizedText(de: "Datum \"\(g)\" ist kein Datum (JJJJ-MM-TT)", en: "date \"\(g)\" is not a date (YYYY-MM-DD)"))
            }
        }
        let guardians = (f["guardians"] ?? "").split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.map { Guardian(name: $0) }
        subject.guardians = guardians.map(\.name)
        // The scan: its checksum, from the upload, or kept from a refused earlier submission (a browser cannot refill a file field).
        var evidence = f.file("scan").map { SHA256.tagged($0.data) }
        if evidence == nil, let kept = f["scan-digest"], !kept.isEmpty {
            if ConsentRoutes.GrantJSON.isEvidenceDigest(kept) { evidence = kept } else {
                problems.add("scan", LocalizedText(de: "Prüfsumme des Scans ungültig; bitte den Scan erneut auswählen",
                                                   en: "the scan's checksum is invalid; please choose the scan again"))
            }
        }
        guard problems.isEmpty, let template else { return newForm(page, gate: gate, form: f, problems: problems, evidence: evidence, now: now) }
        do {
            let (stored, _) = try ConsentRoutes.grant(subject: subject, template: template.id, templateVersion: template.version, language: language,
                                                      clauses: clauses, grantedAt: grantedAt, guardians: guardians, evidence: evidence,
                                                      account: page.account!, gate: gate)
            return PageResponse.seeOther("/consents/\(stored.id)")
        } catch {
            // Refused below the form: the problem at the control it is about, every entry kept.
            switch error {
            case let ConsentError.guardianMissing(_, age, minimumAge):
                problems.add("guardians", LocalizedText(
                    de: "Die Person war bei der Unterschrift \(age) Jahre alt (unter \(minimumAge)): bitte mindestens eine sorgeberechtigte Person eintragen, die unterschrieben hat",
                    en: "the person was \(age) years old when signing (under \(minimumAge)): please enter at least one guardian who signed"),
                    status: .unprocessableContent)
            case SigningError.noUsableKey(role: .consentSigner, reasons: _):
                problems.add("granted-on", LocalizedText(
                    de: "Am \(f["granted-on"] ?? "") war kein Schlüssel zum Signieren von Einwilligungen gültig; bitte das Datum der Unterschrift prüfen",
                    en: "no key for signing consents was valid on \(f["granted-on"] ?? ""); please check the signing date"))
            case ConsentError.grantedInFuture:
                problems.add("granted-on", LocalizedText(de: "Das Datum der Unterschrift liegt in der Zukunft", en: "the signing date lies in the future"),
                             status: .unprocessableContent)
            case ConsentError.languageNotInTemplate:
                _ = problems.add("language", refusal: error)
            case ConsentError.clauseNotInTemplate:
                _ = problems.add("clauses", anchor: boxesAnchor, refusal: error)
            case let e as WebError where e.status == .forbidden:
                _ = problems.add("subject", refusal: e)
            default:
                guard problems.add("form", anchor: "subject", refusal: error) else { throw error }
            }
            return newForm(page, gate: gate, form: f, problems: problems, evidence: evidence, now: now)
        }
    }

    /// The form to record a consent, filled with `form`'s entries and showing `problems` (the answer's status is
    /// theirs); `evidence` is the checksum of a scan sent with a refused submission, kept in a hidden field.
    static func newForm(_ page: PageRequest, gate: Gate, form: FormData, problems: FormProblems, evidence: String? = nil, now: Date = Date(),
                        notice: HTML = .empty) -> Response {
        let l = page.language
        let newest = newestTemplates(gate)
        let chosenTemplate = form["template"] ?? newest.first?.id
        let templates = newest.map { t -> HTML in
            let sel: HTML = t.id == chosenTemplate ? HTML(raw: " selected") : .empty
            let langs = t.texts.keys.sorted().joined(separator: ", ")
            return "<option value=\"\(t.id)\"\(sel)>\(t.id) (v\(t.version); \(langs))</option>"
        }
        // The version shown of each template, sent back with the form (checked on submission).
        let versionFields = newest.map { t -> HTML in "<input type=\"hidden\" name=\"\(templateVersionField(t.id))\" value=\"\(t.version)\">" }
        let chosenLanguage = form["language"] ?? "de"
        let languages = Set(newest.flatMap { $0.texts.keys }).sorted().map { code -> HTML in
            "<option value=\"\(code)\"\(code == chosenLanguage ? HTML(raw: " selected") : .empty)>\(languageName(code, l))</option>"
        }
        // The clause problem shows in the chosen template's group (or the first).
        let problemGroup = newest.first { $0.id == chosenTemplate }?.id ?? newest.first?.id
        let clauseGroups = newest.map { t -> HTML in
            let ticked = Set(form.all(clauseField(t.id)) + (t.id == chosenTemplate ? form.all("clauses") : []))
            let boxes = t.clauses.map { c -> HTML in
                let id = clauseBoxID(t.id, c.id)
                let text = c.text[l.rawValue] ?? c.text["de"] ?? c.id
                let explicit: HTML = c.explicit ? " <strong>(\(l == .de ? "ausdrücklich, Art. 9 DSGVO" : "explicit, GDPR Art. 9"))</strong>" : .empty
                let on: HTML = ticked.contains(c.id) ? HTML(raw: " checked") : .empty
                return "<div class=\"check\"><input type=\"checkbox\" id=\"\(id)\" name=\"\(clauseField(t.id))\" value=\"\(c.id)\"\(on)> <label class=\"inline\" for=\"\(id)\">\(text)\(explicit) <span class=\"muted\">(\(c.id))</span></label></div>"
            }
            let mine = t.id == problemGroup
            return "<fieldset id=\"clauses-\(t.id)\"\(mine ? problems.groupAttributes("clauses") : .empty)><legend>\(l == .de ? "Klauseln" : "Clauses") – \(t.id) v\(t.version) <span class=\"required-note\">(\(clausesRequired[l]))</span></legend>\(mine ? problems.message("clauses", language: l) : .empty)\(boxes)</fieldset>"
        }
        let printLinks = newest.flatMap { t in t.texts.keys.sorted().map { code -> HTML in
            "<li><a href=\"/declarations/\(t.id)?language=\(code)\" hreflang=\"\(code)\">\(t.id) – \(languageName(code, l))</a></li>"
        } }
        // Printed, the form's controls are no use on paper: the page prints only where the declaration to print and sign is.
        let printAddresses = newest.flatMap { t in t.texts.keys.sorted().map { code -> HTML in
            "<li>\(t.id) – \(languageName(code, l)): /declarations/\(t.id)?language=\(code)</li>"
        } }
        let printNote: HTML = "<div class=\"print-only\" id=\"print-note\"><p>\(printNoteText[l])</p><ul>\(printAddresses)</ul></div>"
        let today = UTCDay.format(berlinDay(of: now))
        let keptScan: HTML = evidence.map { digest in
            let name = form.file("scan")?.filename ?? form["scan-name"] ?? ""
            return """
            <input type="hidden" name="scan-digest" value="\(digest)"><input type="hidden" name="scan-name" value="\(name)">
            <p class="notice" id="scan-kept">\(l == .de ? "Scan erhalten" : "Scan received")\(name.isEmpty ? "" : ": \(name)") (\(String(digest.prefix(19)))…). \(l == .de ? "Nur zum Ersetzen erneut auswählen." : "Choose a file again only to replace it.")</p>
            """
        } ?? .empty
        let content: HTML = """
        \(notice)\(problems.summary(language: l))
        <p class="no-print">\(l == .de ? "Übertragen Sie die unterschriebene Papiererklärung. Die Einwilligung wird signiert gespeichert und protokolliert." : "Transfer the signed paper declaration. The consent is stored signed and logged.")</p>
        \(printNote)
        <form method="post" action="/consents" enctype="multipart/form-data" id="consent-form" class="no-print">
        \(CSRFField(session: page.session!).html)
        <label for="subject">\(subjectLabel[l])</label>
        \(problems.message("subject", language: l))
        <input type="text" id="subject" name="subject" value="\(form["subject"] ?? "")" required autocomplete="off"\(problems.attributes("subject"))>
        <label for="birth-date">\(birthDateLabel[l])</label>
        \(problems.message("birth-date", language: l))
        <input type="date" id="birth-date" name="birth-date" value="\(form["birth-date"] ?? "")"\(problems.attributes("birth-date"))>
        <div class="check"><input type="checkbox" id="unaccompanied-minor" name="unaccompanied-minor"\(form["unaccompanied-minor"] == "on" ? HTML(raw: " checked") : .empty)> <label class="inline" for="unaccompanied-minor">\(l == .de ? "Unbegleitet minderjährig" : "Unaccompanied minor")</label></div>
        <label for="template">\(templateLabel[l])</label>
        \(problems.message("template", language: l))
        <select id="template" name="template" required\(problems.attributes("template"))>\(templates)</select>\(versionFields)
        <label for="language">\(languageLabel[l])</label>
        \(problems.message("language", language: l))
        <select id="language" name="language" required\(problems.attributes("language"))>\(languages)</select>
        \(clauseGroups)
        <label for="granted-on">\(signedOnLabel[l])</label>
        \(problems.message("granted-on", language: l))
        <input type="date" id="granted-on" name="granted-on" value="\(form["granted-on"] ?? today)" required\(problems.attributes("granted-on"))>
        <label for="guardians">\(guardiansLabel[l])</label>
        \(problems.message("guardians", language: l))
        <textarea id="guardians" name="guardians" rows="2"\(problems.attributes("guardians"))>\(form["guardians"] ?? "")</textarea>
        <label for="scan">\(scanLabel[l])</label>
        \(problems.message("scan", language: l))
        \(keptScan)
        <input type="file" id="scan" name="scan"\(problems.attributes("scan", hints: evidence == nil ? [] : ["scan-kept"]))>
        <div><button type="submit">\(l == .de ? "Einwilligung speichern" : "Save consent")</button></div>
        </form>
        <h2 class="no-print">\(l == .de ? "Erklärung zum Ausdrucken" : "Declaration to print")</h2>
        <ul class="no-print">\(printLinks)</ul>
        """
        // Framed as /consents/new also when answering a refused POST /consents: the language switch then leads to
        // the form (a GET of /consents is a 405) and the navigation marks the page as current.
        let layout = Layout(language: l, account: page.account, session: page.session, path: "/consents/new", query: nil)
        return PageResponse.html(layout.render(title: newTitle, content: content), status: problems.isEmpty ? .ok : problems.status)
    }
}
