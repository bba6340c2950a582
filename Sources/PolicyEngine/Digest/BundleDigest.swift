import Diagnostics
import Signing

/// The bundle digest: `sha256:` over the canonical JSON of the loaded model (object keys sorted, no whitespace).
///
/// It covers everything that can change a decision or what a person reads: header, categories, fields, attributes,
/// partners, purposes, rules (in bundle order, which decides which rule an explanation names; a citation's English
/// text when the bundle gives one), templates with their texts and titles (and the earlier versions a template keeps; every version's `recordable-until` when set), export profiles, the county's municipalities (a member only when listed, so the digest of a
/// bundle without them is what it was before they could be listed) and its wording of the printed declaration (`form-languages`, likewise). It does not cover `tests/` or source locations, so file order, key order,
/// whitespace, comments and YAML style never change it.
public enum BundleDigest {
    /// The bundle's digest, `sha256:<hex>` over `canonicalForm(of:)`: what decisions and the policy archive identify the bundle by.
    public static func digest(of bundle: PolicyBundle) -> String {
        SHA256.tagged(canonicalForm(of: bundle).bytes)
    }

    /// The digests `bundle` had under earlier forms of the digest, which archives written by earlier releases are filed
    /// under: before 2026-12-05 a template's `title` was read and dropped, so a bundle with titles had the digest without
    /// them. Empty when no earlier form differs. Found in a review of upgrades: an archive filed by an older release no
    /// longer gave its digest, and the Art. 15 report and `audit explain` called it altered.
    public static func earlierDigests(of bundle: PolicyBundle) -> [String] {
        let titled = bundle.templates.contains { t in t.title != nil || t.earlierVersions.contains { $0.title != nil } }
        return titled ? [SHA256.tagged(canonicalForm(of: bundle, templateTitles: false).bytes)] : []
    }

    /// The canonical JSON form the digest is computed over; without `templateTitles`, the form before titles were read.
    public static func canonicalForm(of b: PolicyBundle, templateTitles: Bool = true) -> OrderedJSON {
        func label(_ l: LocalizedText) -> OrderedJSON { .object([("de", .string(l.de)), ("en", .string(l.en))]) }
        func strings(_ l: [String]) -> OrderedJSON { .array(l.map { .string($0) }) }
        /// Lists that are sets in meaning (partners, fields, ...) are sorted, so their written order does not count.
        func set(_ l: [String]) -> OrderedJSON { .array(Array(Set(l)).sorted().map { .string($0) }) }
        func optionalStrings(_ l: [String]?) -> OrderedJSON { l.map(set) ?? .null }
        let root: OrderedJSON = .object([
            ("apiVersion", .string(BundleLoader.apiVersion)),
            ("id", .string(b.id)), ("version", .string(b.version)), ("title", label(b.title)),
            ("categories", .object(b.categories.map { ($0.id, .object([("label", label($0.label)), ("special", .bool($0.special))])) })),
            // `multiline` only when set, so that bundles without it keep their digests.
            ("fields", .object(b.fields.map { ($0.id, .object([("category", .string($0.category)), ("type", .string($0.type.rawValue)),
                                                               ("label", label($0.label)), ("values", set($0.values))]
                                                              + ($0.multiline ? [("multiline", .bool(true))] : []))) })),
            ("subject-attributes", .object(b.attributes.map { ($0.id, .object([("type", .string($0.type.rawValue)),
                ("from", $0.from.map { .string($0) } ?? .null), ("subject", $0.subject.map { .string($0.rawValue) } ?? .null),
                ("label", $0.label.map(label) ?? .null)])) })),
            ("partners", .object(b.partners.map { ($0.id, .object([("name", label($0.name)), ("folder", .string($0.folder))])) })),
            ("purposes", .object(b.purposes.map { ($0.id, .object([("label", label($0.label))])) })),
            ("rules", .array(b.rules.map { r in .object([
                ("id", .string(r.id)), ("effect", .string(r.effect.rawValue)), ("partners", optionalStrings(r.partners)),
                ("purposes", optionalStrings(r.purposes)), ("fields", set(r.fields)), ("categories", set(r.categories)),
                ("when", condition(r.when)), ("basis", .string(r.basis.rawValue)),
                // The citation as text; as `{de, en}` only when the bundle gives an English text of its own, so the digest of
                // a bundle without one is what it was before the map could be written, and a changed English text changes it.
                ("citation", r.citationEnglish.map { label(LocalizedText(de: r.citation, en: $0)) } ?? .string(r.citation)),
                ("unless", r.unlessExplicitConsent ? .string("explicit-consent") : .null), ("note", r.note.map(label) ?? .null)]) })),
            ("consent-templates", .object(b.templates.map { t in (t.id, template(t, set: set, titles: templateTitles)) })),
            ("exports", .object(b.exports.map { e in (e.id, .object([("partner", .string(e.partner)), ("purpose", .string(e.purpose)),
                ("records", condition(e.records)), ("columns", strings(e.columns))])) })),
        ] + (b.municipalities.isEmpty ? [] : [("municipalities", set(b.municipalities))])
          + (b.formLanguages.isEmpty ? [] : [("form-languages", formLanguages(b.formLanguages, label: label))]))
        return root.sortedKeys
    }

