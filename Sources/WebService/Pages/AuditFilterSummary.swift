import AuditLog
import Diagnostics
import Foundation
import Hummingbird
import PolicyEngine
import Signing

extension AuditPages {
    /// The filters a list or a count was made with, in words, for the screen and for paper (the filter form is not
    /// printed): a printed filtered log read like the whole log, a period of the statistics was not printed at all (found in
    /// a review of the pages). Partners, purposes and kinds by name with the id beside them, days as the page writes them.
    /// `parameters`: the query parameters that filter (in the order said); without any, "no filter: the whole log". The
    /// kinds are those the query was read with (`kind` may be given more than once); `window`: the indexes of the entries
    /// shown when the list is one page of more (paging), said so that a printed page does not read as all there is.
    static func filterSummary(_ request: Request, parameters: [String], bundle: PolicyBundle, language l: Language,
                              kinds: [AuditEntryKind] = [], window: ClosedRange<Int64>? = nil) -> HTML {
        let query = request.uri.queryParameters
        var parts: [String] = []
        for name in parameters {
            if name == "kind" {
                if !kinds.isEmpty, let label = filterLabels[name] {
                    parts.append("\(label[l]) = " + kinds.map { "\(kindName($0)[l]) (\($0.rawValue))" }.joined(separator: l == .de ? " oder " : " or "))
                }
                continue
            }
            guard let raw = query[Substring(name)].map(String.init), !raw.isEmpty, let label = filterLabels[name] else { continue }
            let value = filterValue(raw, parameter: name, bundle: bundle, language: l)
            switch name {
            case "since": parts.append("\(label[l]) \(value)")
            case "until": parts.append("\(label[l]) \(value) (\(l == .de ? "ausschließlich" : "exclusive"))")
            default: parts.append("\(label[l]) = \(value)")
            }
        }
        var text = parts.isEmpty
            ? (window == nil ? (l == .de ? "Ohne Filter: das ganze Protokoll." : "No filter: the whole log.") : (l == .de ? "Ohne Filter." : "No filter."))
            : (l == .de ? "Filter: " : "Filters: ") + parts.joined(separator: "; ") + "."
        if let window {
            text += l == .de ? " Gezeigt wird eine Seite: Einträge \(window.lowerBound) bis \(window.upperBound); weitere über die Links unter der Tabelle."
                             : " One page is shown: entries \(window.lowerBound) to \(window.upperBound); more through the links below the table."
        }
        return "<p id=\"filter-summary\">\(text)</p>"
    }

    /// The filters' names, as the form's labels say them.
    static let filterLabels: [String: LocalizedText] = [
        "subject": LocalizedText(de: "Fall-ID", en: "Case id"),
        "partner": LocalizedText(de: "Stelle", en: "Partner"),
        "kind": LocalizedText(de: "Art", en: "Kind"),
        "purpose": LocalizedText(de: "Zweck", en: "Purpose"),
        "actor": LocalizedText(de: "Wer", en: "Who"),
        "municipality": LocalizedText(de: "Kommune", en: "Municipality"),
        "since": LocalizedText(de: "ab", en: "from"),
        "until": LocalizedText(de: "bis", en: "until"),
    ]

    /// One filter's value in words: a partner, purpose or kind by name (id beside it), a day in the page's form, a time in
    /// Berlin; anything else as given.
    private static func filterValue(_ raw: String, parameter: String, bundle: PolicyBundle, language l: Language) -> String {
        switch parameter {
        case "partner": if let name = bundle.partner(raw)?.name[l] { return "\(name) (\(raw))" }
        case "purpose": if let label = bundle.purpose(raw)?.label[l] { return "\(label) (\(raw))" }
        case "kind": if let kind = AuditEntryKind(rawValue: raw) { return "\(kindName(kind)[l]) (\(raw))" }
        case "since", "until":
            if let day = UTCDay.parse(raw) { return ConsentPages.dayText(day, l) }
            if let time = RFC3339.parse(raw) { return BerlinTime.format(time, language: l) }
        default: break
        }
        return raw
    }
}
