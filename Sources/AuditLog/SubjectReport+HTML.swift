import Diagnostics
import Foundation

extension SubjectReport {
    /// What the answer covers, and what the county's DPO gives beside it: the log answers Art. 15(1)(c) (recipients);
    /// the other items of Art. 15 are the controller's, not the log's. A domain review found the page read as the whole
    /// answer while it lacked lit. a, b, d–g and the copy of Art. 15(3).
    public static let scopeNote = LocalizedText(
        de: "Diese Aufstellung beantwortet Art. 15 Abs. 1 lit. c DSGVO (Empfänger) aus dem Protokoll der Datenweitergaben. Die übrigen Angaben nach Art. 15 DSGVO – Zwecke und Kategorien der gesamten Verarbeitung, Speicherdauer, die Rechte auf Berichtigung, Löschung, Einschränkung und Widerspruch, das Beschwerderecht bei der Aufsichtsbehörde (in Nordrhein-Westfalen die Landesbeauftragte für Datenschutz und Informationsfreiheit), die Herkunft der Daten, ob eine automatisierte Entscheidungsfindung stattfindet – und eine Kopie der Daten (Art. 15 Abs. 3) gibt die oder der Datenschutzbeauftragte des Kreises mit dieser Aufstellung.",
        en: "This list answers GDPR Art. 15(1)(c) (recipients) from the log of disclosures. The other items of GDPR Art. 15 – purposes and categories of the whole processing, storage period, the rights to rectification, erasure, restriction and objection, the right to lodge a complaint with the supervisory authority (in North Rhine-Westphalia the State Commissioner for Data Protection and Freedom of Information), the source of the data, whether automated decision-making takes place – and a copy of the data (Art. 15(3)) are given by the county's data protection officer with this list.")

    /// A printable HTML page in `language`. `labels` turns ids into names where the policy provides them.
    public func html(language: Language, labels: ReportLabels = ReportLabels()) -> String {
        let de = language == .de
        let t = { (g: String, e: String) in de ? g : e }
        var s = """
            <!DOCTYPE html>
            <html lang="\(language.rawValue)"><head><meta charset="utf-8">
            <title>\(HTML.escape(t("Auskunft über Empfänger", "Recipients of personal data"))) – \(HTML.escape(subject))</title>
            <style>body{font-family:sans-serif;margin:2em;font-size:11pt}table{border-collapse:collapse;width:100%}
            th,td{border:1px solid #999;padding:4px 6px;text-align:left;vertical-align:top}th{background:#eee}
            @media print{body{margin:1cm}tr{page-break-inside:avoid}}.small{font-size:9pt;color:#444}.after-withdrawal{color:#8b0000}</style></head><body>

            """
        s += "<h1>\(HTML.escape(t("Auskunft nach Art. 15 Abs. 1 lit. c DSGVO", "Access request under GDPR Art. 15(1)(c)")))</h1>\n"
        s += "<p>\(HTML.escape(t("Empfänger, denen personenbezogene Daten der betroffenen Person offengelegt wurden.", "Recipients to whom the data subject's personal data were disclosed.")))</p>\n"
        s += "<p class=\"small\" id=\"scope\">\(HTML.escape(Self.scopeNote[language]))</p>\n"
        s += "<p>\(HTML.escape(t("Aktenzeichen", "Case id"))): <strong>\(HTML.escape(subject))</strong><br>"
        s += "\(HTML.escape(t("Erstellt am", "Generated at"))): \(Self.timeHTML(generatedAt, language: language))</p>\n"
        if disclosures.isEmpty {
            s += "<p><em>\(HTML.escape(t("Im Protokoll sind keine Offenlegungen verzeichnet.", "The log records no disclosures.")))</em></p>\n"
        } else {
            s += overviewHTML(language: language, labels: labels)
            s += "<table><thead><tr>" + [t("Datum", "Date"), t("Empfänger", "Recipient"), t("Zweck", "Purpose"),
                                          t("Daten", "Data"), t("Rechtsgrundlage", "Legal basis"), t("Vorgang", "Reference"),
                                          t("Protokolleintrag", "Log entry")].map { "<th>\(HTML.escape($0))</th>" }.joined() + "</tr></thead><tbody>\n"
            let named = rowLabels(over: labels)
            for d in disclosures {
                let labels = named(d.policyDigest)
                // One line per legal basis: its fields in the data cell, the basis (citation or consent) once beside them.
                let groups = DisclosedFieldGroup.grouping(d.fields)
                let fields = groups.map { g in g.fields.map { HTML.escape(labels.field(d: $0, language)) }.joined(separator: ", ") }
                    .joined(separator: "<br>")
                var bases = groups.map { HTML.escape(basisText($0, language)) }.joined(separator: "<br>")
                for w in d.afterWithdrawal {
                    bases += "<br>" + Self.afterWithdrawalHTML(w, language: language, time: { Self.timeHTML($0, language: language) },
                                                               field: { labels.field(d: $0, language) })
                }
                let channel = Self.channelName(d.channel, language: language)
                let asOf = d.asOf.map { "<br><span class=\"small\">\(HTML.escape(Self.asOfLabel(language))) \(Self.timeHTML($0, language: language))</span>" } ?? ""
                let policy = d.policyVersion.map { "<br><span class=\"small\">\(HTML.escape(Self.policyVersionLabel(language))) \(HTML.escape($0))</span>" } ?? ""
                s += "<tr><td>\(Self.timeHTML(d.time, language: language))\(asOf)</td><td>\(HTML.escape(labels.partner(d: d.partner, language)))</td>"
                s += "<td>\(HTML.escape(labels.purpose(d: d.purpose, language)))</td><td>\(fields)</td><td>\(bases)</td>"
                s += "<td>\(HTML.escape(channel))\(d.reference.map { "<br>" + HTML.escape($0) } ?? "")</td><td>\(d.index)\(policy)</td></tr>\n"
            }
            s += "</tbody></table>\n"
        }
        s += consentsHTML(language: language, labels: clauseLabels(over: labels))
        s += noticesHTML(language: language, labels: clauseLabels(over: labels))
        // As every page of the web service says it: the report is handed to the person, who may read it anywhere.
        s += "<p class=\"small\">\(HTML.escape(t("Alle Zeiten in Ortszeit (Europe/Berlin).", "All times in local time (Europe/Berlin).")))</p>\n"
        if let checkpoint {
            s += "<p class=\"small\">\(HTML.escape(t("Auszug aus dem manipulationssicheren Prüfprotokoll; signierter Prüfpunkt (Checkpoint):", "Drawn from the tamper-evident audit log; signed checkpoint:")))</p>"
            s += "<pre class=\"small\">\(HTML.escape(checkpoint))</pre>\n"
        }
        s += "</body></html>\n"
        return s
    }
}

