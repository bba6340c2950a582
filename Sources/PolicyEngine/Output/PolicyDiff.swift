import Diagnostics
import Foundation

/// What a policy change changes for the people whose data it governs (`consentgate policy diff OLD NEW`): per
/// partner, purpose and field, the rules that release or block the field before and after, with basis, norm,
/// condition and the consent clauses that can cover it. A DPO reviews a new bundle with it before it is put in
/// force: a field that a partner newly receives by statute, a consent rule that disappeared, a condition or a
/// norm that changed, a field that a new clause now covers. Rules renamed without any other change show too
/// (the audit log names rules). The export profiles are compared too (`ExportProfileDiff`): whose rows and which
/// columns each partner's export takes. And the consent templates (`TemplateDiff`): templates, versions, clauses
/// and their wording per language, languages, minimum age and longest validity; a template changed under its
/// unchanged id and version is warned about first.
public struct PolicyDiff: Sendable {
    /// One rule as it covers a field for a partner and purpose (a `ReleaseMatrix` row without its field list).
    public struct Coverage: Sendable, Hashable, Comparable {
        /// The rule id.
        public var rule: String
        /// How the rule treats the field (statute, consent, never, never unless explicit consent).
        public var basis: ReleaseMatrix.Basis
        /// The norm the rule cites (its canonical text, as decisions name it).
        public var citation: String
        /// The English text of the citation, when the bundle gives one: a change of it alone is a change too (what an
        /// English reader reads of the rule changed).
        public var citationEnglish: String? = nil
        /// The rule's condition in words, empty when it always applies.
        public var condition: String
        /// The clauses that can release the field under this rule, as `template/clause` (` (explicit)` for an explicit one).
        public var clauses: [String]

        /// Orders by rule id, then basis, citation (canonical, then English), condition and clauses: the stable order changes are listed in.
        public static func < (a: Coverage, b: Coverage) -> Bool {
            (a.rule, a.basis.rawValue, a.citation, a.citationEnglish ?? "", a.condition, a.clauses.joined(separator: ","))
                < (b.rule, b.basis.rawValue, b.citation, b.citationEnglish ?? "", b.condition, b.clauses.joined(separator: ","))
        }
    }

    /// How a field's coverage changed.
    public enum Kind: String, Sendable {
        /// No rule covered the field for this partner and purpose before (it was never released: default deny).
        case added
        /// No rule covers it any more (it is never released now).
        case removed
        case changed
    }

    /// One field of one partner and purpose whose coverage differs.
    public struct Change: Sendable {
        /// The partner id.
        public var partner: String
        /// The purpose id.
        public var purpose: String
        /// The field id.
        public var field: String
        /// Whether rules cover the field newly, no longer, or differently.
        public var kind: Kind
        /// The rules before and after, each sorted by rule id.
        public var before: [Coverage]
        /// The rules covering the field under the new bundle, sorted by rule id (empty when `removed`).
        public var after: [Coverage]
        /// How openly the field went before and goes after.
        public var releaseBefore: Release
        /// How openly the field goes under the new bundle.
        public var releaseAfter: Release
        /// Whether the field's category is special (GDPR Art. 9) under the new bundle, when that changed (nil when not).
        public var specialAfter: Bool? = nil

        /// `wider`, `narrower` or `same` (the rules changed, not how openly the field goes).
        public var direction: String {
            releaseAfter > releaseBefore ? "wider" : releaseAfter < releaseBefore ? "narrower" : "same"
        }
    }

    /// The bundles compared: id, version and digest of each.
    public var old: (id: String, version: String, digest: String)
    /// The new bundle's id, version and digest (`sha256:<hex>`).
    public var new: (id: String, version: String, digest: String)
    /// Every difference, by partner, purpose and field id.
    public var changes: [Change]
    /// The export profiles that differ.
    public var exports: ExportProfileDiff
    /// The consent templates that differ.
    public var templates: TemplateDiff
    /// The county's municipalities listed anew or no longer.
    public var municipalities: MunicipalityListDiff
    /// The field definitions added, removed or changed (category, type, labels, enum values, `multiline`).
    public var fields: FieldDefinitionDiff
    /// The partners and purposes added, removed or changed (names, labels, a partner's drive folder).
    public var partnersAndPurposes: PartnerPurposeDiff
    /// The data categories added, removed or changed (a `special` mark, labels).
    public var categories: CategoryDiff
    /// The subject attributes added, removed or changed (type, source, labels).
    public var attributes: AttributeDefinitionDiff
    /// The county's wording of the printed declaration added, removed or changed (`form-languages`).
    public var formLanguages: FormLanguageDiff

    /// Whether the bundles differ while `version` stayed the same: the audit log, the DPO's pages and `audit explain` name
    /// a policy by its version, so the two would read alike (found in a review of policy authoring).
    public var versionUnchanged: Bool { old.digest != new.digest && old.version == new.version }

