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
    /// scan's checksum, the validity; the verification problems, if any; print and withdraw.
    static func show(_ page: PageRequest, status: ConsentStatus, policy: CompiledPolicy) -> Response {
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
        // as one is recorded) or fails verification; not of one already withdrawn or expired (nothing left to end).
        let withdrawable = state != .withdrawn && state != .expired
        let withdrawForm: HTML = withdrawable && page.account?.role == .caseworker ? """
            <form method="post" action="/consents/\(status.id)/withdraw" class="no-print">\(CSRFField(session: page.session!).html)
            <button type="submit" id="withdraw">\(l == .de ? "Einwilligung widerrufen" : "Withdraw consent")</button></form>
            """ : .empty
        let content: HTML = """
        <dl class="consent" data-state="\(state.rawValue)">
        <dt>ID</dt><dd>\(status.id)</dd>
        <dt>\(l == .de ? "Person (Fall-ID)" : "Person (case id)")</dt><dd>\(status.record?.subject ?? "")</dd>
        <dt>\(l == .de ? "Status" : "State")</dt><dd id="consent-state">\(stateText[l])</dd>
        <dt>\(l == .de ? "Vorlage" : "Template")</dt><dd>\(template?.title.map { "\($0[l]) – " } ?? "")\(f.templateID) v\(Int(f.templateVersion))</dd>
        <dt>\(l == .de ? "Klauseln" : "Clauses")</dt><dd>\(clauseList(f.clauses, template: template, language: l))</dd>
        \(status.consent.map { c -> HTML in "<dt>\(l == .de ? "Sprache der Erklärung" : "Language of the declaration")</dt><dd>\(languageName(c.content.language, l))</dd>" } ?? .empty)
        \(status.consent.map { signedDetails($0.content, language: l) } ?? .empty)
        <dt>\(l == .de ? "Erteilt am" : "Granted on")</dt><dd>\(BerlinTime.element(f.grantedAt, language: l))</dd>
        <dt>\(l == .de ? "Gültig bis" : "Valid until")</dt><dd>\(BerlinTime.element(f.expiresAt, language: l))</dd>
        \(withdrawn)
        </dl>
        \(failures.isEmpty ? HTML.empty : "<div class=\"alert\" role=\"alert\"><ul>\(failures)</ul></div>")
        <p class="no-print"><a href="/consents/\(status.id)/declaration" id="print-copy">\(l == .de ? "Abschrift der Erklärung in der Sprache der Person drucken (erteilte Klauseln angekreuzt)" : "Print a copy of the declaration in the person's language (granted clauses ticked)")</a></p>
        \(withdrawForm)
        """
        return PageResponse.html(page.layout.render(title: title(status), content: content))
    }

    /// The page's title and heading: whose consent, granted when. Every consent page used to be titled just
    /// "Einwilligung": tabs, history and a screen reader's page announcement could not tell them apart (WCAG 2.4.2).
    static func title(_ status: ConsentStatus) -> LocalizedText {
        let subject = status.record?.subject ?? status.id
        let granted = status.fact.grantedAt
        return LocalizedText(de: "\(showTitle.de) von \(subject), erteilt am \(BerlinTime.format(granted, language: .de))",
                             en: "\(showTitle.en) of \(subject), granted \(BerlinTime.format(granted, language: .en))")
    }

    /// The granted clauses, each with its wording in `language` (German when the template has none in it); the id
    /// alone when the policy no longer holds the template's version or the clause has no wording.
    static func clauseList(_ clauses: [String], template: ConsentTemplate?, language l: Language) -> HTML {
        let items = clauses.map { id -> HTML in
            let text = template?.clauses.first { $0.id == id }.flatMap { $0.text[l.rawValue] ?? $0.text["de"] }
            return "<li data-clause=\"\(id)\"><code>\(id)</code>\(text.map { t -> HTML in " – \(t)" } ?? .empty)</li>"
        }
        return "<ul id=\"consent-clauses\">\(items)</ul>"
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
