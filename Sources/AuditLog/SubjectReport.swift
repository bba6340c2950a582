import Diagnostics
import Foundation
import StrictJSON

/// The answer to a data subject's access request under GDPR Art. 15(1)(c): every recipient the
/// person's data went to, when, for which purpose, which fields, and on which legal basis, drawn from
/// `disclosure` entries and from `decision` entries that released fields (referrals).
public struct SubjectReport: Sendable, Equatable {
    /// One passing of data to a recipient.
    public struct Disclosure: Sendable, Equatable {
        /// The log entry it comes from.
        public var index: Int64
        public var time: String
        public var partner: String
        public var purpose: String
        /// `export`, `referral` or `decision` (released by a logged decision without a separate disclosure).
        public var channel: String
        /// Export run id or referral id, if any.
        public var reference: String?
        public var fields: [DisclosedField]
    }

    public var subject: String
    public var generatedAt: String
    public var disclosures: [Disclosure]
    /// The latest checkpoint note the report was drawn from (ties the report to the signed log).
    public var checkpoint: String?

    /// Builds the report from the subject's entries (any kinds; irrelevant ones are skipped). A `decision` entry
    /// logs each permitted field's rule but not the norm it cites (a `disclosure` entry does): `citations` gives,
    /// by policy digest and rule id, the citations of the policies the entries name (`Gate.RuleCitations`), so
    /// that a referral released by statute names its statute too.
    public init(subject: String, entries: [StoredEntry], generatedAt: Date = Date(), checkpoint: String? = nil,
                citations: [String: [String: String]] = [:]) {
        self.subject = subject
        self.generatedAt = AuditTime.format(generatedAt)
        self.checkpoint = checkpoint
        var list: [Disclosure] = []
        let disclosedReferrals = Set(entries.compactMap { e -> String? in
            if case let .disclosure(d) = e.entry.content { return d.referral }; return nil
        })
        for e in entries {
            switch e.entry.content {
            case let .disclosure(d) where d.subject == subject:
                list.append(Disclosure(index: e.index, time: e.entry.time, partner: d.partner, purpose: d.purpose,
                                       channel: d.exportRun != nil ? "export" : "referral", reference: d.exportRun ?? d.referral,
                                       fields: d.fields))
            case let .decision(d) where d.subject == subject && !d.released.isEmpty:
                if let r = d.referral, disclosedReferrals.contains(r) { continue }
                let fields = d.fields.filter { $0.outcome == .permit }.map { f in
                    DisclosedField(field: f.field, basis: f.consent == nil ? .statute : .consent, rule: f.rule,
                                   citation: f.rule.flatMap { rule in e.entry.policyDigest.flatMap { citations[$0]?[rule] } },
                                   consent: f.consent)
                }
                list.append(Disclosure(index: e.index, time: e.entry.time, partner: d.partner, purpose: d.purpose,
                                       channel: d.referral == nil ? "decision" : "referral", reference: d.referral, fields: fields))
            default: continue
            }
        }
        disclosures = list
    }

