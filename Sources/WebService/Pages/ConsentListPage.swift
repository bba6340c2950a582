import ConsentRecords
import Diagnostics
import Foundation
import Gate
import Hummingbird
import PolicyEngine

/// A person's consents for the case worker (`/consents?subject=…`): a form for the case id, then each consent recorded
/// for the person with its state, template, lines and dates, and a link to its page, where it is printed and withdrawn.
/// Without it a case worker could reach a consent only right after recording it: when the person came back to withdraw
/// (GDPR Art. 7(3): as easy as giving), the pages had no way to it (found in a review of the pages). Only a person of the
/// case worker's municipality (`SubjectAccess.requireVisible`); another's gets the same 403 words as everywhere.
enum ConsentListPage {
    static let title = LocalizedText(de: "Einwilligungen einer Person", en: "A person's consents")
    /// The page's name in the main navigation.
    static let navigationTitle = LocalizedText(de: "Einwilligungen finden", en: "Find consents")

    /// The page's address for `subject` (a case id: letters, digits and a few marks, percent-encoded all the same).
    static func link(subject: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return "/consents?subject=" + (subject.addingPercentEncoding(withAllowedCharacters: allowed) ?? subject)
    }

    static func register(_ r: RouteRegistrar) {
        let gate = r.environment.gate
        let subjectLimit = r.environment.configuration.checkPageSubjectLimit
        r.page(.get, "/consents", access: .roles([.caseworker])) { request, page in
            let l = page.language
            // Trimmed: a case id pasted with a space around it is still that id.
            let subject = (request.uri.queryParameters["subject"].map(String.init) ?? "").trimmingCharacters(in: .whitespaces)
            var problems = FormProblems()
            var list: [ConsentStatus]? = nil
            var meant: [String] = []
            let own = page.account?.municipality
            // The municipality's people to pick from, as on the check form (at most as many as the check form lists).
            let known = try await BlockingWork.run { try own.map { try gate.subjectIDs(municipality: $0, limit: subjectLimit) } ?? [] }
            if !subject.isEmpty {
                do {
                    try PathParameter.requireCaseID(subject, place: ConsentPages.subjectLabel)
                    let account = page.account!
                    (list, meant) = try await BlockingWork.run {
                        let stored = try gate.subject(id: subject)
                        try SubjectAccess.requireVisible(subjectID: subject, stored: stored, account: account, gate: gate)
                        let list = try gate.consents.list(subject: subject, subjectBirthDate: stored?.birthDate)
                        // Nothing for this id, but a person of the municipality whose id differs only in letter case: named,
                        // so a person who came to withdraw is not turned away for `rsk-…` typed for `RSK-…` (a review).
                        let meant = list.isEmpty && stored == nil ? try own.map { try gate.subjectIDs(municipality: $0, equalIgnoringCase: subject) } ?? [] : []
                        return (list, meant)
                    }
                } catch {
                    // Not a case id, or another municipality's person: the form again with what was typed, the reason at it.
                    guard problems.add("subject", refusal: error) else { throw error }
                }
            }
            let content: HTML = """
            \(problems.summary(language: l))
            <form method="get" action="/consents" class="no-print">
            <label for="subject">\(ConsentPages.subjectLabel[l]) \(PolicyWidgets.requiredMark(l))</label>
            \(problems.message("subject", language: l))
            <input type="text" id="subject" name="subject" value="\(subject)" required autocomplete="off" list="subject-list"\(problems.attributes("subject"))>
            <datalist id="subject-list">\(HTML.join(known.map { "<option value=\"\($0)\"></option>" as HTML }))</datalist>
            <div><button type="submit">\(l == .de ? "Einwilligungen anzeigen" : "Show consents")</button></div>
            </form>
            \(list.map { table($0, subject: subject, meant: meant, policy: gate.policy, language: l) } ?? .empty)
            """
            let shownTitle = list == nil ? title : LocalizedText(de: "Einwilligungen von \(subject)", en: "Consents of \(subject)")
            return PageResponse.html(page.layout.render(title: shownTitle, content: content),
                                     status: problems.isEmpty ? .ok : problems.status)
        }
    }

