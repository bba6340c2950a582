import Diagnostics
import Foundation
import Gate
import PolicyEngine

/// The check form's part for the policy's stateable attributes (`CompiledPolicy.stateableAttributes`, e.g.
/// `child-endangerment`): one labelled checkbox per `bool` attribute, in a fieldset of its own, ticked meaning "true
/// for this decision" (unticked states nothing: the rules then find no value). Attributes of other types are not
/// offered on the page (the API and `check --attribute` take them).
extension CheckPage {
    /// The form's name of the stateable checkboxes (one entry per ticked box, its value the attribute id).
    static let statedName = "stated"
    /// The legend of the stateable checkboxes.
    static let statedLegend = LocalizedText(de: "Angaben zum Anlass (nur für diese Entscheidung, nicht bei der Person gespeichert)",
                                            en: "Facts of the referral (for this decision only, not stored with the person)")

    /// The stateable attributes the page offers: the `bool` ones, in the policy's order.
    static func statedCheckboxAttributes(_ policy: CompiledPolicy) -> [SubjectAttributeDefinition] {
        policy.stateableAttributes.filter { $0.type == .bool }
    }

    /// The id of the checkbox of stateable attribute `id`.
    static func statedCheckboxID(_ id: String) -> String { "stated-" + id }

    /// The values the ticked boxes state (`true` each), or a problem at `stated` for an entry that is no stateable
    /// `bool` attribute (only a form not sent by this page has one).
    static func statedValues(_ form: FormData, policy: CompiledPolicy, problems: inout FormProblems) -> [String: AttributeValue] {
        let offered = Set(statedCheckboxAttributes(policy).map(\.id))
        var values = [String: AttributeValue]()
        for id in form.all(statedName) {
            guard offered.contains(id) else {
                let list = offered.sorted().joined(separator: ", ")
                problems.add(statedName, anchor: statedCheckboxAttributes(policy).first.map { statedCheckboxID($0.id) },
                             LocalizedText(de: "\"\(id)\" ist kein Merkmal, das hier angegeben werden kann (angebbar: \(list))",
                                           en: "\"\(id)\" is not an attribute that can be stated here (stateable: \(list))"),
                             status: .unprocessableContent)
                return [:]
            }
            values[id] = .bool(true)
        }
        return values
    }

    /// The fieldset of checkboxes (empty when the policy has no stateable `bool` attribute), each labelled with the
    /// attribute's label and id, ticked as `checked` says (kept when the form comes back with a problem).
    static func statedFieldset(_ policy: CompiledPolicy, checked: Set<String>, language l: Language, problems: FormProblems) -> HTML {
        let attributes = statedCheckboxAttributes(policy)
        guard !attributes.isEmpty else { return .empty }
        let boxes = attributes.map { a -> HTML in
            let id = statedCheckboxID(a.id)
            let on: HTML = checked.contains(a.id) ? HTML(raw: " checked") : .empty
            return "<div class=\"check\"><input type=\"checkbox\" id=\"\(id)\" name=\"\(statedName)\" value=\"\(a.id)\"\(on)> <label class=\"inline\" for=\"\(id)\">\(a.label?[l] ?? a.id) <span class=\"muted\">(\(a.id))</span></label></div>"
        }
        return "<fieldset id=\"\(statedName)\"\(problems.groupAttributes(statedName))><legend>\(statedLegend[l])</legend>\(problems.message(statedName, language: l))\(boxes)</fieldset>"
    }

    /// The line under the result naming what the request stated (nothing when it stated nothing).
    static func statedSummary(_ stated: [String: AttributeValue], policy: CompiledPolicy, language l: Language) -> HTML {
        guard !stated.isEmpty else { return .empty }
        let items = policy.stateableAttributes.compactMap { a -> HTML? in
            guard let v = stated[a.id] else { return nil }
            let value: String
            if case let .bool(b) = v { value = b ? (l == .de ? "ja" : "yes") : (l == .de ? "nein" : "no") } else { value = v.description }
            return "<li data-stated=\"\(a.id)\">\(a.label?[l] ?? a.id) <span class=\"muted\">(\(a.id))</span>: \(value)</li>"
        }
        return "<p>\(l == .de ? "Für diese Entscheidung angegeben:" : "Stated for this decision:")</p><ul class=\"stated\">\(items)</ul>"
    }
}
