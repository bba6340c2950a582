import AuditLog
import Diagnostics
import Foundation
import PolicyEngine

extension AuditPages {
    /// The log filter's choices from the policy in force, as `<datalist>`s for the partner, purpose and municipality
    /// fields: the log stores ids (`jobcenter`) and the county's exact spelling (`Hennef (Sieg)`), and a filter typed
    /// otherwise (`Jobcenter`, `Hennef`) found nothing, with no word why. Free text stays possible (older entries may
    /// carry ids and names of earlier policies).
    static func filterChoices(_ bundle: PolicyBundle, language l: Language) -> HTML {
        func options(_ list: [(value: String, label: String?)]) -> HTML {
            HTML.join(list.map { o in "<option value=\"\(o.value)\">\(o.label ?? "")</option>" })
        }
        return """
        <datalist id="f-partner-choices">\(options(bundle.partners.map { ($0.id, $0.name[l]) }))</datalist>
        <datalist id="f-purpose-choices">\(options(bundle.purposes.map { ($0.id, $0.label[l]) }))</datalist>
        <datalist id="f-municipality-choices">\(options(bundle.countyMunicipalities.sorted.map { ($0, nil) }))</datalist>
        """
    }

    /// A sentence for each filter value the policy in force does not know (a partner or purpose id, a municipality),
    /// naming what was probably meant; empty when all are known. The query still runs: entries logged under an
    /// earlier policy may carry ids and names it no longer has.
    static func filterHints(_ query: AuditQuery, bundle: PolicyBundle, language l: Language) -> HTML {
        func folded(_ s: String) -> String {
            s.trimmingCharacters(in: .whitespaces).folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
        }
        func meant(_ typed: String, among ids: [(id: String, name: String)]) -> [String] {
            let t = folded(typed)
            return ids.filter { folded($0.id) == t || folded($0.name) == t || (!t.isEmpty && folded($0.name).hasPrefix(t)) }.map(\.id)
        }
        var hints: [HTML] = []
        func hint(_ what: LocalizedText, _ typed: String, _ suggestions: [String]) {
            let quoted = suggestions.map { "„\($0)“" }
            let de = "\(what.de) „\(typed)“ kennt die geltende Richtlinie nicht"
                + (quoted.isEmpty ? "" : "; gemeint ist wohl \(quoted.joined(separator: " oder "))")
                + ". Ältere Einträge können Namen früherer Richtlinien tragen."
            let en = "The policy in force knows no \(what.en) “\(typed)”"
                + (suggestions.isEmpty ? "" : "; did you mean \(suggestions.map { "“\($0)”" }.joined(separator: " or "))")
                + "? Older entries may carry names of earlier policies."
            hints.append("<p class=\"filter-hint\" role=\"status\">\(l == .de ? de : en)</p>")
        }
        if let p = query.partner, bundle.partner(p) == nil {
            hint(LocalizedText(de: "Eine Stelle", en: "partner"), p,
                 meant(p, among: bundle.partners.flatMap { [($0.id, $0.name.de), ($0.id, $0.name.en)] }).uniqued())
        }
        if let p = query.purpose, bundle.purpose(p) == nil {
            hint(LocalizedText(de: "Einen Zweck", en: "purpose"), p,
                 meant(p, among: bundle.purposes.flatMap { [($0.id, $0.label.de), ($0.id, $0.label.en)] }).uniqued())
        }
        let county = bundle.countyMunicipalities
        if let m = query.municipality, !county.names.isEmpty, !county.admits(m) {
            hint(LocalizedText(de: "Eine Kommune", en: "municipality"), m, county.suggestions(for: m))
        }
        return HTML.join(hints)
    }
}

private extension Array where Element == String {
    /// The elements in order, each once.
    func uniqued() -> [String] {
        var seen: Set<String> = []
        return filter { seen.insert($0).inserted }
    }
}
