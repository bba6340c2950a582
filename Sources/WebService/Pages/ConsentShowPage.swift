import AuditLog
import ConsentRecords
import Diagnostics
import Foundation
import Gate
import Hummingbird
import PolicyEngine
import Signing

extension ConsentPages {
    /// A recorded consent as signed: state, template, each clause with its wording (from the policy's template of
    /// that version, in the reader's language), the declaration's language, guardians, who recorded it where, the
    /// scan's checksum, the validity; the lines (clauses) withdrawn singly, with their times; the verification
    /// problems, if any; print, withdraw the whole consent (one button), and withdraw chosen lines (a checkbox per line
    /// still granted). `linesProblem`: why a withdrawal of lines was just refused (then shown at the choice, or above the
    /// details when the choice is gone, status 422).
    /// `birthDateChange`: the change of the person's recorded birth date that recording this consent made, as its
    /// `consent-granted` entry notes it (nil: none).
    static func show(_ page: PageRequest, status: ConsentStatus, policy: CompiledPolicy, linesProblem: String? = nil,
                     birthDateChange: BirthDateChange? = nil, referralRecipients: [ReferralRecipient] = [],
                     noticeProblem: String? = nil, done: ConsentAction? = nil) -> Response {
        let l = page.language
        let now = Date()
        let state = status.state(at: now)
        let f = status.fact
        let stateText = state.words
        // The version the consent was signed on, an earlier one the bundle keeps included: its clauses' wording is what the
        // person agreed to.
        let template = policy.bundle.template(f.templateID, version: f.templateVersion)
        // The withdrawal on record, also one that fails verification (the state is then "invalid", and the failure list
        // says why the withdrawal fails): the person did withdraw, and nothing is released either way.
        let withdrawn: HTML = status.withdrawnAtOnRecord.map { "<dt>\(l == .de ? "Widerrufen am" : "Withdrawn on")</dt><dd>\(BerlinTime.element($0, language: l))</dd>" } ?? .empty
        let failures = status.failures.map { e -> HTML in "<li>\(e.message(in: l))</li>" }
        // Withdrawal at any time (Art. 7(3) GDPR): also of a consent that waits for the birth date (it counts as soon
        // as one is recorded) or fails verification; not of one already withdrawn or expired (nothing left to end), nor
        // of one whose whole withdrawal is on record but fails verification (state `invalid`): the store keeps that
        // withdrawal and would record nothing new, so the buttons would do nothing (found in session 28's review).
        let withdrawable = state != .withdrawn && state != .expired && status.withdrawnAtOnRecord == nil
        let mayWithdraw = withdrawable && page.account?.role == .caseworker
        let lineChoice = mayWithdraw ? linesForm(status, template: template, page: page, problem: linesProblem) : .empty
        let withdrawForm: HTML = mayWithdraw ? """
            <form method="post" action="/consents/\(status.id)/withdraw" class="no-print">\(CSRFField(session: page.session!).html)
            <button type="submit" id="withdraw">\(wholeWithdrawalLabel[l])</button></form>
            \(lineChoice)
            """ : .empty
        // A refusal where the choice is no longer shown (the consent was withdrawn meanwhile, or its last line): the
        // message above the details, or the page came back 422 without a word (found in a review of the pages).
        let problemAbove: HTML = lineChoice == .empty ? linesProblem.map { "<p id=\"withdraw-lines-problem\" class=\"alert\" role=\"alert\">\($0)</p>" } ?? .empty : .empty
        let lines = withdrawnLines(status, template: template, language: l)
        let content: HTML = """
        \(done.map { $0.notice(status, recipients: referralRecipients, language: l) } ?? .empty)
        \(problemAbove)
        <dl class="consent" data-state="\(state.rawValue)">
        <dt>ID</dt><dd>\(status.id)</dd>
        <dt>\(l == .de ? "Person (Fall-ID)" : "Person (case id)")</dt><dd>\(status.record?.subject ?? "")</dd>
        <dt>\(l == .de ? "Status" : "State")</dt><dd id="consent-state">\(stateText[l])</dd>
        <dt>\(l == .de ? "Vorlage" : "Template")</dt><dd>\(template?.title.map { "\($0[l]) – " } ?? "")\(f.templateID) v\(Int(f.templateVersion))</dd>
        <dt>\(l == .de ? "Klauseln" : "Clauses")</dt><dd>\(clauseList(f.clauses, template: template, language: l, withdrawn: Set(status.withdrawnClauses.map(\.clause))))</dd>
        \(status.consent.map { c -> HTML in "<dt>\(l == .de ? "Sprache der Erklärung" : "Language of the declaration")</dt><dd>\(languageName(c.content.language, l, policy.bundle))</dd>" } ?? .empty)
        \(status.consent.map { signedDetails($0.content, language: l) } ?? .empty)
        <dt>\(l == .de ? "Erteilt am" : "Granted on")</dt><dd>\(BerlinTime.dayElement(f.grantedAt, language: l))</dd>
        <dt>\(l == .de ? "Gültig bis" : "Valid until")</dt><dd>\(BerlinTime.element(f.expiresAt, language: l))</dd>
        \(withdrawn)
        \(lines)
        \(birthDateChange.map { birthDateNote($0, language: l) } ?? .empty)
        </dl>
        \(failures.isEmpty ? HTML.empty : "<div class=\"alert\" role=\"alert\"><ul>\(failures)</ul></div>")
        \(recipientsSection(referralRecipients, wholeConsent: status.withdrawnAtOnRecord != nil, policy: policy, page: page, consent: status.id,
                            problem: noticeProblem))
        \(printCopy(status, policy: policy, language: l))
        \(withdrawForm)
        """
        return PageResponse.html(page.layout.render(title: title(status), content: content),
                                 status: linesProblem == nil && noticeProblem == nil ? .ok : .unprocessableContent)
    }

