import Diagnostics

/// Which fields, partners and purposes each rule covers, by index: shared by the shadow check and the compiler.
struct RuleScope {
    let fieldIndex: [String: Int]
    let fieldsOfCategory: [String: [Int]]
    let partnerIDs: [String]
    let purposeIDs: [String]
    let bundle: PolicyBundle

    init(_ bundle: PolicyBundle) {
        self.bundle = bundle
        var fi: [String: Int] = [:]
        var byCat: [String: [Int]] = [:]
        for (i, f) in bundle.fields.enumerated() { fi[f.id] = i; byCat[f.category, default: []].append(i) }
        fieldIndex = fi; fieldsOfCategory = byCat
        partnerIDs = bundle.partners.map(\.id); purposeIDs = bundle.purposes.map(\.id)
    }

    /// The field indices a rule covers (its field patterns plus every field of its category patterns), sorted.
    func fields(of rule: Rule) -> [Int] {
        var set = Set<Int>()
        for p in rule.fields {
            if Glob.isPattern(p) {
                for (i, f) in bundle.fields.enumerated() where Glob.matches(p, f.id) { set.insert(i) }
            } else if let i = fieldIndex[p] { set.insert(i) }
        }
        for p in rule.categories {
            for c in bundle.categories where Glob.isPattern(p) ? Glob.matches(p, c.id) : c.id == p {
                set.formUnion(fieldsOfCategory[c.id] ?? [])
            }
        }
        return set.sorted()
    }

    /// Partner indices of a rule (all when omitted).
    func partners(of rule: Rule) -> [Int] {
        guard let list = rule.partners else { return Array(partnerIDs.indices) }
        return partnerIDs.indices.filter { list.contains(partnerIDs[$0]) }
    }

    /// Purpose indices of a rule (all when omitted).
    func purposes(of rule: Rule) -> [Int] {
        guard let list = rule.purposes else { return Array(purposeIDs.indices) }
        return purposeIDs.indices.filter { list.contains(purposeIDs[$0]) }
    }
}

/// Finds permit rules that can never release anything because unconditional forbid rules cover every partner,
/// purpose and field they cover. A forbid `unless: explicit-consent` counts for a partner, purpose and field when no
/// explicit consent clause of any template covers that partner, purpose and the field's category: then no consent a
/// person can sign lifts it, and it blocks as surely as a forbid without `unless` (CONTRACTS §3 semantics 3 and 6).
enum ShadowCheck {
    /// `skipping`: rules another check already reported as never releasing anything (`ConsentCoverageCheck`). Returns
    /// the ids of the rules it reported.
    @discardableResult
    static func check(_ bundle: PolicyBundle, reader: NodeReader, skipping: Set<String> = []) -> Set<String> {
        let scope = RuleScope(bundle)
        let forbids = bundle.rules.filter { $0.effect == .forbid && $0.when.isAlways }
        guard !forbids.isEmpty else { return [] }
        var reported = Set<String>()
        let forbidScopes = forbids.map { (rule: $0, partners: Set(scope.partners(of: $0)), purposes: Set(scope.purposes(of: $0)), fields: Set(scope.fields(of: $0))) }
        // Earlier versions count too: a consent signed on one still lifts the forbid (the evaluator reads it by its version).
        let explicitClauses = bundle.templateVersions.flatMap(\.clauses).filter(\.explicit)
        /// Whether an explicit clause can lift a forbid `unless: explicit-consent` for this partner, purpose and field.
        func liftable(_ p: Int, _ u: Int, _ field: Int) -> Bool {
            let partner = scope.partnerIDs[p], purpose = scope.purposeIDs[u], category = bundle.fields[field].category
            return explicitClauses.contains { $0.covers(partner: partner, purpose: purpose, category: category) }
        }
        for rule in bundle.rules where rule.effect == .permit && !skipping.contains(rule.id) {
            let fields = scope.fields(of: rule)
            let partners = scope.partners(of: rule), purposes = scope.purposes(of: rule)
            guard !fields.isEmpty, !partners.isEmpty, !purposes.isEmpty else { continue }
            var shadowing = Set<String>()
            var unlifted = false
            var fullyShadowed = true
            outer: for p in partners {
                for u in purposes {
                    var covered = Set<Int>()
                    for f in forbidScopes where f.partners.contains(p) && f.purposes.contains(u) {
                        var hit = f.fields.intersection(fields)
                        if f.rule.unlessExplicitConsent { hit = hit.filter { !liftable(p, u, $0) } }
                        if !hit.isEmpty {
                            covered.formUnion(hit); shadowing.insert(f.rule.id)
                            if f.rule.unlessExplicitConsent { unlifted = true }
                        }
                    }
                    if covered.count < fields.count { fullyShadowed = false; break outer }
                }
            }
            if fullyShadowed {
                reported.insert(rule.id)
                let by = shadowing.sorted().map { "`\($0)`" }.joined(separator: ", ")
                reader.report("permit-shadowed", at: rule.location,
                              de: "Regel `\(rule.id)` kann nie etwas freigeben: vollständig verdeckt durch Verbot \(by)"
                                  + (unlifted ? " (keine ausdrückliche Einwilligungsklausel kann `unless: explicit-consent` hier aufheben)" : ""),
                              en: "rule `\(rule.id)` can never release anything: fully shadowed by forbid \(by)"
                                  + (unlifted ? " (no explicit consent clause can lift `unless: explicit-consent` here)" : ""))
            }
        }
        return reported
    }
}
