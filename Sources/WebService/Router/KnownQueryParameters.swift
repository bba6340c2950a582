import Diagnostics
import Hummingbird

/// The query parameters a JSON route reads. Anything else is refused, so that a mistyped filter is never read as no
/// filter: found in a review, `GET /v1/audit/entries?subjcet=RSK-1` answered the whole log (and logged that read), and
/// `limit=5&limit=6` took one of the two without a word. `lang` (the answer's language, `de` or `en`, once) is known on
/// every route.
struct KnownQueryParameters: Sendable {
    /// The names the route reads.
    let names: Set<String>
    /// The names that may be given more than once (`kind` of the audit filters).
    let repeatable: Set<String>

    /// Parameters `names`, of which `repeatable` may come more than once.
    init(_ names: Set<String> = [], repeatable: Set<String> = []) {
        self.names = names
        self.repeatable = repeatable
    }

    /// None (besides `lang`).
    static let none = KnownQueryParameters()

    /// The audit log's filters (`AuditRoutes.query`).
    static let auditFilters = KnownQueryParameters(
        ["subject", "partner", "purpose", "kind", "actor", "municipality", "since", "until", "limit", "after", "before"],
        repeatable: ["kind"])

    /// The filters the statistics read (`DisclosureStats.counted`): they count a whole period, so `kind`, `limit`,
    /// `after` and `before` are refused rather than silently ignored (found in a review of the API, 2026-12-06).
    static let auditStatsFilters = KnownQueryParameters(["subject", "partner", "purpose", "actor", "municipality", "since", "until"])

    /// 400 for a parameter the route does not read (`unknown-field`, naming the ones it does), one given twice that may
    /// come only once, or one given without a value (`invalid-field`: leave it out instead).
    func check(_ request: Request) throws {
        guard let query = request.uri.query, !query.isEmpty else { return }
        var seen: Set<Substring> = []
        for (name, value) in request.uri.queryParameters {
            let key = String(name)
            guard names.contains(key) || key == "lang" else {
                let known = (names.sorted() + ["lang"]).joined(separator: ", ")
                throw WebError.badParameter(key, code: "unknown-field", de: "Parameter \"\(key)\" ist hier unbekannt (bekannt: \(known))",
                                          en: "parameter \"\(key)\" is not known here (known: \(known))")
            }
            guard seen.insert(name).inserted || repeatable.contains(key) else {
                throw WebError.badParameter(key, de: "Parameter \(key) ist mehrfach angegeben; er darf nur einmal vorkommen",
                                          en: "parameter \(key) is given more than once; it may appear only once")
            }
            guard !value.isEmpty else {
                throw WebError.badParameter(key, de: "Parameter \(key) hat keinen Wert; ohne Wert bitte weglassen",
                                          en: "parameter \(key) has no value; leave it out instead")
            }
            // The answer's language: one the service speaks (an API review: `lang=fr` was taken without a word, and the
            // answer came in German).
            if key == "lang", Language(rawValue: value.lowercased()) == nil {
                throw WebError.badParameter("lang", de: "Parameter lang: \"\(value)\" ist keine Sprache dieses Dienstes (de oder en)",
                                          en: "parameter lang: \"\(value)\" is not a language of this service (de or en)")
            }
        }
    }
}