    /// The link to print a copy of the declaration in the person's language; where the policy no longer (or never) gave the
    /// form's wording in that language (`form-languages`), the reason instead of a link to a refusal.
    static func printCopy(_ status: ConsentStatus, policy: CompiledPolicy, language l: Language) -> HTML {
        let language = status.consent?.content.language ?? "de"
        guard ConsentForm.languages(countyLanguages: policy.bundle.formLanguages).contains(language) else {
            return "<p class=\"no-print muted\" id=\"print-copy-unavailable\">\(l == .de ? "Eine Abschrift der Erklärung lässt sich nicht drucken: die Richtlinie enthält den Rahmentext des Formulars in der Sprache der Person (\(language)) nicht (`form-languages`)." : "A copy of the declaration cannot be printed: the policy does not hold the form's wording in the person's language (\(language)) (`form-languages`).")</p>"
        }
        return "<p class=\"no-print\"><a href=\"/consents/\(status.id)/declaration\" id=\"print-copy\">\(l == .de ? "Abschrift der Erklärung in der Sprache der Person drucken (erteilte Klauseln angekreuzt)" : "Print a copy of the declaration in the person's language (granted clauses ticked)")</a></p>"
    }

    /// Who received data on the withdrawn consent (or lines) by referral, by partner with the fields, referrals and log
    /// entries: whom the case manager tells (GDPR Art. 19); the next export run tells export recipients itself. Nothing
    /// when there is none.
    /// Each partner says whether the case manager recorded telling it (with the log entry), and a case worker has a
    /// button to record that (`POST /consents/{id}/referral-notice`).
    /// `problem`: why recording a notice was just refused, shown at the top of the section (status 422). Each button has
    /// the day the partner was told beside it, today (Berlin, at `now`) unless changed.
    static func recipientsSection(_ recipients: [ReferralRecipient], wholeConsent: Bool, policy: CompiledPolicy, page: PageRequest,
                                  consent: String, problem: String? = nil, now: Date = Date()) -> HTML {
        let l = page.language
        let alert: HTML = problem.map { "<p id=\"referral-notice-problem\" class=\"alert\" role=\"alert\">\($0)</p>" } ?? .empty
        guard !recipients.isEmpty else { return alert }
        let mayRecord = page.account?.role == .caseworker
        let today = UTCDay.format(BerlinDay.day(of: now))
        let items = recipients.map { r -> HTML in
            let partner = policy.bundle.partner(r.partner)?.name[l] ?? r.partner
            let fields = r.fields.map { PolicyWidgets.fieldLabel($0, policy: policy, language: l) }.joined(separator: ", ")
            let refs = r.referrals.isEmpty ? "" : (l == .de ? "Vermittlung " : "referral ") + r.referrals.joined(separator: ", ") + "; "
            let one = r.entries.count == 1
            let entries = (l == .de ? (one ? "Protokolleintrag " : "Protokolleinträge ") : (one ? "log entry " : "log entries "))
                + r.entries.map(String.init).joined(separator: ", ")
            let entriesText = r.notified.map(String.init).joined(separator: ", ")
            // Told of some lines, not of lines withdrawn since: said, and the button stays (a review found the partner shown
            // as told, the button gone, for data it had never been told of). Each button and date names its partner for a
            // screen reader, which would otherwise hear the same words at every partner, after the visible words (WCAG 2.5.3).
            let state: HTML = r.told
                ? " <span class=\"notice-state\" data-notified=\"true\">\(l == .de ? "– benachrichtigt, vermerkt in Protokolleintrag" : "– told, recorded in log entry") \(entriesText)</span>"
                : r.notified.isEmpty
                    ? " <span class=\"notice-state\" data-notified=\"false\">\(l == .de ? "– noch nicht als benachrichtigt vermerkt" : "– not yet recorded as told")</span>"
                    : " <span class=\"notice-state\" data-notified=\"partly\">\(l == .de ? "– benachrichtigt (Protokolleintrag \(entriesText)), noch nicht über die Zeilen" : "– told (log entry \(entriesText)), not yet of the lines") \(r.outstanding.joined(separator: ", "))</span>"
            // The day the partner was told: today unless changed (a call yesterday recorded today); the report shows it.
            let button: HTML = mayRecord && !r.told ? """
                <form method="post" action="/consents/\(consent)/referral-notice" class="inline-form no-print">\(CSRFField(session: page.session!).html)<input type="hidden" name="partner" value="\(r.partner)"><label class="inline" for="told-on-\(r.partner)">\(l == .de ? "Benachrichtigt am" : "Told on")</label> <input type="date" id="told-on-\(r.partner)" name="told-on" value="\(today)" max="\(today)" required aria-label="\(l == .de ? "Benachrichtigt am (\(partner))" : "Told on (\(partner))")"> <button type="submit" id="referral-notice-\(r.partner)" aria-label="\(l == .de ? "Benachrichtigung vermerken: \(partner)" : "Record that it was told: \(partner)")">\(l == .de ? "Benachrichtigung vermerken" : "Record that it was told")</button></form>
                """ : .empty
            let told: HTML = "\(state)\(button)"
            return "<li data-partner=\"\(r.partner)\"><strong>\(partner)</strong>: \(fields) <span class=\"muted\">(\(refs)\(entries))</span>\(told)</li>"
        }
        let on = wholeConsent ? (l == .de ? "auf Grundlage dieser Einwilligung" : "on the basis of this consent")
            : (l == .de ? "auf Grundlage der widerrufenen Zeilen" : "under the withdrawn lines")
        return """
            <section id="referral-recipients" aria-labelledby="referral-recipients-h"><h2 id="referral-recipients-h">\(l == .de ? "Über den Widerruf zu benachrichtigen (Art. 19 DSGVO)" : "To be told of the withdrawal (GDPR Art. 19)")</h2>
            <p>\(l == .de ? "Diese Stellen erhielten über Vermittlungen Daten \(on); wer vermittelt hat, benachrichtigt sie und vermerkt es hier (es erscheint in der Auskunft nach Art. 15). Empfänger von Exporten benachrichtigt der nächste Exportlauf." : "These partners received data \(on) through referrals; whoever made the referral tells them and records it here (it shows in the Art. 15 report). The next export run tells export recipients.")</p>
            \(alert)<ul>\(items)</ul></section>
            """
    }

