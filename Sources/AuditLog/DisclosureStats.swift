import Diagnostics
import Foundation
import GRDB
import StoreDiagnostics

/// Disclosures and releasing checks (decisions that released at least one field; `referrals` in the JSON of the API and
/// the command, a name kept for their callers) counted per partner and/or month: the figures the county's evaluation
/// reports. Rendered as CSV or as a self-made SVG bar chart.
public struct DisclosureStats: Sendable, Equatable {
    /// What the `disclosures` count is called wherever it is shown (page, CSV, chart): `disclosure` entries, data
    /// that was passed on (an export, a referral).
    public static let disclosuresLabel = LocalizedText(de: "Weitergaben", en: "Disclosures")
    /// What the `referrals` count is called wherever it is shown: `decision` entries (referral checks) that released
    /// at least one field. Not referrals: a check prepares one, and whether data then went is a disclosure. (The
    /// chart and CSV called them "Vermittlungen"/referrals while the page said "Prüfungen mit Freigabe".)
    public static let releasingChecksLabel = LocalizedText(de: "Prüfungen mit Freigabe", en: "Checks releasing data")
    /// The two counts explained in a sentence (page note, the chart's description).
    public static let countsExplained = LocalizedText(
        de: "Weitergaben: Datensätze, die ein Exportlauf an die Stelle geliefert hat. Prüfungen mit Freigabe: Weitergabeprüfungen, nach denen mindestens ein Feld an die Stelle gehen durfte; ob die Fallmanagerin es dann weitergegeben hat, protokolliert ConsentGate nicht (der Auskunftsbericht nach Art. 15 DSGVO führt diese Prüfungen deshalb als Weitergaben auf).",
        en: "Disclosures: records an export run delivered to the partner. Checks releasing data: referral checks after which at least one field was allowed to go to the partner; whether the case manager then passed it on is not recorded by ConsentGate (so the GDPR Art. 15 report lists these checks as disclosures).")

    /// What to group by.
    public enum Dimension: String, Sendable, CaseIterable { case partner, month }

    /// One group.
    public struct Row: Sendable, Equatable {
        /// The partner id, or nil when not grouped by partner.
        public var partner: String?
        /// `YYYY-MM`, the calendar month in Europe/Berlin (the county's), or nil when not grouped by month.
        public var month: String?
        /// `disclosure` entries (`disclosuresLabel`).
        public var disclosures: Int64
        /// `decision` entries that released at least one field (`releasingChecksLabel`; the name is the JSON member's).
        public var referrals: Int64
    }

    /// What the rows are grouped by: partner, month, both, or neither (one row of totals).
    public var dimensions: [Dimension]
    /// The groups with at least one disclosure or releasing check, sorted by partner, then month.
    public var rows: [Row]

    /// The part of `query` the statistics apply: its filters without `kinds`, `limit` and page bounds (only
    /// disclosures and releasing decisions count, all of them). Its `description` is what an `audit-read` of the
    /// statistics records, so the log never claims a filter that did not apply.
    public static func counted(_ query: AuditQuery) -> AuditQuery {
        var q = query
        q.kinds = []
        q.limit = nil
        q.after = nil
        q.before = nil
        q.newestFirst = false
        return q
    }

    /// CSV for spreadsheets used in German offices: UTF-8 with BOM, `;` separator, CRLF, RFC 4180 quoting,
    /// header in `language`; cells that a spreadsheet would read as a formula are prefixed with `'`.
    public func csv(language: Language) -> String {
        let de = language == .de
        var header: [String] = []
        if dimensions.contains(.partner) { header.append(de ? "Partner" : "partner") }
        if dimensions.contains(.month) { header.append(de ? "Monat" : "month") }
        header += [Self.disclosuresLabel, Self.releasingChecksLabel].map { de ? $0.de : $0.en.lowercased() }
        var lines = [header.map(Self.cell).joined(separator: ";")]
        for r in rows {
            var cells: [String] = []
            if dimensions.contains(.partner) { cells.append(Self.cell(r.partner ?? "")) }
            if dimensions.contains(.month) { cells.append(Self.cell(r.month ?? "")) }
            cells += [String(r.disclosures), String(r.referrals)]
            lines.append(cells.joined(separator: ";"))
        }
        return "\u{FEFF}" + lines.joined(separator: "\r\n") + "\r\n"
    }

