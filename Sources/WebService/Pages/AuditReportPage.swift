import AuditLog
import Diagnostics
import Foundation
import Gate
import Hummingbird
import PolicyEngine
import Signing

/// The DPO's page of the GDPR Art. 15 report of a person (`/audit/report?subject=…`): a form for the case id, and the
/// report as a table (`Gate.subjectReport`, the same report `GET /v1/audit/report/{subject}` gives as JSON).
extension AuditPages {
    /// The report page's title (and its name in the navigation).
    static let reportTitle = LocalizedText(de: "Auskunft nach Art. 15 DSGVO", en: "GDPR Art. 15 report")

    static func registerReport(_ r: RouteRegistrar) {
        let gate = r.environment.gate
        let verificationCache = r.environment.verificationCache
        r.page(.get, "/audit/report", access: .roles(AuditRoutes.roles)) { request, page in
            let l = page.language
            // Trimmed: a case id pasted with a space around it is still that id.
            let subject = (request.uri.queryParameters["subject"].map(String.init) ?? "").trimmingCharacters(in: .whitespaces)
            var body: HTML = .empty
            var problems = FormProblems()
            if !subject.isEmpty {
                do {
                    try PathParameter.requireCaseID(subject, place: LocalizedText(de: "Fall-ID der Person", en: "case id of the person"))
                } catch let refusal as WebError {
                    // Not a case id: the form again with what was typed, the problem at it (pages review F9).
                    problems.add("subject", anchor: "r-subject", refusal.message)
                }
            }
            if !subject.isEmpty, problems.isEmpty {
                let actor = page.account!.name
                let (report, notRecorded) = try await BlockingWork.run {
                    try gate.subjectReportRecordingIfPossible(subject, actor: actor, command: "GET /audit/report")
                }
                let warning = notRecorded.map { unrecordedReadWarning($0, language: l) } ?? verificationWarning(verificationCache.lastResult(), language: l)
                body = "\(warning)\(reportTable(report, gate: gate, language: l))"
            }
            let content: HTML = """
            \(problems.summary(language: l))
            <form method="get" action="/audit/report" class="no-print"><label for="r-subject">\(l == .de ? "Fall-ID der Person" : "Case id of the person")</label>
            <input type="text" id="r-subject" name="subject" value="\(subject)" required\(invalidMark("subject", problems))><div><button type="submit">\(l == .de ? "Auskunft erstellen" : "Produce report")</button></div></form>
            \(body)
            """
            // The title names the person once there is a report (a screen reader hears the title first; every report had the same).
            let shownTitle = body == .empty ? reportTitle : LocalizedText(de: "\(reportTitle.de) für \(subject)", en: "\(reportTitle.en) for \(subject)")
            return PageResponse.html(page.layout.render(title: shownTitle, content: content),
                                     status: problems.isEmpty ? .ok : problems.status)
        }
    }

    /// Said above a report read from a log that takes no entry (`Gate.subjectReportRecordingIfPossible`): the report is
    /// given (an Art. 15 request has a deadline), its read is not in the log, and the refusal names why.
    static func unrecordedReadWarning(_ refusal: AuditLogError, language l: Language) -> HTML {
        """
        <div class="alert" role="alert" id="read-not-recorded"><p>✘ \(l == .de ? "Das Prüfprotokoll nimmt keinen Eintrag an; diese Abfrage ist darin nicht verzeichnet" : "The audit log takes no entry; this read is not recorded in it"): \(refusal.message(in: l))</p>\
        <p>\(l == .de ? "Was diese Auskunft zeigt, kann auf veränderten Einträgen beruhen; bitte nicht herausgeben, bevor die Ursache geklärt ist (consentgate audit verify)." : "What this report shows may rest on altered entries; please do not hand it out before the cause is clear (consentgate audit verify).") <a href="/audit" class="no-print">\(l == .de ? "Zum Prüfprotokoll" : "To the audit log")</a></p></div>
        """
    }