    /// That recording this consent replaced the person's recorded birth date, told as the two ages at signing (entries
    /// and pages hold no birth dates): the guardian rule and every later decision count the new one.
    static func birthDateNote(_ change: BirthDateChange, language l: Language) -> HTML {
        let text = l == .de
            ? "Bei der Aufnahme dieser Einwilligung wurde das gespeicherte Geburtsdatum ersetzt (Alter bei der Unterschrift: bisher \(change.ageBefore), jetzt \(change.ageAfter))."
            : "Recording this consent replaced the birth date on record (age at signing: before \(change.ageBefore), now \(change.ageAfter))."
        return "<dt>\(l == .de ? "Geburtsdatum" : "Birth date")</dt><dd id=\"birth-date-changed\" data-age-before=\"\(Int(change.ageBefore))\" data-age-after=\"\(Int(change.ageAfter))\">\(text)</dd>"
    }

    /// The lines (clauses) withdrawn singly, each with its wording and time (Berlin), earliest first; nothing when none.
    static func withdrawnLines(_ status: ConsentStatus, template: ConsentTemplate?, language l: Language) -> HTML {
        let withdrawn = status.withdrawnClauses
        guard !withdrawn.isEmpty else { return .empty }
        let items = withdrawn.map { line -> HTML in
            let text = clauseText(line.clause, template: template, language: l)
            return "<li data-clause=\"\(line.clause)\"><code>\(line.clause)</code>\(text.map { t -> HTML in " – \(t)" } ?? .empty): \(l == .de ? "widerrufen am" : "withdrawn on") \(BerlinTime.element(line.at, language: l))</li>"
        }
        return "<dt>\(l == .de ? "Einzeln widerrufene Zeilen" : "Lines withdrawn singly")</dt><dd><ul id=\"withdrawn-clauses\">\(items)</ul></dd>"
    }

