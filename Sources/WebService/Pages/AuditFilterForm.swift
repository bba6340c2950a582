import AuditLog
import Diagnostics
import Foundation
import Hummingbird
import PolicyEngine

extension AuditPages {
    /// The log filter's parameters and the ids of their controls (a refused filter links to its control).
    static let filterControls = ["subject": "f-subject", "partner": "f-partner", "kind": "f-kind", "purpose": "f-purpose",
                                 "actor": "f-actor", "municipality": "f-municipality", "since": "f-since", "until": "f-until"]

    /// The labels of the period's two date controls (the log's filters and the statistics' period).
    static let periodLabels = (since: LocalizedText(de: "Ab (Datum)", en: "From (date)"),
                               until: LocalizedText(de: "Bis (Datum, ausschließlich)", en: "Until (date, exclusive)"))

    /// The problems of a GET form's query (nil when it is in order, or refused otherwise than with a 400): a period
    /// the wrong way round in the form's words, anything else as `read` refuses it.
    static func queryProblems<T>(_ request: Request, controls: [String: String], form: String, untilControl: String,
                                 read: () throws -> T) throws -> QueryReading<T> {
        var first: [String: String] = [:]
        for (k, v) in request.uri.queryParameters where first[String(k)] == nil { first[String(k)] = String(v) }
        if let reversed = FormProblems(reversedPeriod: first, labels: periodLabels, untilControl: untilControl) { return .refused(reversed) }
        do { return .read(try read()) } catch {
            guard let problems = FormProblems(query: error, controls: controls, form: form, labels: filterFormLabels) else { throw error }
            return .refused(problems)
        }
    }

    /// The labels of the filter and period forms' controls, by parameter.
    static let filterFormLabels: [String: LocalizedText] = [
        "subject": LocalizedText(de: "Fall-ID", en: "Case id"), "partner": LocalizedText(de: "Stelle", en: "Partner"),
        "kind": LocalizedText(de: "Art", en: "Kind"), "purpose": LocalizedText(de: "Zweck", en: "Purpose"),
        "actor": LocalizedText(de: "Wer", en: "Who"), "municipality": LocalizedText(de: "Kommune", en: "Municipality"),
        "since": periodLabels.since, "until": periodLabels.until,
    ]

    /// ` aria-invalid="true"` (described by the error summary) for the control of a parameter `problems` names.
    static func invalidMark(_ parameter: String, _ problems: FormProblems) -> HTML {
        problems.has(parameter) ? HTML(raw: " aria-invalid=\"true\" aria-describedby=\"error-summary-title\"") : .empty
    }

    /// The log's filter form, with the values of the request's query (kept also when they were refused).
    static func filterForm(_ request: Request, problems: FormProblems, bundle: PolicyBundle, language l: Language) -> HTML {
        let v = request.uri.queryParameters
        func value(_ n: String) -> String { v[Substring(n)].map { String($0) } ?? "" }
        func bad(_ n: String) -> HTML { invalidMark(n, problems) }
        let kinds = AuditEntryKind.allCases.map { k -> HTML in
            "<option value=\"\(k.rawValue)\"\(value("kind") == k.rawValue ? HTML(raw: " selected") : .empty)>\(kindName(k)[l])</option>"
        }
        return """
        <form method="get" action="/audit" id="audit-filters" class="filters no-print" role="search" aria-label="\(l == .de ? "Filter" : "Filters")">
        <label for="f-subject">\(l == .de ? "Fall-ID" : "Case id")</label><input type="text" id="f-subject" name="subject" value="\(value("subject"))"\(bad("subject"))>
        <label for="f-partner">\(l == .de ? "Stelle" : "Partner")</label><input type="text" id="f-partner" list="f-partner-choices" name="partner" value="\(value("partner"))"\(bad("partner"))>
        <label for="f-kind">\(l == .de ? "Art" : "Kind")</label><select id="f-kind" name="kind"\(bad("kind"))><option value=""></option>\(kinds)</select>
        <label for="f-purpose">\(l == .de ? "Zweck" : "Purpose")</label><input type="text" id="f-purpose" list="f-purpose-choices" name="purpose" value="\(value("purpose"))"\(bad("purpose"))>
        <label for="f-actor">\(l == .de ? "Wer" : "Who")</label><input type="text" id="f-actor" name="actor" value="\(value("actor"))"\(bad("actor"))>
        <label for="f-municipality">\(l == .de ? "Kommune" : "Municipality")</label><input type="text" id="f-municipality" list="f-municipality-choices" name="municipality" value="\(value("municipality"))"\(bad("municipality"))>
        <label for="f-since">\(periodLabels.since[l])</label><input type="date" id="f-since" name="since" value="\(value("since"))"\(bad("since"))>
        <label for="f-until">\(periodLabels.until[l])</label><input type="date" id="f-until" name="until" value="\(value("until"))"\(bad("until"))>
        <div><button type="submit">\(l == .de ? "Filtern" : "Filter")</button></div>
        \(filterChoices(bundle, language: l))
        </form>
        """
    }
}

/// A GET form's query, read, or refused with the problems to show at the form (`AuditPages.queryProblems`).
enum QueryReading<Value> {
    case read(Value)
    case refused(FormProblems)
}
