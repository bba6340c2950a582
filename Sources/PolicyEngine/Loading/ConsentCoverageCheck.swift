import Diagnostics

/// Finds permit rules with `basis: consent` that no clause of any consent template (current or earlier version) could
/// ever satisfy: no clause lets any of their fields go to any of their partners for any of their purposes (for a field of
/// a special category, no explicit clause does). Such a rule can never release anything, as a permit a forbid fully
/// shadows cannot (CONTRACTS §3 semantics 2 and 6). Found in a review: with `consent-templates.yaml` deleted, `policy
/// check` named two rules as shadowed by forbids and said nothing of the missing file behind every consent rule.
enum ConsentCoverageCheck {
    /// Reports each such rule at its location, except those in `skipping` (already reported as shadowed by a forbid,
    /// the more precise words), and returns the ids it reported; a bundle without any template is one problem.
    @discardableResult
    static func check(_ bundle: PolicyBundle, reader: NodeReader, skipping: Set<String> = []) -> Set<String> {
        let scope = RuleScope(bundle)
        let clauses = bundle.templateVersions.flatMap(\.clauses)
        let special = Set(bundle.categories.filter(\.special).map(\.id))
        var uncovered: [Rule] = []
        for rule in bundle.rules where rule.effect == .permit && rule.basis == .consent && !skipping.contains(rule.id) {
            let fields = scope.fields(of: rule)
            let partners = scope.partners(of: rule), purposes = scope.purposes(of: rule)
            guard !fields.isEmpty, !partners.isEmpty, !purposes.isEmpty else { continue }
            let categories = Set(fields.map { bundle.fields[$0].category })
            let satisfiable = clauses.contains { c in
                categories.contains { category in
                    (c.explicit || !special.contains(category)) && partners.contains { p in
                        purposes.contains { u in c.covers(partner: scope.partnerIDs[p], purpose: scope.purposeIDs[u], category: category) }
                    }
                }
            }
            if !satisfiable { uncovered.append(rule) }
        }
        // No template at all: one problem for the one cause, at the first rule it leaves without a clause.
        if bundle.templates.isEmpty, let first = uncovered.first {
            let ids = uncovered.map { "`\($0.id)`" }.joined(separator: ", ")
            reader.report("consent-rule-uncovered", at: first.location,
                          de: "das Paket hat keine Einwilligungsvorlagen (fehlt consent-templates.yaml?): die Regeln \(ids) stützen sich auf eine Einwilligung und können nie etwas freigeben",
                          en: "the bundle has no consent templates (is consent-templates.yaml missing?): rules \(ids) rest on consent and can never release anything")
        } else {
            for rule in uncovered {
                reader.report("consent-rule-uncovered", at: rule.location,
                              de: "Regel `\(rule.id)` kann nie etwas freigeben: sie stützt sich auf eine Einwilligung, aber keine Klausel einer Einwilligungsvorlage erlaubt ihre Daten an ihre Partner für ihre Zwecke (für eine besondere Kategorie: keine ausdrückliche)",
                              en: "rule `\(rule.id)` can never release anything: it rests on consent, but no clause of a consent template lets its data go to its partners for its purposes (for a special category: no explicit one)")
            }
        }
        return Set(uncovered.map(\.id))
    }
}