    /// The warning for `versionUnchanged`, in full (empty when the version changed or the bundles are the same).
    public func versionWarning(in language: Language) -> String {
        guard versionUnchanged else { return "" }
        return language == .de
            ? "Der Inhalt hat sich geändert, die Version (\(new.version)) aber nicht: Protokoll, Seiten und Erläuterungen nennen ein Regelwerk bei seiner Version, die beiden Fassungen läsen sich gleich. Bitte `version` in policy.yaml erhöhen."
            : "The content changed but the version (\(new.version)) did not: the log, the pages and explanations name a policy by its version, so the two would read alike. Raise `version` in policy.yaml."
    }

    /// The changes that release more than before (`direction` `wider`).
    public var wider: [Change] { changes.filter { $0.direction == "wider" } }

    /// Whether the new bundle sends more, or elsewhere, or may: a field released more openly, an export profile that goes
    /// wider, a partner's exports going to a folder that was not theirs, or an attribute some rule tests read otherwise
    /// (`AttributeDefinitionDiff.decidingChanges`: who meets the condition may change) (`policy diff --fail-on-wider`). A
    /// condition or a clause changed at the same level of release is not judged here; the report shows it for reading.
    public var sendsMore: Bool {
        !wider.isEmpty || exports.changes.contains { $0.direction == "wider" } || !partnersAndPurposes.folderWarnings(in: .en).isEmpty
            || !attributes.decidingChanges.isEmpty
    }

    /// Whether the two bundles release the same fields on the same rules, export the same way and hold the same
    /// consent templates.
    public var isEmpty: Bool {
        changes.isEmpty && exports.changes.isEmpty && templates.changes.isEmpty && municipalities.isEmpty && fields.isEmpty
            && partnersAndPurposes.isEmpty && categories.isEmpty && attributes.isEmpty && formLanguages.isEmpty
    }

    /// Compares the release matrices of `old` and `new` field by field.
    public init(old: CompiledPolicy, new: CompiledPolicy) {
        self.old = (old.bundle.id, old.bundle.version, old.digest)
        self.new = (new.bundle.id, new.bundle.version, new.digest)
        let before = Self.coverage(old), after = Self.coverage(new)
        let oldSpecial = Self.specialFields(of: old), newSpecial = Self.specialFields(of: new)
        var changes: [Change] = []
        for key in Set(before.keys).union(after.keys).sorted() {
            let b = (before[key] ?? []).sorted(), a = (after[key] ?? []).sorted()
            // The same rules release otherwise when the field's category became special or stopped being so.
            let specialBefore = oldSpecial.contains(key.field), specialAfter = newSpecial.contains(key.field)
            let releaseBefore = Release(b, special: specialBefore), releaseAfter = Release(a, special: specialAfter)
            guard b != a || releaseBefore != releaseAfter else { continue }
            let kind: Kind = b.isEmpty ? .added : a.isEmpty ? .removed : .changed
            changes.append(Change(partner: key.partner, purpose: key.purpose, field: key.field, kind: kind, before: b, after: a,
                                  releaseBefore: releaseBefore, releaseAfter: releaseAfter,
                                  specialAfter: specialBefore == specialAfter ? nil : specialAfter))
        }
        self.changes = changes
        exports = ExportProfileDiff(old: old, new: new)
        templates = TemplateDiff(old: old, new: new)
        municipalities = MunicipalityListDiff(old: old.bundle, new: new.bundle)
        fields = FieldDefinitionDiff(old: old.bundle, new: new.bundle)
        partnersAndPurposes = PartnerPurposeDiff(old: old.bundle, new: new.bundle)
        categories = CategoryDiff(old: old.bundle, new: new.bundle)
        attributes = AttributeDefinitionDiff(old: old.bundle, new: new.bundle)
        formLanguages = FormLanguageDiff(old: old.bundle, new: new.bundle)
    }

    /// Every field of every partner and purpose that some rule covers in `policy`: its rules and their summary.
    public static func releases(of policy: CompiledPolicy) -> [(partner: String, purpose: String, field: String, release: Release, coverage: [Coverage])] {
        let special = specialFields(of: policy)
        return coverage(policy).sorted { $0.key < $1.key }.map { key, list in
            let sorted = list.sorted()
            return (key.partner, key.purpose, key.field, Release(sorted, special: special.contains(key.field)), sorted)
        }
    }

    /// The ids of the fields whose category is special (GDPR Art. 9) in `policy`, computed once per diff: looked up per
    /// field and partner, the bundle's linear look-ups made `policy check` quadratic in the number of fields (a review:
    /// 9,000 fields took a minute).
    static func specialFields(of policy: CompiledPolicy) -> Set<String> {
        let special = Set(policy.bundle.categories.filter(\.special).map(\.id))
        return Set(policy.bundle.fields.filter { special.contains($0.category) }.map(\.id))
    }