    /// The Art. 15 report as the page shows it: per recipient the time (Berlin), partner and purpose by name, the
    /// fields and, beside each group of them, their legal basis (norm or consent and clause), the channel in words
    /// with its export run or referral id, and the log entry; then the person's consents as recorded and withdrawn
    /// and the erasure notices sent (Art. 19); a sentence instead of an empty table. Opens with the case id and the time
    /// it was produced, ends with the signed checkpoint, as the CLI's HTML report (`SubjectReport.html`).
    static func reportTable(_ report: SubjectReport, gate: Gate, language l: Language) -> HTML {
        let today = ReportLabels(policy: gate.policy.bundle)
        // Each row named as the policy of its time named things (a partner renamed since keeps its name of then); the
        // consents' lines by the wording of the template version they were signed on, from whichever policy held it.
        let named = report.rowLabels(over: today)
        let labels = report.clauseLabels(over: today)
        func name(_ table: [String: LocalizedText], _ id: String) -> String { table[id]?[l] ?? id }
        func when(_ time: String) -> HTML { RFC3339.parse(time).map { BerlinTime.element($0, language: l) } ?? escaped(time) }
        func entryLink(_ index: Int64) -> HTML { "<a href=\"/audit/entries/\(Int(index))\">\(entryLinkWord(l))\(Int(index))</a>" }
        let recipients: HTML
        if report.disclosures.isEmpty {
            recipients = "<p id=\"report-empty\"><em>\(l == .de ? "Im Protokoll sind keine Offenlegungen verzeichnet." : "The log records no disclosures.") (\(report.subject))</em></p>"
        } else {
            let rows = report.disclosures.map { d -> HTML in
                let labels = named(d.policyDigest)
                let groups = DisclosedFieldGroup.grouping(d.fields)
                let fields = HTML.join(groups.map { g in
                    escaped(g.fields.map { name(labels.fields, $0) }.joined(separator: ", "))
                }, separator: "<br>")
                let withdrawn = d.afterWithdrawal.map { w in
                    HTML(raw: SubjectReport.afterWithdrawalHTML(w, language: l, time: { when($0).description }, field: { name(labels.fields, $0) }))
                }
                let bases = HTML.join(groups.map { escaped(report.basisText($0, l)) } + withdrawn, separator: "<br>")
                let reference: HTML = d.reference.map { "<br>\($0)" } ?? .empty
                let asOf: HTML = d.asOf.map { "<br><span class=\"muted\">\(SubjectReport.asOfLabel(l)) \(when($0))</span>" } ?? .empty
                let policy: HTML = d.policyVersion.map { "<br><span class=\"muted\">\(SubjectReport.policyVersionLabel(l)) \($0)</span>" } ?? .empty
                let marked: HTML = d.afterWithdrawal.isEmpty ? .empty : " data-after-withdrawal=\"true\""
                return "<tr\(marked)><td>\(when(d.time))\(asOf)</td><td>\(name(labels.partners, d.partner))</td><td>\(name(labels.purposes, d.purpose))</td><td>\(fields)</td><td>\(bases)</td><td>\(SubjectReport.channelName(d.channel, language: l))\(reference)</td><td>\(entryLink(d.index))\(policy)</td></tr>"
            }
            // First the overview (one line per recipient, purpose, data and bases, counted), then every disclosure.
            let overview = report.recipientOverview.map { o -> HTML in
                let labels = named(o.policyDigest)
                let groups = o.groups
                let fields = HTML.join(groups.map { g in
                    escaped(g.fields.map { name(labels.fields, $0) }.joined(separator: ", "))
                }, separator: "<br>")
                let withoutBasis: [HTML] = o.afterWithdrawal ? ["<strong class=\"after-withdrawal\">\(SubjectReport.afterWithdrawalLabel(l))</strong>"] : []
                let bases = HTML.join(groups.map { escaped(report.basisText($0, l)) } + withoutBasis, separator: "<br>")
                let mark: HTML = o.backDated ? "<br><span class=\"muted\">\(SubjectReport.backDatedLabel(l))</span>" : .empty
                return "<tr><td>\(name(labels.partners, o.partner))</td><td>\(name(labels.purposes, o.purpose))</td><td>\(fields)</td><td>\(bases)</td><td>\(o.count)\(mark)</td><td>\(when(o.first))</td><td>\(when(o.last))</td></tr>"
            }
            recipients = """
            <table id="report-overview"><caption>\(l == .de ? "Überblick: Empfänger, Zwecke und Daten für" : "Overview: recipients, purposes and data for") \(report.subject)</caption>
            <thead><tr><th scope="col">\(l == .de ? "Empfänger" : "Recipient")</th><th scope="col">\(l == .de ? "Zweck" : "Purpose")</th><th scope="col">\(l == .de ? "Daten" : "Data")</th><th scope="col">\(l == .de ? "Rechtsgrundlage" : "Legal basis")</th><th scope="col">\(l == .de ? "Anzahl" : "Times")</th><th scope="col">\(l == .de ? "Erstmals" : "First")</th><th scope="col">\(l == .de ? "Zuletzt" : "Last")</th></tr></thead>
            <tbody>\(overview)</tbody></table>
            <table id="report"><caption>\(l == .de ? "Empfänger und übermittelte Daten für" : "Recipients and data passed for") \(report.subject)</caption>
            <thead><tr><th scope="col">\(l == .de ? "Zeit" : "Time")</th><th scope="col">\(l == .de ? "Empfänger" : "Recipient")</th><th scope="col">\(l == .de ? "Zweck" : "Purpose")</th><th scope="col">\(l == .de ? "Daten" : "Data")</th><th scope="col">\(l == .de ? "Rechtsgrundlage" : "Legal basis")</th><th scope="col">\(l == .de ? "Weg" : "Channel")</th><th scope="col">\(l == .de ? "Protokolleintrag" : "Log entry")</th></tr></thead>
            <tbody>\(rows)</tbody></table>
            """
        }
        let consents: HTML
        if report.consents.isEmpty {
            consents = "<p id=\"report-consents-empty\"><em>\(l == .de ? "Im Protokoll sind keine Einwilligungen verzeichnet." : "The log records no consents.")</em></p>"
        } else {
            let rows = report.consents.map { c -> HTML in
                let granted = c.event == "granted"
                let event = granted ? (l == .de ? "erteilt" : "granted")
                    : c.clauses.isEmpty ? (l == .de ? "widerrufen" : "withdrawn") : (l == .de ? "einzelne Zeilen widerrufen" : "single lines withdrawn")
                let validity: HTML = granted
                    ? "\(c.grantedAt.map(when) ?? .empty) – \(c.expiresAt.map(when) ?? .empty)"
                    : "\(c.withdrawnAt.map(when) ?? .empty)"
                return "<tr data-event=\"\(c.event)\"><td>\(when(c.time))</td><td>\(event)</td><td><a href=\"/consents/\(c.consent)\">\(c.consent)</a></td><td>\(HTML.join((granted || !c.clauses.isEmpty ? labels.clauseNames(c.clauses, of: c, l) : [SubjectReport.allLinesLabel(l)]).map { escaped($0) }, separator: "<br>"))</td><td>\(validity)</td><td>\(entryLink(c.index))</td></tr>"
            }
            consents = """
            <table id="report-consents"><caption>\(l == .de ? "Einwilligungen" : "Consents")</caption>
            <thead><tr><th scope="col">\(l == .de ? "Zeit" : "Time")</th><th scope="col">\(l == .de ? "Vorgang" : "Event")</th><th scope="col">\(l == .de ? "Einwilligung" : "Consent")</th><th scope="col">\(l == .de ? "Klauseln" : "Clauses")</th><th scope="col">\(l == .de ? "Gültig / widerrufen" : "Valid / withdrawn")</th><th scope="col">\(l == .de ? "Protokolleintrag" : "Log entry")</th></tr></thead>
            <tbody>\(rows)</tbody></table>
            """
        }
        let notices: HTML
        if report.erasureNotices.isEmpty {
            notices = "<p id=\"report-notices-empty\"><em>\(l == .de ? "Im Protokoll sind keine Mitteilungen zur Löschung verzeichnet." : "The log records no erasure notices.")</em></p>"
        } else {
            let rows = report.erasureNotices.map { n -> HTML in
                let partners = n.notify.map { name(today.partners, $0) }.joined(separator: ", ")
                return "<tr><td>\(when(n.toldTime))</td><td>\(partners)</td><td>\(escaped(report.reasonText(of: n, labels: labels, language: l)))</td><td>\(entryLink(n.index))</td></tr>"
            }
            notices = """
            <table id="report-notices"><caption>\(l == .de ? "Mitteilungen zur Löschung an Empfänger (Art. 19 DSGVO)" : "Erasure notices to recipients (GDPR Art. 19)")</caption>
            <thead><tr><th scope="col">\(l == .de ? "Zeit" : "Time")</th><th scope="col">\(l == .de ? "Benachrichtigte Empfänger" : "Recipients notified")</th><th scope="col">\(l == .de ? "Anlass" : "Reason")</th><th scope="col">\(l == .de ? "Protokolleintrag" : "Log entry")</th></tr></thead>
            <tbody>\(rows)</tbody></table>
            """
        }
        return "\(reportHead(report, language: l))\n\(recipients)\n\(consents)\n\(notices)\n\(reportCheckpoint(report, language: l))"
    }