    /// The report as JSON (`report-version` 1).
    public var json: JSONValue {
        var o: [String: JSONValue] = [
            "report-version": .int(1), "type": .string("gdpr-art-15-1-c"), "subject": .string(subject),
            "generated-at": .string(generatedAt),
            "recipients": .array(disclosures.map { d in
                var r: [String: JSONValue] = [
                    "entry": .int(d.index), "time": .string(d.time), "partner": .string(d.partner), "purpose": .string(d.purpose),
                    "channel": .string(d.channel), "fields": .array(d.fields.map(\.json)),
                ]
                if let ref = d.reference { r["reference"] = .string(ref) }
                return .object(r)
            }),
        ]
        if let checkpoint { o["checkpoint"] = .string(checkpoint) }
        return .object(o)
    }

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
            @media print{body{margin:1cm}tr{page-break-inside:avoid}}.small{font-size:9pt;color:#444}</style></head><body>

            """
        s += "<h1>\(HTML.escape(t("Auskunft nach Art. 15 Abs. 1 lit. c DSGVO", "Access request under GDPR Art. 15(1)(c)")))</h1>\n"
        s += "<p>\(HTML.escape(t("Empfänger, denen personenbezogene Daten der betroffenen Person offengelegt wurden.", "Recipients to whom the data subject's personal data were disclosed.")))</p>\n"
        s += "<p>\(HTML.escape(t("Aktenzeichen", "Case id"))): <strong>\(HTML.escape(subject))</strong><br>"
        s += "\(HTML.escape(t("Erstellt am", "Generated at"))): \(HTML.escape(generatedAt))</p>\n"
        if disclosures.isEmpty {
            s += "<p><em>\(HTML.escape(t("Im Protokoll sind keine Offenlegungen verzeichnet.", "The log records no disclosures.")))</em></p>\n"
        } else {
            s += "<table><thead><tr>" + [t("Datum", "Date"), t("Empfänger", "Recipient"), t("Zweck", "Purpose"),
                                          t("Daten", "Data"), t("Rechtsgrundlage", "Legal basis"), t("Vorgang", "Reference"),
                                          t("Protokolleintrag", "Log entry")].map { "<th>\(HTML.escape($0))</th>" }.joined() + "</tr></thead><tbody>\n"
            for d in disclosures {
                // One line per legal basis: its fields in the data cell, the basis (citation or consent) once beside them.
                let groups = DisclosedFieldGroup.grouping(d.fields)
                let fields = groups.map { g in g.fields.map { HTML.escape(labels.field(d: $0, language)) }.joined(separator: ", ") }
                    .joined(separator: "<br>")
                let bases = groups.map { HTML.escape($0.basisText(language)) }.joined(separator: "<br>")
                let channel = Self.channelName(d.channel, language: language)
                s += "<tr><td>\(HTML.escape(d.time))</td><td>\(HTML.escape(labels.partner(d: d.partner, language)))</td>"
                s += "<td>\(HTML.escape(labels.purpose(d: d.purpose, language)))</td><td>\(fields)</td><td>\(bases)</td>"
                s += "<td>\(HTML.escape(channel))\(d.reference.map { "<br>" + HTML.escape($0) } ?? "")</td><td>\(d.index)</td></tr>\n"
            }
            s += "</tbody></table>\n"
        }
        if let checkpoint {
            s += "<p class=\"small\">\(HTML.escape(t("Auszug aus dem manipulationssicheren Audit-Protokoll; signierter Checkpoint:", "Drawn from the tamper-evident audit log; signed checkpoint:")))</p>"
            s += "<pre class=\"small\">\(HTML.escape(checkpoint))</pre>\n"
        }
        s += "</body></html>\n"
        return s
    }
}

/// Names for ids in reports, from the policy bundle (partners, purposes, fields); ids show where absent.
public struct ReportLabels: Sendable, Equatable {
    public var partners: [String: LocalizedText]
    public var purposes: [String: LocalizedText]
    public var fields: [String: LocalizedText]

    public init(partners: [String: LocalizedText] = [:], purposes: [String: LocalizedText] = [:], fields: [String: LocalizedText] = [:]) {
        self.partners = partners; self.purposes = purposes; self.fields = fields
    }

    func partner(d id: String, _ l: Language) -> String { partners[id].map { "\($0[l]) (\(id))" } ?? id }
    func purpose(d id: String, _ l: Language) -> String { purposes[id].map { "\($0[l]) (\(id))" } ?? id }
    func field(d id: String, _ l: Language) -> String { fields[id].map { "\($0[l]) (\(id))" } ?? id }
}

/// Minimal HTML/XML text escaping for the generated pages and charts.
enum HTML {
    static func escape(_ s: String) -> String { HTMLEscaping.escape(s) }
}
