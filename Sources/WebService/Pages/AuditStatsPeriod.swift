import AuditLog
import Diagnostics
import Foundation
import Hummingbird

extension AuditPages {
    /// The period the statistics page counts: `since` (inclusive) and `until` (exclusive) from the query, each a date
    /// `YYYY-MM-DD` (the start of that day in Europe/Berlin, as the form sends it) or an RFC 3339 time, as
    /// `GET /v1/audit/stats` reads them; 400 naming a bad value or an empty period. Empty or absent: no bound.
    static func statsPeriod(_ request: Request) throws -> AuditQuery {
        let q = request.uri.queryParameters
        func text(_ name: String) -> String? { q[Substring(name)].map { String($0) }.flatMap { $0.isEmpty ? nil : $0 } }
        let (since, until) = try AuditRoutes.period(since: text("since"), until: text("until"))
        return AuditQuery(since: since, until: until)
    }

    /// The form choosing the statistics' period (two dates), its values kept (also when refused: `problems` marks the
    /// control); with a link back to the whole log when a period is chosen.
    static func statsPeriodForm(_ request: Request, problems: FormProblems, language l: Language) -> HTML {
        let q = request.uri.queryParameters
        func value(_ n: String) -> String { q[Substring(n)].map { String($0) } ?? "" }
        let chosen = !value("since").isEmpty || !value("until").isEmpty
        let whole: HTML = chosen ? "<p id=\"stats-whole\" class=\"no-print\"><a href=\"/audit/stats\">\(l == .de ? "Ganzes Protokoll" : "Whole log")</a></p>" : .empty
        return """
        <form method="get" action="/audit/stats" id="stats-period" class="filters no-print" aria-label="\(l == .de ? "Zeitraum" : "Period")">
        <label for="s-since">\(periodLabels.since[l])</label><input type="date" id="s-since" name="since" value="\(value("since"))"\(invalidMark("since", problems))>
        <label for="s-until">\(periodLabels.until[l])</label><input type="date" id="s-until" name="until" value="\(value("until"))"\(invalidMark("until", problems))>
        <div><button type="submit">\(l == .de ? "Zeitraum zeigen" : "Show period")</button></div>
        </form>
        \(whole)
        """
    }
}