    /// The report's head: whose it is and when it was produced (Berlin time), as the CLI's HTML report opens; a
    /// printout of the page carried no date (found in a review of the pages), so the person could not tell when the
    /// answer was given.
    static func reportHead(_ report: SubjectReport, language l: Language) -> HTML {
        """
        <p id="report-head">\(l == .de ? "Fall-ID der Person" : "Case id of the person"): <strong>\(report.subject)</strong><br>
        \(l == .de ? "Erstellt am" : "Produced on"): <span id="report-generated">\(RFC3339.parse(report.generatedAt).map { BerlinTime.element($0, language: l) } ?? escaped(report.generatedAt))</span></p>
        <p class="muted" id="report-scope">\(escaped(SubjectReport.scopeNote[l]))</p>
        """
    }

    /// The signed checkpoint the report was drawn from, as the CLI's HTML report ends (docs/dpo-guide.md §2: "It ends
    /// with the signed checkpoint it is tied to"); nothing when the log has none yet.
    static func reportCheckpoint(_ report: SubjectReport, language l: Language) -> HTML {
        guard let checkpoint = report.checkpoint else { return .empty }
        return """
        <section id="report-checkpoint" aria-labelledby="report-checkpoint-h"><h2 id="report-checkpoint-h">\(l == .de ? "Signierter Prüfpunkt (Checkpoint)" : "Signed checkpoint")</h2>
        <p>\(l == .de ? "Auszug aus dem manipulationssicheren Prüfprotokoll; die Auskunft beruht auf diesem signierten Prüfpunkt:" : "Drawn from the tamper-evident audit log; the report rests on this signed checkpoint:")</p>
        <pre class="entry">\(checkpoint)</pre></section>
        """
    }
}