    /// The form to withdraw chosen lines: a labelled checkbox per line still granted (its wording from the template),
    /// in a fieldset whose legend says what it does, the CSRF field, and its own button; none when no line is left.
    static func linesForm(_ status: ConsentStatus, template: ConsentTemplate?, page: PageRequest, problem: String?) -> HTML {
        let l = page.language
        let gone = Set(status.withdrawnClauses.map(\.clause))
        let open = status.fact.clauses.filter { !gone.contains($0) }
        guard !open.isEmpty else { return .empty }
        let boxes = open.enumerated().map { i, id -> HTML in
            let text = clauseText(id, template: template, language: l)
            return "<div class=\"check\"><input type=\"checkbox\" id=\"clause-\(i)\" name=\"clause\" value=\"\(id)\"\(problem == nil ? HTML.empty : HTML(raw: " aria-describedby=\"withdraw-lines-problem\""))> <label class=\"inline\" for=\"clause-\(i)\">\(text ?? id) <span class=\"muted\">(\(id))</span></label></div>"
        }
        let alert: HTML = problem.map { "<p id=\"withdraw-lines-problem\" class=\"alert\" role=\"alert\">\($0)</p>" } ?? .empty
        return """
            <form method="post" action="/consents/\(status.id)/withdraw-lines" class="no-print" id="withdraw-lines-form">\(CSRFField(session: page.session!).html)
            <fieldset><legend>\(linesFieldLabel[l]) \(l == .de ? "(die übrigen gelten weiter)" : "(the others still hold)")</legend>
            \(alert)\(boxes)
            </fieldset>
            <button type="submit" id="withdraw-lines">\(l == .de ? "Ausgewählte Zeilen widerrufen" : "Withdraw the chosen lines")</button></form>
            """
    }

    /// The wording of clause `id` in `language` (German when the template has none in it), or nil.
    static func clauseText(_ id: String, template: ConsentTemplate?, language l: Language) -> String? {
        template?.clauses.first { $0.id == id }.flatMap { $0.text[l.rawValue] ?? $0.text["de"] }
    }

    /// The page's title and heading: whose consent, granted when. Every consent page used to be titled just
    /// "Einwilligung": tabs, history and a screen reader's page announcement could not tell them apart (WCAG 2.4.2).
    static func title(_ status: ConsentStatus) -> LocalizedText {
        let subject = status.record?.subject ?? status.id
        let granted = status.fact.grantedAt
        let day = BerlinDay.day(of: granted)
        return LocalizedText(de: "\(showTitle.de) von \(subject), erteilt am \(UTCDay.words(day, language: .de))",
                             en: "\(showTitle.en) of \(subject), granted \(UTCDay.words(day, language: .en))")
    }

    /// The granted clauses, each with its wording in `language` (German when the template has none in it); the id
    /// alone when the policy no longer holds the template's version or the clause has no wording. A line among
    /// `withdrawn` says so beside it (a quick reader of "Klauseln" took withdrawn lines for current ones: a review of the
    /// pages, 2026-12-06); when and how is in "Einzeln widerrufene Zeilen" below.
    /// `listID`: the list's id (nil: none, where several consents are listed on one page).
    static func clauseList(_ clauses: [String], template: ConsentTemplate?, language l: Language, withdrawn: Set<String> = [],
                           listID: String? = "consent-clauses") -> HTML {
        let items = clauses.map { id -> HTML in
            let text = clauseText(id, template: template, language: l)
            let gone: HTML = withdrawn.contains(id) ? " <strong class=\"withdrawn\">(\(l == .de ? "widerrufen" : "withdrawn"))</strong>" : .empty
            return "<li data-clause=\"\(id)\"\(withdrawn.contains(id) ? HTML(raw: " data-withdrawn=\"true\"") : HTML.empty)><code>\(id)</code>\(text.map { t -> HTML in " – \(t)" } ?? .empty)\(gone)</li>"
        }
        return "<ul\(listID.map { HTML(raw: " id=\"\($0)\"") } ?? .empty)>\(items)</ul>"
    }

    /// What the signed declaration says beyond the clauses: guardians (for a minor), who recorded it in which
    /// municipality, and the checksum of the scanned paper form (or that none was recorded).
    static func signedDetails(_ c: ConsentDeclaration, language l: Language) -> HTML {
        let guardians: HTML = c.guardians.isEmpty ? .empty : "<dt>\(l == .de ? "Sorgeberechtigte" : "Guardians")</dt><dd id=\"consent-guardians\">\(c.guardians.map { g in g.relation.map { "\(g.name) (\($0))" } ?? g.name }.joined(separator: ", "))</dd>"
        let evidence: HTML = c.evidence.map { "<code>\($0)</code>" }
            ?? "<em>\(l == .de ? "kein Scan erfasst" : "no scan recorded")</em>"
        return """
        \(guardians)<dt>\(l == .de ? "Aufgenommen von" : "Recorded by")</dt><dd id="consent-collected-by">\(c.collectedBy.caseManager), \(c.collectedBy.municipality)</dd>
        <dt>\(l == .de ? "Scan der unterschriebenen Erklärung (SHA-256)" : "Scan of the signed declaration (SHA-256)")</dt><dd id="consent-evidence">\(evidence)</dd>
        """
    }
}