    /// The consents as a table, newest first; a sentence when there is none.
    /// `meant`: case ids of the municipality that differ from `subject` only in letter case, offered when nothing is found.
    static func table(_ list: [ConsentStatus], subject: String, meant: [String] = [], policy: CompiledPolicy, language l: Language) -> HTML {
        guard !list.isEmpty else {
            let others: HTML = meant.isEmpty ? .empty
                : " \(l == .de ? "Gemeint ist wohl:" : "Did you mean:") \(HTML.join(meant.map { "<a href=\"\(link(subject: $0))\">\($0)</a>" as HTML }, separator: ", "))"
            return """
            <p id="consents-empty" role="status">\(l == .de ? "Für \(subject) ist keine Einwilligung erfasst." : "No consent is recorded for \(subject).")\(others) <a href="/consents/new">\(ConsentPages.newTitle[l])</a></p>
            """
        }
        let now = Date()
        // Newest first (the store lists the oldest first): by the day signed, then by when it was recorded (consents signed
        // the same day share their time of signing, noon).
        let newest = list.sorted { a, b in
            (a.fact.grantedAt, a.record?.recordedAt ?? .distantPast) > (b.fact.grantedAt, b.record?.recordedAt ?? .distantPast)
        }
        let rows = newest.map { status -> HTML in
            let f = status.fact
            let state = status.state(at: now)
            let template = policy.bundle.template(f.templateID, version: f.templateVersion)
            let withdrawnLines = Set(status.withdrawnClauses.map(\.clause))
            // A consent in force with single lines withdrawn says so beside its state: the lines still granted are fewer.
            let partly: HTML = state == .active && !withdrawnLines.isEmpty
                ? " <span class=\"muted\">(\(l == .de ? "\(withdrawnLines.count) von \(f.clauses.count) Zeilen widerrufen" : "\(withdrawnLines.count) of \(f.clauses.count) lines withdrawn"))</span>"
                : .empty
            let ended: HTML = status.withdrawnAtOnRecord.map { "<br><span class=\"muted\">\(l == .de ? "widerrufen am" : "withdrawn on") \(BerlinTime.element($0, language: l))</span>" } ?? .empty
            return """
            <tr data-consent="\(status.id)" data-state="\(state.rawValue)"><td>\(BerlinTime.dayElement(f.grantedAt, language: l))</td>\
            <td>\(template?.title.map { "\($0[l]) – " } ?? "")\(f.templateID) v\(Int(f.templateVersion))</td>\
            <td>\(ConsentPages.clauseList(f.clauses, template: template, language: l, withdrawn: withdrawnLines, listID: nil))</td>\
            <td>\(BerlinTime.element(f.expiresAt, language: l))</td>\
            <td>\(state.words[l])\(partly)\(ended)</td>\
            <td><a href="/consents/\(status.id)">\(l == .de ? "Öffnen" : "Open")<span class="visually-hidden"> \(l == .de ? "(Einwilligung vom" : "(consent of") \(UTCDay.words(BerlinDay.day(of: f.grantedAt), language: l)))</span></a></td></tr>
            """
        }
        return """
        <table id="consents">
        <caption>\(l == .de ? "Einwilligungen von \(subject), neueste zuerst" : "Consents of \(subject), newest first")</caption>
        <thead><tr><th scope="col">\(l == .de ? "Erteilt am" : "Granted on")</th><th scope="col">\(ConsentPages.templateLabel[l])</th><th scope="col">\(l == .de ? "Klauseln" : "Clauses")</th><th scope="col">\(l == .de ? "Gültig bis" : "Valid until")</th><th scope="col">\(l == .de ? "Status" : "State")</th><th scope="col">\(l == .de ? "Einwilligung" : "Consent")</th></tr></thead>
        <tbody>\(rows)</tbody>
        </table>
        <p class="muted">\(l == .de ? "Drucken und widerrufen (ganz oder einzelne Zeilen) auf der Seite der Einwilligung." : "Print and withdraw (whole or single lines) on the consent's page.")</p>
        """
    }
}
