import Foundation

/// A bundle compiled once into index tables, so that a decision is a few array look-ups per field.
///
/// For every (partner, purpose) pair and every field it stores the first unconditional rule of each kind
/// (hard forbid, forbid `unless: explicit-consent`, statute permit, consent permit, any permit) in bundle order,
/// plus the pair's conditional rules (with a `when`) as field bitsets, and which consent clauses cover which
/// categories. Explanations come from the same tables (see `evaluate`), not from a second engine.
public struct CompiledPolicy: Sendable {
    /// The bundle this was compiled from.
    public let bundle: PolicyBundle
    /// The bundle digest (`sha256:…`), computed once.
    public let digest: String

    enum Kind: Int { case hardForbid = 0, softForbid, statutePermit, consentPermit, anyPermit }
    static let kinds = 5

    struct ConditionalRule: Sendable {
        var rule: Int32
        var kind: Kind
        var condition: CompiledCondition
        var fields: FieldSet
    }

    /// A class (immutable), so that taking a pair's table for a decision is one reference count, not seven.
    final class PairTable: Sendable {
        /// `first[field * kinds + kind]`: the first unconditional rule of that kind covering the field, or -1.
        let first: [Int32]
        let conditional: [ConditionalRule]
        /// The conditional rules flattened for the per-field loop: rule index, kind, and field bitset words
        /// (`condWords[j * fieldWords + (field >> 6)]`), so the hot loop touches no reference-counted values.
        let condRule: [Int32]
        let condKind: [UInt8]
        let condWords: [UInt64]
        /// `coverage[globalClause * categoryCount + category]`: the clause covers this pair and category.
        let coverage: [Bool]

        init(first: [Int32], conditional: [ConditionalRule], condRule: [Int32], condKind: [UInt8], condWords: [UInt64], coverage: [Bool]) {
            self.first = first; self.conditional = conditional; self.condRule = condRule; self.condKind = condKind
            self.condWords = condWords; self.coverage = coverage
        }
    }

    /// What a `FieldDecision` names of a rule, kept ready so that explaining a field copies references only.
    struct CompiledRule: Sendable {
        var id: String
        /// The permit's basis; nil for a forbid, which has none (the loader refuses `basis` on it): a decision named
        /// `"basis": "statute"` beside a forbidden health field (found in a domain review).
        var basis: Rule.Basis?
        var citation: String
    }

    /// The template versions with one id: version → slot.
    struct TemplateVersion: Sendable {
        var version: Int
        var slot: Int
    }

    struct TemplateSlot: Sendable {
        var id: String
        var version: Int
        var minimumAge: Int
        var maxValidity: ISODuration
        var clauseIDs: [String]
        var clauseIndex: IDLookup
        var explicit: [Bool]
        /// Index of this template's first clause among all clauses of all templates.
        var clauseBase: Int
    }

    let fieldIDs: [String]
    let fieldIndex: IDLookup
    let fieldCategory: [Int32]
    let categorySpecial: [Bool]
    let categoryCount: Int
    let partnerIndex: IDLookup
    let purposeIndex: IDLookup
    let purposeCount: Int
    let pairs: [PairTable]
    let rules: [CompiledRule]
    let attributes: [CompiledAttribute]
    let attributeIndex: [String: Int]
    let templates: [TemplateSlot]
    /// Template id → index into `templateVersions`.
    let templateIndex: IDLookup
    /// Per template id: its versions and their slots (each version once).
    let templateVersions: [[TemplateVersion]]
    /// The policy identity every `Decision` carries.
    let identity: Decision.PolicyIdentity
    /// Per template slot: its first clause's global index; per global clause: whether it is explicit.
    let slotClauseBase: [Int]
    let clauseExplicit: [Bool]
    /// Words of a field bitset.
    let fieldWords: Int
    /// Field ids whose values can give the subject's birth date (for the guardian check).
    let birthDateFields: [String]
    let exportRecords: [String: CompiledCondition]

