import Diagnostics

/// What a policy change did to the data categories (`categories`): categories defined anew or no longer, and per
/// category a changed label or `special` mark. A category that stops being special (GDPR Art. 9) lets its fields go on
/// any consent clause that covers it, no longer only on an explicit one: the release changes without any rule changing
/// (found in a black-box review: `policy diff` said "no change" while the health notes went to the Jugendamt on the
/// 2022 form's non-explicit clause). The per-field lines of `PolicyDiff` show what it releases; this part says why.
public struct CategoryDiff: Sendable, Equatable {
    /// A category defined in both bundles whose definition differs, with its aspects before and after.
    public struct Change: Sendable, Equatable {
        /// The category id.
        public var category: String
        /// The aspects that differ (`special`, `label.de`, `label.en`), at least one.
        public var aspects: [FieldDefinitionDiff.Aspect]
    }

    /// Category ids the new bundle defines and the old did not, sorted.
    public var added: [String]
    /// Category ids the old bundle defined and the new does not, sorted.
    public var removed: [String]
    /// Categories defined in both whose definitions differ, by id.
    public var changed: [Change]

    /// Compares the categories of `old` and `new` by id.
    public init(old: PolicyBundle, new: PolicyBundle) {
        let before = Dictionary(old.categories.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let after = Dictionary(new.categories.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        added = after.keys.filter { before[$0] == nil }.sorted()
        removed = before.keys.filter { after[$0] == nil }.sorted()
        changed = after.keys.sorted().compactMap { id in
            guard let b = before[id], let a = after[id], b != a else { return nil }
            let pairs = [("special", String(b.special), String(a.special)), ("label.de", b.label.de, a.label.de),
                         ("label.en", b.label.en, a.label.en)]
            let aspects = pairs.filter { $0.1 != $0.2 }.map { FieldDefinitionDiff.Aspect(name: $0.0, before: $0.1, after: $0.2) }
            return aspects.isEmpty ? nil : Change(category: id, aspects: aspects)
        }
    }

    /// Whether every category is defined as before.
    public var isEmpty: Bool { added.isEmpty && removed.isEmpty && changed.isEmpty }

    /// The categories that are special no longer (their fields may now go on a clause that is not explicit).
    public var noLongerSpecial: [String] {
        changed.filter { $0.aspects.contains { $0.name == "special" && $0.after == "false" } }.map(\.category)
    }

    /// What an aspect's change means for the decisions, in words (empty when nothing to add).
    public static func consequence(of aspect: FieldDefinitionDiff.Aspect, in language: Language) -> String {
        guard aspect.name == "special" else { return "" }
        let de = language == .de
        return aspect.after == "false"
            ? (de ? "keine besondere Kategorie (Art. 9 DSGVO) mehr: ihre Felder gehen jetzt auch auf eine nicht ausdrückliche Einwilligung"
                  : "no longer a special category (GDPR Art. 9): its fields now go on a consent that is not explicit too")
            : (de ? "jetzt eine besondere Kategorie (Art. 9 DSGVO): ihre Felder gehen nur noch auf eine ausdrückliche Einwilligung"
                  : "now a special category (GDPR Art. 9): its fields go only on an explicit consent")
    }

    /// The change in words (empty when none), for `policy diff`'s text.
    public func text(in language: Language) -> String {
        DefinitionChangeText.text(heading: LocalizedText(de: "Datenkategorien (categories)", en: "Data categories (categories)"),
                                  added: added, removed: removed, changed: changed.map { .init(id: $0.category, aspects: $0.aspects) },
                                  language: language) { Self.consequence(of: $0, in: language) }
    }

    /// `{"added": [...], "removed": [...], "changed": [{"category": …, "aspects": [{"name", "before", "after"}]}]}`.
    public func json() -> OrderedJSON {
        DefinitionChangeText.json(added: added, removed: removed, changed: changed.map { ($0.category, [], $0.aspects) }, idKey: "category")
    }
}
