import AuditLog
import Diagnostics
import Foundation
import Hummingbird

extension AuditPages {
    /// The caption of the log's table: the number of entries shown, in the singular for one ("1 Eintrag", "1 entry";
    /// before 2026-12-06 "1 Einträge" / "1 entries").
    static func entriesCaption(_ count: Int, language l: Language) -> String {
        switch (l, count) {
        case (.de, 1): "1 Eintrag, neueste zuerst"
        case (.de, _): "\(count) Einträge, neueste zuerst"
        case (_, 1): "1 entry, newest first"
        default: "\(count) entries, newest first"
        }
    }

    /// The links between pages of the log, the filters kept: older entries (`before` = the oldest index shown) when the
    /// page is full or was reached going forward; newer entries (`after` = the newest index shown) on a page reached by
    /// paging, unless a forward page came back short or `newerMatch` found nothing above a full one (then nothing newer
    /// matches); and the newest entries (the first page) from any later page. Before 2026-12-06 the page only went back.
    static func pagingLinks(_ request: Request, found: [StoredEntry], query q: AuditQuery, newerMatch: Bool = true,
                            language l: Language) -> HTML {
        let forward = q.after != nil && q.before == nil
        let paged = q.after != nil || q.before != nil
        let full = q.limit.map { found.count == $0 } ?? false
        var links: [HTML] = []
        if let newest = found.first?.index, paged, !forward || (full && newerMatch) {
            links.append("<p id=\"newer\"><a href=\"/audit?\(pageQuery(request, bound: ("after", newest)))\">\(l == .de ? "Neuere Einträge" : "Newer entries")</a></p>")
        }
        if let oldest = found.last?.index, full || forward {
            links.append("<p id=\"older\"><a href=\"/audit?\(pageQuery(request, bound: ("before", oldest)))\">\(l == .de ? "Ältere Einträge" : "Older entries")</a></p>")
        }
        if paged {
            links.append("<p id=\"newest\"><a href=\"/audit?\(pageQuery(request, bound: nil))\">\(l == .de ? "Neueste Einträge" : "Newest entries")</a></p>")
        }
        guard !links.isEmpty else { return .empty }
        return "<div id=\"paging\" class=\"no-print\">\(links)</div>"
    }

    /// The page's query without `before`, `after`, `verify` and `lang`, with `bound` added.
    static func pageQuery(_ request: Request, bound: (name: String, index: Int64)?) -> String {
        var items: [URLQueryItem] = []
        for (name, value) in request.uri.queryParameters where !["before", "after", "verify", "lang"].contains(name) {
            items.append(URLQueryItem(name: String(name), value: String(value)))
        }
        if let bound { items.append(URLQueryItem(name: bound.name, value: String(bound.index))) }
        var c = URLComponents()
        c.queryItems = items
        // `+` stands for a space in a query; a time zone offset such as +01:00 must keep its plus.
        return (c.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: "%2B")
    }
}