    /// Compiles a validated bundle.
    public init(_ bundle: PolicyBundle) {
        self.bundle = bundle
        let digest = bundle.digest
        self.digest = digest
        let scope = RuleScope(bundle)
        identity = Decision.PolicyIdentity(id: bundle.id, version: bundle.version, digest: digest)
        fieldIDs = bundle.fields.map(\.id)
        fieldIndex = IDLookup(fieldIDs)
        var ci: [String: Int] = [:]
        for (i, c) in bundle.categories.enumerated() { ci[c.id] = i }
        categoryCount = bundle.categories.count
        categorySpecial = bundle.categories.map(\.special)
        fieldCategory = bundle.fields.map { Int32(ci[$0.category] ?? -1) }
        partnerIndex = IDLookup(bundle.partners.map(\.id))
        purposeIndex = IDLookup(bundle.purposes.map(\.id))
        purposeCount = bundle.purposes.count
        rules = bundle.rules.map { CompiledRule(id: $0.id, basis: $0.effect == .permit ? $0.basis : nil, citation: $0.citation) }

        var attrs: [CompiledAttribute] = []
        var ai: [String: Int] = [:]
        for a in bundle.attributes {
            ai[a.id] = attrs.count
            let fromType = a.from.flatMap { bundle.field($0)?.type }
            attrs.append(CompiledAttribute(id: a.id, type: a.type, from: a.from, fromIsDate: fromType == .date, subject: a.subject))
        }
        attributes = attrs; attributeIndex = ai
        birthDateFields = bundle.attributes.compactMap { a in
            guard let from = a.from, bundle.field(from)?.type == .date, a.subject == .birthDate || a.type == .int else { return nil }
            return from
        }

        var slots: [TemplateSlot] = []
        var lookup: [String: [Int: Int]] = [:]
        var base = 0
        // Every version a consent may cite, earlier ones included: a consent is read against its own version.
        let versions = bundle.templateVersions
        for t in versions {
            lookup[t.id, default: [:]][t.version] = slots.count
            slots.append(TemplateSlot(id: t.id, version: t.version, minimumAge: t.minimumAge, maxValidity: t.maxValidity,
                                      clauseIDs: t.clauses.map(\.id),
                                      clauseIndex: IDLookup(t.clauses.map(\.id), firstWins: true),
                                      explicit: t.clauses.map(\.explicit), clauseBase: base))
            base += t.clauses.count
        }
        templates = slots
        let templateIDs = Array(lookup.keys)
        templateIndex = IDLookup(templateIDs)
        templateVersions = templateIDs.map { id in lookup[id]!.map { TemplateVersion(version: $0.key, slot: $0.value) } }
        slotClauseBase = slots.map(\.clauseBase)
        clauseExplicit = versions.flatMap { $0.clauses.map(\.explicit) }
        fieldWords = (bundle.fields.count + 63) / 64
        let allClauses = versions.flatMap { $0.clauses }

        let fieldCount = fieldIDs.count
        var tables: [PairTable] = []
        let ruleFields = bundle.rules.map { scope.fields(of: $0) }
        let rulePartners = bundle.rules.map { Set(scope.partners(of: $0)) }
        let rulePurposes = bundle.rules.map { Set(scope.purposes(of: $0)) }
        let ruleConditions = bundle.rules.map { CompiledCondition($0.when, attributes: ai) }
        let partnerIDs = bundle.partners.map(\.id), purposeIDs = bundle.purposes.map(\.id)
        for p in partnerIDs.indices {
            for u in purposeIDs.indices {
                var first = [Int32](repeating: -1, count: fieldCount * Self.kinds)
                var conditional: [ConditionalRule] = []
                for (r, rule) in bundle.rules.enumerated() where rulePartners[r].contains(p) && rulePurposes[r].contains(u) {
                    let kind: Kind = rule.effect == .forbid ? (rule.unlessExplicitConsent ? .softForbid : .hardForbid)
                        : (rule.basis == .statute ? .statutePermit : .consentPermit)
                    if rule.when.isAlways {
                        for f in ruleFields[r] {
                            if first[f * Self.kinds + kind.rawValue] < 0 { first[f * Self.kinds + kind.rawValue] = Int32(r) }
                        }
                    } else {
                        conditional.append(ConditionalRule(rule: Int32(r), kind: kind, condition: ruleConditions[r],
                                                           fields: FieldSet(ruleFields[r], count: fieldCount)))
                    }
                    if rule.effect == .permit {
                        for f in ruleFields[r] where first[f * Self.kinds + Kind.anyPermit.rawValue] < 0 {
                            first[f * Self.kinds + Kind.anyPermit.rawValue] = Int32(r)
                        }
                    }
                }
                var coverage = [Bool](repeating: false, count: allClauses.count * categoryCount)
                for (g, clause) in allClauses.enumerated()
                where clause.partners.contains(partnerIDs[p]) && (clause.purposes.isEmpty || clause.purposes.contains(purposeIDs[u])) {
                    for c in clause.categories { if let k = ci[c] { coverage[g * categoryCount + k] = true } }
                }
                tables.append(PairTable(first: first, conditional: conditional, condRule: conditional.map(\.rule),
                                        condKind: conditional.map { UInt8($0.kind.rawValue) }, condWords: conditional.flatMap(\.fields.words),
                                        coverage: coverage))
            }
        }
        pairs = tables
        var records: [String: CompiledCondition] = [:]
        for e in bundle.exports { records[e.id] = CompiledCondition(e.records, attributes: ai) }
        exportRecords = records
    }

    /// Loads, validates and compiles the bundle in `directory`; `archived` for one from the policy archive
    /// (`BundleLoader.load(directory:archived:)`).
    public static func load(directory: URL, archived: Bool = false) throws(PolicyError) -> CompiledPolicy {
        CompiledPolicy(try BundleLoader.load(directory: directory, archived: archived))
    }

    /// The index of a field id (for `PreparedRequest`), nil if the policy has no such field.
    public func fieldIndex(of id: String) -> Int32? { fieldIndex.index(of: id) }
    /// The field id at an index.
    public func fieldID(at index: Int32) -> String { fieldIDs[Int(index)] }
    /// The field's German and English label.
    public func field(_ id: String) -> FieldDefinition? { fieldIndex.index(of: id).map { bundle.fields[Int($0)] } }
    /// The export profiles of the bundle.
    public var exports: [ExportProfile] { bundle.exports }
}

/// A bitset over field indices.
struct FieldSet: Sendable {
    var words: [UInt64]
    init(_ indices: [Int], count: Int) {
        words = [UInt64](repeating: 0, count: (count + 63) / 64)
        for i in indices { words[i >> 6] |= 1 << UInt64(i & 63) }
    }
    @inline(__always) func contains(_ i: Int) -> Bool { words[i >> 6] & (1 << UInt64(i & 63)) != 0 }
}
