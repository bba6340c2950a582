import Diagnostics
import Foundation
import PolicyEngine

/// Form controls built from the policy: partner and purpose selects, field checkboxes grouped by
/// category (each group a fieldset with a legend, each box with its label), every one labelled.
enum PolicyWidgets {
    static func select(name: String, label: LocalizedText, options: [(String, LocalizedText)], selected: String?, language: Language) -> HTML {
        let opts = options.map { id, text -> HTML in
            let sel: HTML = id == selected ? HTML(raw: " selected") : .empty
            return "<option value=\"\(id)\"\(sel)>\(text[language])</option>"
        }
        return "<label for=\"\(name)\">\(label[language])</label><select id=\"\(name)\" name=\"\(name)\" required><option value=\"\"></option>\(opts)</select>"
    }

    static func partnerSelect(_ policy: CompiledPolicy, selected: String?, language: Language) -> HTML {
        select(name: "partner", label: LocalizedText(de: "Stelle (Empfänger)", en: "Partner (recipient)"),
               options: policy.bundle.partners.map { ($0.id, $0.name) }, selected: selected, language: language)
    }

    static func purposeSelect(_ policy: CompiledPolicy, selected: String?, language: Language) -> HTML {
        select(name: "purpose", label: LocalizedText(de: "Zweck", en: "Purpose"),
               options: policy.bundle.purposes.map { ($0.id, $0.label) }, selected: selected, language: language)
    }

    /// One fieldset per category with a checkbox per field.
    static func fieldCheckboxes(_ policy: CompiledPolicy, checked: Set<String>, language: Language) -> HTML {
        let groups = policy.bundle.categories.compactMap { category -> HTML? in
            let fields = policy.bundle.fields.filter { $0.category == category.id }
            guard !fields.isEmpty else { return nil }
            let boxes = fields.map { f -> HTML in
                let id = "field-" + f.id.replacingOccurrences(of: ".", with: "-")
                let on: HTML = checked.contains(f.id) ? HTML(raw: " checked") : .empty
                return "<div class=\"check\"><input type=\"checkbox\" id=\"\(id)\" name=\"fields\" value=\"\(f.id)\"\(on)> <label class=\"inline\" for=\"\(id)\">\(f.label[language]) <span class=\"muted\">(\(f.id))</span></label></div>"
            }
            let special: HTML = category.special ? " <span class=\"muted\">– \(language == .de ? "besondere Kategorie, Art. 9 DSGVO" : "special category, GDPR Art. 9")</span>" : .empty
            return "<fieldset><legend>\(category.label[language])\(special)</legend>\(boxes)</fieldset>"
        }
        return HTML.join(groups)
    }

    /// The label of a field id (the id itself when unknown).
    static func fieldLabel(_ id: String, policy: CompiledPolicy, language: Language) -> String {
        policy.field(id)?.label[language] ?? id
    }
}