    private struct Key: Hashable, Comparable {
        var partner: String, purpose: String, field: String
        static func < (a: Key, b: Key) -> Bool { (a.partner, a.purpose, a.field) < (b.partner, b.purpose, b.field) }
    }

    /// Per partner, purpose and field, the matrix's rows covering it; the consent clauses of a consent rule (or of
    /// a forbid unless explicit consent) those that cover the field's own category (the matrix lists a rule's
    /// clauses for all of its fields together).
    private static func coverage(_ policy: CompiledPolicy) -> [Key: [Coverage]] {
        let b = policy.bundle
        let categoryOf = Dictionary(b.fields.map { ($0.id, $0.category) }, uniquingKeysWith: { first, _ in first })
        // The clauses depend on partner, purpose, category and basis only: computed once for each.
        var clausesFor: [String: [String]] = [:]
        var out: [Key: [Coverage]] = [:]
        for r in ReleaseMatrix(policy).rows {
            // A permit's blocked fields count too, and a consent permit's fields that need an explicit clause no
            // template offers: `Release` lets the forbid or the missing clause decide, and the diff names every rule
            // covering a field before and after.
            for f in r.fields + r.blocked.map(\.field) + r.needsExplicitClause {
                var clauses: [String] = []
                if r.basis == .consent || r.basis == .neverUnlessExplicitConsent, let category = categoryOf[f] {
                    let cacheKey = [r.partner, r.purpose, category, r.basis.rawValue].joined(separator: "\u{0}")
                    if let known = clausesFor[cacheKey] { clauses = known } else {
                        clauses = ClauseLabels.labels(b) { c in
                            c.partners.contains(r.partner) && (c.purposes.isEmpty || c.purposes.contains(r.purpose))
                                && c.categories.contains(category) && (r.basis == .consent || c.explicit)
                        }
                        clausesFor[cacheKey] = clauses
                    }
                }
                out[Key(partner: r.partner, purpose: r.purpose, field: f), default: []].append(
                    Coverage(rule: r.rule, basis: r.basis, citation: r.citation, citationEnglish: r.citationEnglish,
                             condition: r.condition, clauses: clauses))
            }
        }
        return out
    }

    /// JSON: `{"diff-version": 1, "old": {...}, "new": {...}, "changes": [...], "templates": [...], "municipalities":
    /// {"added": [...], "removed": [...]}, "exports": [...], "fields": {"added", "removed", "changed"}, "partners": {…},
    /// "purposes": {…}, "categories": {…}, "subject-attributes": {…}, "form-languages": {…}}`, deterministic (`categories`,
    /// `subject-attributes`, `form-languages` and a change's `special-after` added within version 1 too) (`exports`, `templates`, `municipalities`, `fields`, `partners` and `purposes` were
    /// added within version 1: a reader that ignores unknown members reads it as before; so was a rule's `citation-en`,
    /// present only where the bundle gives the citation as `{de, en}`).
    public func json() -> OrderedJSON {
        func bundle(_ b: (id: String, version: String, digest: String)) -> OrderedJSON {
            .object([("id", .string(b.id)), ("version", .string(b.version)), ("digest", .string(b.digest))])
        }
        func coverage(_ list: [Coverage]) -> OrderedJSON {
            .array(list.map { c in .object([("rule", .string(c.rule)), ("basis", .string(c.basis.rawValue)),
                                            ("citation", .string(c.citation)), ("condition", .string(c.condition)),
                                            ("clauses", .array(c.clauses.map { .string($0) }))]
                                            // The canonical citation; its English text beside it only where the bundle gives one.
                                            + (c.citationEnglish.map { [("citation-en", .string($0))] } ?? [])) })
        }
        return .object([("diff-version", .int(1)), ("old", bundle(old)), ("new", bundle(new)), ("version-unchanged", .bool(versionUnchanged)),
                        ("changes", .array(changes.map { c in .object([
                            ("partner", .string(c.partner)), ("purpose", .string(c.purpose)), ("field", .string(c.field)),
                            ("change", .string(c.kind.rawValue)), ("direction", .string(c.direction)),
                            ("release-before", .string(c.releaseBefore.id)), ("release-after", .string(c.releaseAfter.id)),
                            ("before", coverage(c.before)), ("after", coverage(c.after))]
                            // Why the release changed on the same rules: the field's category is (no longer) special.
                            + (c.specialAfter.map { [("special-after", .bool($0))] } ?? [])) })),
                        ("templates", templates.json()), ("municipalities", municipalities.json()), ("exports", exports.json()),
                        ("fields", fields.json()), ("partners", partnersAndPurposes.json().partners),
                        ("purposes", partnersAndPurposes.json().purposes), ("categories", categories.json()),
                        ("subject-attributes", attributes.json()), ("form-languages", formLanguages.json())])
    }
}
