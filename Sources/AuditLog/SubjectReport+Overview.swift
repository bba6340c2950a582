import Diagnostics

extension SubjectReport {
    /// One line of the report's overview: every disclosure to the same recipient, for the same purpose, of the same
    /// data on the same legal bases, counted, with the first and the last time.
    ///
    /// Why: a person referred every week has thousands of identical disclosure rows (a review found 6,119 for one
    /// person, a 3 MB page); the overview answers Art. 15(1)(c), *who received which data, why and on which basis*, in a
    /// few lines, and the full list follows below it.
    public struct RecipientOverview: Sendable, Equatable {
        /// The recipient's partner id.
        public var partner: String
        /// The purpose id.
        public var purpose: String
        /// The fields, one group per legal basis (as a disclosure row shows them).
        public var groups: [DisclosedFieldGroup]
        /// How many disclosures the line stands for.
        public var count: Int
        /// The earliest and the latest of their times (RFC 3339 UTC).
        public var first: String, last: String
        /// Whether the line stands for decisions made for another moment than when they were made (`Disclosure.asOf`):
        /// kept apart from the line of releases at their own time, and marked, so that a check as of a day before a
        /// withdrawal does not read as a release after it (as the rows below say per check).
        public var backDated: Bool = false
        /// Whether the line stands for releases after a withdrawal had taken effect (`Disclosure.afterWithdrawal`): kept
        /// apart and marked, so that a line of lawful releases does not hide them.
        public var afterWithdrawal: Bool = false
        /// The policy digest of the line's latest disclosure: the line is named as that policy names things.
        public var policyDigest: String? = nil
    }

    /// The words that mark an overview line of back-dated checks.
    public static func backDatedLabel(_ language: Language) -> String {
        language == .de ? "Prüfungen für einen früheren oder späteren Stand (Einzelheiten unten)" : "checks of an earlier or later state (details below)"
    }

    /// The overview of `disclosures`, its lines in the order of their first disclosure.
    public var recipientOverview: [RecipientOverview] {
        struct Key: Hashable { var partner: String, purpose: String, groups: [DisclosedFieldGroup], backDated: Bool, afterWithdrawal: Bool }
        var lines: [RecipientOverview] = []
        var position: [Key: Int] = [:]
        for d in disclosures {
            let key = Key(partner: d.partner, purpose: d.purpose, groups: DisclosedFieldGroup.grouping(d.fields), backDated: d.asOf != nil,
                          afterWithdrawal: !d.afterWithdrawal.isEmpty)
            if let i = position[key] {
                lines[i].count += 1
                // RFC 3339 UTC times of one form compare as text.
                lines[i].first = min(lines[i].first, d.time)
                if d.time >= lines[i].last { lines[i].last = d.time; lines[i].policyDigest = d.policyDigest }
            } else {
                position[key] = lines.count
                lines.append(RecipientOverview(partner: d.partner, purpose: d.purpose, groups: key.groups, count: 1,
                                               first: d.time, last: d.time, backDated: key.backDated,
                                               afterWithdrawal: key.afterWithdrawal, policyDigest: d.policyDigest))
            }
        }
        return lines
    }

    /// The overview section of the HTML report (empty when nothing was disclosed).
    func overviewHTML(language: Language, labels: ReportLabels) -> String {
        let lines = recipientOverview
        guard !lines.isEmpty else { return "" }
        let de = language == .de
        var s = "<h2>\(HTML.escape(de ? "Überblick: Empfänger, Zwecke und Daten" : "Overview: recipients, purposes and data"))</h2>\n"
        s += "<table id=\"overview\"><thead><tr>" + (de
            ? ["Empfänger", "Zweck", "Daten", "Rechtsgrundlage", "Anzahl", "Erstmals", "Zuletzt"]
            : ["Recipient", "Purpose", "Data", "Legal basis", "Times", "First", "Last"]).map { "<th>\(HTML.escape($0))</th>" }.joined()
        s += "</tr></thead><tbody>\n"
        let named = rowLabels(over: labels)
        for line in lines {
            let labels = named(line.policyDigest)
            let fields = line.groups.map { g in g.fields.map { HTML.escape(labels.field(d: $0, language)) }.joined(separator: ", ") }
                .joined(separator: "<br>")
            var bases = line.groups.map { HTML.escape(basisText($0, language)) }.joined(separator: "<br>")
            // Releases after a withdrawal had no basis: said in the basis column, where a reader looks for it.
            if line.afterWithdrawal { bases += "<br><strong class=\"after-withdrawal\">\(HTML.escape(Self.afterWithdrawalLabel(language)))</strong>" }
            s += "<tr><td>\(HTML.escape(labels.partner(d: line.partner, language)))</td><td>\(HTML.escape(labels.purpose(d: line.purpose, language)))</td>"
            let mark = line.backDated ? "<br><span class=\"small\">\(HTML.escape(Self.backDatedLabel(language)))</span>" : ""
            s += "<td>\(fields)</td><td>\(bases)</td><td>\(line.count)\(mark)</td>"
            s += "<td>\(Self.timeHTML(line.first, language: language))</td><td>\(Self.timeHTML(line.last, language: language))</td></tr>\n"
        }
        s += "</tbody></table>\n"
        return s + "<h2>\(HTML.escape(de ? "Alle Offenlegungen" : "Every disclosure"))</h2>\n"
    }
}