    /// One template version; `earlier-versions` (newest first) is a member only when the template keeps some, so a
    /// bundle without them keeps the digest it had before earlier versions could be kept; likewise `recordable-until`
    /// only on a version that has one (an earlier version's recording window, or the current version's last day, which
    /// retires the template), so bundles without one keep their digests.
    static func template(_ t: ConsentTemplate, set: ([String]) -> OrderedJSON, titles: Bool = true) -> OrderedJSON {
        let members: [(String, OrderedJSON)] = [
            ("version", .int(t.version)), ("minimum-age", .int(t.minimumAge)), ("max-validity", .string(t.maxValidity.description)),
            ("texts", .object(t.texts.map { ($0.key, .string($0.value)) })),
            ("clauses", .array(t.clauses.map { c in .object([
                ("id", .string(c.id)), ("partners", set(c.partners)), ("purposes", set(c.purposes)),
                ("categories", set(c.categories)), ("explicit", .bool(c.explicit)),
                ("text", .object(c.text.map { ($0.key, .string($0.value)) }))]) }))]
        let earlier: [(String, OrderedJSON)] = t.earlierVersions.isEmpty ? []
            : [("earlier-versions", .array(t.earlierVersions.sorted { $0.version > $1.version }.map { template($0, set: set, titles: titles) }))]
        // `recordable-until` of an earlier or the current version, only when set: a bundle without one keeps the digest it
        // had before recording windows existed; a window opened, moved or closed, a template retired, changes it.
        let window: [(String, OrderedJSON)] = t.recordableUntil.map { [("recordable-until", .string(UTCDay.format($0)))] } ?? []
        // `title` only when set, likewise: bundles without titles keep their digests; a title added or reworded changes it.
        let title: [(String, OrderedJSON)] = titles ? t.title.map { [("title", .object([("de", .string($0.de)), ("en", .string($0.en))]))] } ?? [] : []
        return .object(members + earlier + window + title)
    }

    /// The county's declaration wording: a member only when the bundle gives some, so a bundle without keeps the digest it
    /// had before `form-languages` could be written; any changed word changes it (it is what a person reads and signs).
    /// `names` is a member only when the entry gives some, so an entry written before they could be keeps its digest.
    static func formLanguages(_ list: [FormLanguage], label: (LocalizedText) -> OrderedJSON) -> OrderedJSON {
        .object(list.map { f in (f.code, .object([
            ("name", label(f.name)), ("direction", .string(f.rightToLeft ? "rtl" : "ltr")),
            ("texts", .object(f.texts.map { ($0.key.rawValue, .string($0.value)) })),
            ("durations", .object(f.durations.map { ($0.key.description, .string($0.value)) }))]
            + (f.names.isEmpty ? [] : [("names", .object(FormNames.Section.allCases.map { section in
                (section.rawValue, .object(f.names[section].map { ($0.key, .string($0.value)) })) }))]))) })
    }

    static func condition(_ c: Condition) -> OrderedJSON {
        switch c {
        case .always: return .null
        case .all(let l): return .object([("all", .array(l.map(condition).sorted { $0.serialized < $1.serialized }))])
        case .any(let l): return .object([("any", .array(l.map(condition).sorted { $0.serialized < $1.serialized }))])
        case .test(let a, let op, let values):
            return .object([("attribute", .string(a)), ("op", .string(op.rawValue)), ("values", .array(values.map { v in
                switch v {
                case .int(let i): .object([("int", .int(i))])
                case .bool(let b): .object([("bool", .bool(b))])
                case .string(let s): .object([("string", .string(s))])
                case .day(let d): .object([("date", .string(UTCDay.format(d)))])
                }
            }))])
        }
    }
}