extension SubjectReport {
    /// The consents section of the HTML report (the grounds of disclosures on consent, and their withdrawal).
    func consentsHTML(language: Language, labels: ReportLabels) -> String {
        let de = language == .de
        var s = "<h2>\(HTML.escape(de ? "Einwilligungen" : "Consents"))</h2>\n"
        guard !consents.isEmpty else {
            return s + "<p><em>\(HTML.escape(de ? "Im Protokoll sind keine Einwilligungen verzeichnet." : "The log records no consents."))</em></p>\n"
        }
        s += "<table><thead><tr>" + (de ? ["Datum", "Vorgang", "Einwilligung", "Klauseln", "Gültigkeit", "Protokolleintrag"]
                                        : ["Date", "Event", "Consent", "Clauses", "Validity", "Log entry"]).map { "<th>\(HTML.escape($0))</th>" }.joined()
        s += "</tr></thead><tbody>\n"
        for c in consents {
            let event = c.event == "granted" ? (de ? "erteilt" : "granted")
                : c.clauses.isEmpty ? (de ? "widerrufen" : "withdrawn")
                : (de ? "einzelne Zeilen widerrufen" : "single lines withdrawn")
            let time = { (t: String?) in Self.timeHTML(t ?? "", language: language) }
            let validity = c.event == "granted"
                ? (de ? "\(time(c.grantedAt)) bis \(time(c.expiresAt))" : "\(time(c.grantedAt)) to \(time(c.expiresAt))")
                : c.clauses.isEmpty ? (de ? "widerrufen am \(time(c.withdrawnAt))" : "withdrawn at \(time(c.withdrawnAt))")
                : (de ? "diese Zeilen widerrufen am \(time(c.withdrawnAt))" : "these lines withdrawn at \(time(c.withdrawnAt))")
            s += "<tr><td>\(Self.timeHTML(c.time, language: language))</td><td>\(HTML.escape(event))</td><td>\(HTML.escape(c.consent))</td>"
            let clauses = c.event == "withdrawn" && c.clauses.isEmpty ? [Self.allLinesLabel(language)] : labels.clauseNames(c.clauses, of: c, language)
            s += "<td>\(clauses.map(HTML.escape).joined(separator: "<br>"))</td><td>\(validity)</td><td>\(c.index)</td></tr>\n"
        }
        return s + "</tbody></table>\n"
    }

    /// The erasure notices section of the HTML report (GDPR Art. 19).
    func noticesHTML(language: Language, labels: ReportLabels) -> String {
        let de = language == .de
        var s = "<h2>\(HTML.escape(de ? "Mitteilungen zur Löschung (Art. 19 DSGVO)" : "Erasure notices (GDPR Art. 19)"))</h2>\n"
        guard !erasureNotices.isEmpty else {
            return s + "<p><em>\(HTML.escape(de ? "Im Protokoll sind keine Mitteilungen zur Löschung verzeichnet." : "The log records no erasure notices."))</em></p>\n"
        }
        s += "<table><thead><tr>" + (de ? ["Datum", "Benachrichtigte Empfänger", "Anlass", "Protokolleintrag"]
                                        : ["Date", "Recipients notified", "Reason", "Log entry"]).map { "<th>\(HTML.escape($0))</th>" }.joined()
        s += "</tr></thead><tbody>\n"
        for n in erasureNotices {
            let partners = n.notify.map { labels.partner(d: $0, language) }.joined(separator: ", ")
            s += "<tr><td>\(Self.timeHTML(n.toldTime, language: language))</td><td>\(HTML.escape(partners))</td><td>\(HTML.escape(reasonText(of: n, labels: labels, language: language)))</td><td>\(n.index)</td></tr>\n"
        }
        return s + "</tbody></table>\n"
    }

    /// An erasure notice's reason in words: `consent-withdrawn:<id>` as the withdrawal of that consent, or, for a notice
    /// of single lines (`clauses`), as the withdrawal of those lines of it; others as they are.
    public static func reasonText(_ reason: String, clauses: [String]? = nil, language: Language) -> String {
        let prefix = ErasureNoticeRecord.consentWithdrawnReason("")
        guard reason.hasPrefix(prefix) else { return reason }
        let id = String(reason.dropFirst(prefix.count))
        if let clauses, !clauses.isEmpty {
            let lines = clauses.joined(separator: ", ")
            return language == .de ? "Widerruf der Zeile(n) \(lines) der Einwilligung \(id)" : "withdrawal of the line(s) \(lines) of consent \(id)"
        }
        return language == .de ? "Widerruf der Einwilligung \(id)" : "withdrawal of consent \(id)"
    }
}
