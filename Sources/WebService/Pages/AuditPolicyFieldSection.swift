import Diagnostics
import PolicyEngine

extension AuditPages {
    /// The field definitions a `policy-loaded` entry added, removed or changed (`FieldDefinitionDiff`), each changed
    /// aspect with its value before and after and what it means for the lists and decisions; empty when every field is
    /// defined as before. Values escaped by `HTML`'s interpolation (they come from the bundle).
    static func fieldDefinitionSection(_ diff: FieldDefinitionDiff, language l: Language) -> HTML {
        definitionSection(id: "field-changes", heading: LocalizedText(de: "Felddefinitionen", en: "Field definitions"),
                          added: diff.added, removed: diff.removed,
                          changed: diff.changed.map { ($0.field, $0.aspects, nil) }, language: l) { FieldDefinitionDiff.consequence(of: $0, in: l) }
    }

    /// The data categories a `policy-loaded` entry added, removed or changed (`CategoryDiff`: a `special` mark, labels),
    /// as `fieldDefinitionSection` shows fields; empty when every category is as before.
    static func categorySection(_ diff: CategoryDiff, language l: Language) -> HTML {
        definitionSection(id: "category-changes", heading: LocalizedText(de: "Datenkategorien", en: "Data categories"),
                          added: diff.added, removed: diff.removed,
                          changed: diff.changed.map { ($0.category, $0.aspects, nil) }, language: l) { CategoryDiff.consequence(of: $0, in: l) }
    }

    /// The subject attributes a `policy-loaded` entry added, removed or changed (`AttributeDefinitionDiff`), an attribute
    /// that rules test and that is now read otherwise with what that means; empty when every attribute is as before.
    static func attributeSection(_ diff: AttributeDefinitionDiff, language l: Language) -> HTML {
        let deciding = Set(diff.decidingChanges.map(\.attribute))
        return definitionSection(id: "attribute-changes", heading: LocalizedText(de: "Merkmale der Person", en: "Subject attributes"),
                                 added: diff.added, removed: diff.removed,
                                 changed: diff.changed.map { ($0.attribute, $0.aspects, deciding.contains($0.attribute) ? AttributeDefinitionDiff.decidingNote(in: l) : nil) },
                                 language: l) { _ in "" }
    }

    /// A section listing definitions added, removed and changed (each changed one with its aspects before and after,
    /// what each means, and a note); empty when there is nothing to list.
    private static func definitionSection(id: String, heading: LocalizedText, added: [String], removed: [String],
                                          changed: [(id: String, aspects: [FieldDefinitionDiff.Aspect], note: String?)],
                                          language l: Language, consequence: (FieldDefinitionDiff.Aspect) -> String) -> HTML {
        guard !added.isEmpty || !removed.isEmpty || !changed.isEmpty else { return "" }
        func ids(_ list: [String]) -> HTML { HTML.join(list.map { "<code>\($0)</code>" }, separator: ", ") }
        var items: [HTML] = []
        if !added.isEmpty { items.append("<li>\(l == .de ? "Neu" : "Added"): \(ids(added))</li>") }
        if !removed.isEmpty { items.append("<li>\(l == .de ? "Entfallen" : "Removed"): \(ids(removed))</li>") }
        for c in changed {
            var aspects = c.aspects.map { a -> HTML in
                let meaning = consequence(a)
                let words: HTML = meaning.isEmpty ? .empty : " (\(meaning))"
                return "<li><code>\(a.name)</code>: „\(a.before)“ → „\(a.after)“\(words)</li>"
            }
            if let note = c.note { aspects.append("<li><strong>\(note)</strong></li>") }
            items.append("<li><code>\(c.id)</code><ul>\(HTML.join(aspects))</ul></li>")
        }
        return """
        <section id="\(id)" aria-labelledby="\(id)-heading"><h3 id="\(id)-heading">\(heading[l])</h3>
        <ul>\(HTML.join(items))</ul></section>
        """
    }
}
