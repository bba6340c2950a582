import Diagnostics
import Foundation
import PolicyEngine

/// Form controls built from the policy: partner and purpose selects, field checkboxes grouped by
/// category (each group a fieldset with a legend, each box with its label), every one labelled.
enum PolicyWidgets {
    /// A labelled select with an empty first option; a problem at `name` shows under the label and marks the
    /// select invalid.
    static func select(name: String, label: LocalizedText, options: [(String, LocalizedText)], selected: String?, language: Language,
                       problems: FormProblems = FormProblems()) -> HTML {
        // In the order of their names in the page's language (English pages listed them in the order of the German ids:
        // a review of the pages), and the label says the choice is required, not only the `required` attribute.
        let sorted = options.sorted { a, b in
            a.1[language].compare(b.1[language], options: [.caseInsensitive, .diacriticInsensitive]) == .orderedAscending
        }
        let opts = sorted.map { id, text -> HTML in
            let sel: HTML = id == selected ? HTML(raw: " selected") : .empty
            return "<option value=\"\(id)\"\(sel)>\(text[language])</option>"
        }
        return "<label for=\"\(name)\">\(label[language]) \(requiredMark(language))</label>\(problems.message(name, language: language))<select id=\"\(name)\" name=\"\(name)\" required\(problems.attributes(name))><option value=\"\"></option>\(opts)</select>"
    }

    /// The visible mark of a required control, inside its label.
    static func requiredMark(_ language: Language) -> HTML {
        "<span class=\"required\">\(language == .de ? "(Pflichtangabe)" : "(required)")</span>"
    }

    /// The label of the partner select.
    static let partnerLabel = LocalizedText(de: "Stelle (Empfänger)", en: "Partner (recipient)")
    /// The label of the purpose select.
    static let purposeLabel = LocalizedText(de: "Zweck", en: "Purpose")
    /// The legend of all field checkboxes together.
    static let fieldsLabel = LocalizedText(de: "Felder, die weitergegeben werden sollen", en: "Fields to pass on")
    /// Said in the legend of the field checkboxes: the group is required (a `required` on a checkbox would demand that
    /// very box, so the group says it in words, which a screen reader reads with the group's name).
    static let fieldsRequired = LocalizedText(de: "Pflichtangabe: mindestens ein Feld ankreuzen", en: "required: tick at least one field")

    static func partnerSelect(_ policy: CompiledPolicy, selected: String?, language: Language, problems: FormProblems = FormProblems()) -> HTML {
        select(name: "partner", label: partnerLabel,
               options: policy.bundle.partners.map { ($0.id, $0.name) }, selected: selected, language: language, problems: problems)
    }

    static func purposeSelect(_ policy: CompiledPolicy, selected: String?, language: Language, problems: FormProblems = FormProblems()) -> HTML {
        select(name: "purpose", label: purposeLabel,
               options: policy.bundle.purposes.map { ($0.id, $0.label) }, selected: selected, language: language, problems: problems)
    }

    /// The id of the checkbox of field `id`.
    static func checkboxID(field id: String) -> String { "field-" + id.replacingOccurrences(of: ".", with: "-") }

    /// The id of the first field checkbox (where the error summary's link for `fields` leads).
    static func firstCheckboxID(_ policy: CompiledPolicy) -> String? {
        policy.bundle.categories.lazy.compactMap { c in policy.bundle.fields.first { $0.category == c.id } }.first.map { checkboxID(field: $0.id) }
    }

    /// All field checkboxes in one fieldset (`id="fields"`, legend "fields to pass on", saying that at least one is
    /// required) that carries a problem at `fields` (message under the legend, `aria-describedby`), inside it one
    /// fieldset per category.
    static func fieldGroup(_ policy: CompiledPolicy, checked: Set<String>, language: Language, problems: FormProblems) -> HTML {
        """
        <fieldset id="fields" class="field-group"\(problems.groupAttributes("fields"))><legend>\(fieldsLabel[language]) <span class="required-note">(\(fieldsRequired[language]))</span></legend>\(problems.message("fields", language: language))\(fieldCheckboxes(policy, checked: checked, language: language))</fieldset>
        """
    }

    /// One fieldset per category with a checkbox per field.
    static func fieldCheckboxes(_ policy: CompiledPolicy, checked: Set<String>, language: Language) -> HTML {
        let groups = policy.bundle.categories.compactMap { category -> HTML? in
            let fields = policy.bundle.fields.filter { $0.category == category.id }
            guard !fields.isEmpty else { return nil }
            let boxes = fields.map { f -> HTML in
                let id = checkboxID(field: f.id)
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
