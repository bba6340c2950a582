import Diagnostics

/// What a policy change did to the subject attributes conditions test (`subject-attributes`): attributes defined anew
/// or no longer, and per attribute a changed type, source (`from` a field, `subject` a recorded fact) or label. A
/// changed source changes who meets every condition on the attribute (an `age` read from another date releases to
/// other people) while every rule reads as before, so the per-field lines cannot show it; `policy diff` names it, and
/// `--fail-on-wider` counts a changed attribute that some rule or export profile tests as a possible widening (whether it releases more
/// depends on the people, which a diff of two bundles cannot know). Found in a black-box review: such a change was
/// reported as "no change to what is released".
public struct AttributeDefinitionDiff: Sendable, Equatable {
    /// An attribute defined in both bundles whose definition differs.
    public struct Change: Sendable, Equatable {
        /// The attribute id.
        public var attribute: String
        /// The aspects that differ (`type`, `from`, `subject`, `label.de`, `label.en`), at least one.
        public var aspects: [FieldDefinitionDiff.Aspect]
        /// Whether a rule (its `when`) or an export profile (its `records`) of the new bundle tests the attribute.
        public var tested: Bool
    }

    /// Attribute ids the new bundle defines and the old did not, sorted.
    public var added: [String]
    /// Attribute ids the old bundle defined and the new does not, sorted.
    public var removed: [String]
    /// Attributes defined in both whose definitions differ, by id.
    public var changed: [Change]

    /// Compares the attribute definitions of `old` and `new` by id.
    public init(old: PolicyBundle, new: PolicyBundle) {
        let before = Dictionary(old.attributes.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let after = Dictionary(new.attributes.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let tested = Set(new.rules.flatMap { Self.attributes(in: $0.when) } + new.exports.flatMap { Self.attributes(in: $0.records) })
        added = after.keys.filter { before[$0] == nil }.sorted()
        removed = before.keys.filter { after[$0] == nil }.sorted()
        changed = after.keys.sorted().compactMap { id in
            guard let b = before[id], let a = after[id], b != a else { return nil }
            let pairs = [("type", b.type.rawValue, a.type.rawValue), ("from", b.from ?? "", a.from ?? ""),
                         ("subject", b.subject?.rawValue ?? "", a.subject?.rawValue ?? ""),
                         ("label.de", b.label?.de ?? "", a.label?.de ?? ""), ("label.en", b.label?.en ?? "", a.label?.en ?? "")]
            let aspects = pairs.filter { $0.1 != $0.2 }.map { FieldDefinitionDiff.Aspect(name: $0.0, before: $0.1, after: $0.2) }
            return aspects.isEmpty ? nil : Change(attribute: id, aspects: aspects, tested: tested.contains(id))
        }
    }

    /// The attribute ids a condition tests.
    static func attributes(in condition: Condition) -> [String] {
        switch condition {
        case .always: []
        case let .test(attribute, _, _): [attribute]
        case let .all(list), let .any(list): list.flatMap(attributes(in:))
        }
    }

    /// Whether every attribute is defined as before.
    public var isEmpty: Bool { added.isEmpty && removed.isEmpty && changed.isEmpty }

    /// The changed attributes a rule tests whose value may now be read otherwise (type or source changed): who meets
    /// the conditions on them may change.
    public var decidingChanges: [Change] {
        changed.filter { c in c.tested && c.aspects.contains { ["type", "from", "subject"].contains($0.name) } }
    }

    /// What a changed source of an attribute that rules test means (`decidingChanges`), in words.
    public static func decidingNote(in language: Language) -> String {
        language == .de
            ? "Regeln oder Exportprofile prüfen dieses Merkmal: wer ihre Bedingungen erfüllt, kann sich ändern, auch wenn jede Regel gleich lautet (--fail-on-wider zählt das als Erweiterung)."
            : "Rules or export profiles test this attribute: who meets their conditions may change although every rule reads the same (--fail-on-wider counts this as a widening)."
    }

    /// The change in words (empty when none), for `policy diff`'s text.
    public func text(in language: Language) -> String {
        let deciding = Set(decidingChanges.map(\.attribute))
        return DefinitionChangeText.text(heading: LocalizedText(de: "Merkmale der Person (subject-attributes)", en: "Subject attributes (subject-attributes)"),
                                         added: added, removed: removed,
                                         changed: changed.map { .init(id: $0.attribute, aspects: $0.aspects,
                                                                      note: deciding.contains($0.attribute) ? Self.decidingNote(in: language) : nil) },
                                         language: language) { _ in "" }
    }

    /// `{"added": [...], "removed": [...], "changed": [{"attribute": …, "tested": …, "aspects": [{"name", "before", "after"}]}]}`.
    public func json() -> OrderedJSON {
        DefinitionChangeText.json(added: added, removed: removed, changed: changed.map { ($0.attribute, [("tested", .bool($0.tested))], $0.aspects) },
                                  idKey: "attribute")
    }
}