    static func cell(_ s: String) -> String {
        var v = s
        if let f = v.first, "=+-@\t\r".contains(f) { v = "'" + v }
        if v.contains(where: { "\";\r\n".contains($0) }) { v = "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        return v
    }

    /// A horizontal grouped bar chart (disclosures and releasing checks per group) as standalone SVG text.
    public func svg(language: Language) -> String {
        let de = language == .de
        let labelWidth = 240, barArea = 480, rowHeight = 34, top = 70
        let height = top + max(rows.count, 1) * rowHeight + 20
        let width = labelWidth + barArea + 80
        let maxValue = max(1, rows.map { max($0.disclosures, $0.referrals) }.max() ?? 1)
        let title = de ? "\(Self.disclosuresLabel.de) und \(Self.releasingChecksLabel.de)" : "\(Self.disclosuresLabel.en) and \(Self.releasingChecksLabel.en.lowercased())"
        let byText = dimensions.map { d -> String in
            switch d { case .partner: return de ? "Partner" : "partner"; case .month: return de ? "Monat" : "month" }
        }.joined(separator: ", ")
        var s = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(width)" height="\(height)" viewBox="0 0 \(width) \(height)" font-family="sans-serif" font-size="12">
            <title>\(HTML.escape(title))</title>
            <desc>\(HTML.escape(Self.countsExplained[language]))</desc>
            <rect width="100%" height="100%" fill="white"/>
            <text x="10" y="22" font-size="16" font-weight="bold">\(HTML.escape(title)) (\(HTML.escape(de ? "nach" : "by")) \(HTML.escape(byText)))</text>
            <rect x="10" y="36" width="12" height="12" fill="#1f5fa6"/><text x="28" y="46">\(HTML.escape(Self.disclosuresLabel[language]))</text>
            <rect x="150" y="36" width="12" height="12" fill="#e07b00"/><text x="168" y="46">\(HTML.escape(Self.releasingChecksLabel[language]))</text>

            """
        if rows.isEmpty {
            s += "<text x=\"10\" y=\"\(top + 16)\">\(HTML.escape(de ? "Keine Daten" : "No data"))</text>\n"
        }
        for (i, r) in rows.enumerated() {
            let y = top + i * rowHeight
            let label = [r.partner, r.month].compactMap { $0 }.joined(separator: " · ")
            s += "<text x=\"\(labelWidth - 8)\" y=\"\(y + 18)\" text-anchor=\"end\">\(HTML.escape(label))</text>\n"
            for (j, (value, color)) in [(r.disclosures, "#1f5fa6"), (r.referrals, "#e07b00")].enumerated() {
                let w = Int((Double(value) / Double(maxValue) * Double(barArea)).rounded())
                let by = y + 2 + j * 14
                s += "<rect x=\"\(labelWidth)\" y=\"\(by)\" width=\"\(w)\" height=\"12\" fill=\"\(color)\"/>"
                s += "<text x=\"\(labelWidth + w + 4)\" y=\"\(by + 10)\" font-size=\"10\">\(value)</text>\n"
            }
        }
        s += "</svg>\n"
        return s
    }
}

extension DisclosureStats {
    /// The statistics from counts per partner (nil: not grouped by partner) and UTC hour (`YYYY-MM-DDTHH`; nil: not
    /// grouped by month): each hour filed under its Berlin month (the zone's offset is always whole hours, so an hour
    /// never straddles two), groups without a disclosure or releasing check left out, sorted by partner, then month.
    static func grouped(_ buckets: some Sequence<(partner: String?, hour: String?, disclosures: Int64, referrals: Int64)>,
                        by dimensions: [Dimension]) -> DisclosureStats {
        let byPartner = dimensions.contains(.partner), byMonth = dimensions.contains(.month)
        var sums: [StatsGroupKey: (disclosures: Int64, referrals: Int64)] = [:]
        var months: [String: String] = [:]
        for b in buckets {
            var month: String? = nil
            if byMonth, let hour = b.hour {
                if months[hour] == nil { months[hour] = AuditLogStore.berlinMonth(utcHour: hour) }
                month = months[hour]
            }
            let key = StatsGroupKey(partner: byPartner ? b.partner : nil, month: month)
            let sum = sums[key] ?? (0, 0)
            sums[key] = (sum.disclosures + b.disclosures, sum.referrals + b.referrals)
        }
        // Groups with neither a disclosure nor a releasing check (only denied decisions) are not figures to report.
        let rows = sums.filter { $0.value.disclosures + $0.value.referrals > 0 }
            .map { Row(partner: $0.key.partner, month: $0.key.month, disclosures: $0.value.disclosures, referrals: $0.value.referrals) }
            .sorted { ($0.partner ?? "", $0.month ?? "") < ($1.partner ?? "", $1.month ?? "") }
        return DisclosureStats(dimensions: dimensions, rows: rows)
    }
}

/// A group of the statistics: a partner and/or a Berlin month (nil: not grouped by it).
private struct StatsGroupKey: Hashable {
    var partner: String?
    var month: String?
}

extension AuditLogStore {
    /// Counts disclosures and releasing checks grouped by `dimensions`, over the entries `query` selects
    /// (its `kinds`, `limit` and page bounds are ignored: only disclosures and releasing decisions count, all of them).
    public func stats(by dimensions: [DisclosureStats.Dimension], query: AuditQuery = AuditQuery()) throws -> DisclosureStats {
        let q = DisclosureStats.counted(query)
        let (cond, args) = try q.whereClause()
        let byPartner = dimensions.contains(.partner), byMonth = dimensions.contains(.month)
        // Months are the county's calendar months (Europe/Berlin): grouped by UTC hour in SQL, each hour then
        // filed under its Berlin month (the zone's offset is always whole hours, so an hour never straddles two).
        var groups: [String] = []
        if byPartner { groups.append("partner") }
        if byMonth { groups.append("substr(time, 1, 13)") }
        let select = (byPartner ? "partner" : "NULL") + ", " + (byMonth ? "substr(time, 1, 13)" : "NULL")
        let groupBy = groups.isEmpty ? "" : " GROUP BY " + groups.joined(separator: ", ")
        let sql = """
            SELECT \(select), SUM(kind = 'disclosure'), SUM(kind = 'decision' AND released > 0)
            FROM audit_entry WHERE partner IS NOT NULL AND kind IN ('disclosure', 'decision') AND \(cond)\(groupBy)
            """
        var buckets: [(partner: String?, hour: String?, disclosures: Int64, referrals: Int64)] = []
        try read(.stats) { db in
            let cursor = try Row.fetchCursor(db, sql: sql, arguments: args)
            while let row = try cursor.next() {
                let r = StoredRow(row, table: "audit_entry", keyIndex: 0)
                buckets.append((try r.optional(at: 0), try r.optional(at: 1), row[2] ?? 0, row[3] ?? 0))
            }
        }
        return DisclosureStats.grouped(buckets, by: dimensions)
    }

    /// The county's zone, in which the statistics count months.
    static let statsZone = TimeZone(identifier: "Europe/Berlin")!

    /// `YYYY-MM` of the Berlin calendar month in which the UTC hour `YYYY-MM-DDTHH` (an entry time's first 13
    /// characters) lies; the UTC month for a text that is not such an hour (no stored entry has one).
    static func berlinMonth(utcHour: String) -> String {
        guard let date = AuditTime.parse(utcHour + ":00:00Z") else { return String(utcHour.prefix(7)) }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = statsZone
        let c = calendar.dateComponents([.year, .month], from: date)
        return String(format: "%04d-%02d", c.year ?? 0, c.month ?? 0)
    }
}
