import Diagnostics
import PolicyEngine

extension AuditPages {
    /// The field definitions a `policy-loaded` entry added, removed or changed (`FieldDefinitionDiff`), each changed
    /// aspect with its value before and after and what it means for the lists and decisions; empty when every field is
    /// defined as before. Values escaped by `HTML`'s interpolation (they come from the bundle).
    static func fieldDefinitionSection(_ diff: FieldDefinitionDiff, language l: Language) -> HTML {
        guard !diff.isEmpty else { return "" }
        func ids(_ list: [String]) -> HTML { HTML.join(list.map { "<code>\($0)</code>" }, separator: ", ") }
        var items: [HTML] = []
        if !diff.added.isEmpty { items.append("<li>\(l == .de ? "Neu" : "Added"): \(ids(diff.added))</li>") }
        if !diff.removed.isEmpty { items.append("<li>\(l == .de ? "Entfallen" : "Removed"): \(ids(diff.removed))</li>") }
        for c in diff.changed {
            let aspects = c.aspects.map { a -> HTML in
                let consequence = FieldDefinitionDiff.consequence(of: a, in: l)
                let meaning: HTML = consequence.isEmpty ? .empty : " (\(consequence))"
                return "<li><code>\(a.name)</code>: „\(a.before)“ → „\(a.after)“\(meaning)</li>"
            }
            items.append("<li><code>\(c.field)</code><ul>\(aspects)</ul></li>")
        }
        return """
        <section id="field-changes" aria-labelledby="field-changes-heading"><h3 id="field-changes-heading">\(l == .de ? "Felddefinitionen" : "Field definitions")</h3>
        <ul>\(HTML.join(items))</ul></section>
        """
    }
}
