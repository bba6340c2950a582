import Diagnostics

/// What a policy change did to the field definitions themselves (`fields`), beyond what the rules release: fields
/// defined anew or no longer, and per field a changed category, type, label, enum values or `multiline`. A DPO must
/// see these even where every release stays the same: the German label is the registration list's column heading
/// (a changed one makes the export refuse lists with the old heading, or map another column), the category decides
/// which consent clauses cover the field and whether it is a special category, and `multiline` decides whether a
/// list cell with line breaks is exported or quarantined.
public struct FieldDefinitionDiff: Sendable, Equatable {
    /// One aspect of a field that differs, with its value before and after, as written in the bundle.
    public struct Aspect: Sendable, Equatable {
        /// `category`, `type`, `label.de`, `label.en`, `values` or `multiline`.
        public var name: String
        /// The aspect's value in the old bundle, as written there.
        public var before: String
        /// The aspect's value in the new bundle, as written there.
        public var after: String
    }

    /// A field defined in both bundles whose definition differs.
    public struct Change: Sendable, Equatable {
        /// The field id.
        public var field: String
        /// The aspects that differ, at least one.
        public var aspects: [Aspect]
    }

    /// Field ids the new bundle defines and the old did not, sorted.
    public var added: [String]
    /// Field ids the old bundle defined and the new does not, sorted.
    public var removed: [String]
    /// Fields defined in both whose definitions differ, by id.
    public var changed: [Change]

    /// Compares the field definitions of `old` and `new` by id.
    public init(old: PolicyBundle, new: PolicyBundle) {
        let before = Dictionary(old.fields.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let after = Dictionary(new.fields.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        added = after.keys.filter { before[$0] == nil }.sorted()
        removed = before.keys.filter { after[$0] == nil }.sorted()
        changed = after.keys.sorted().compactMap { id in
            guard let b = before[id], let a = after[id], b != a else { return nil }
            let aspects = Self.aspects(b, a)
            return aspects.isEmpty ? nil : Change(field: id, aspects: aspects)
        }
    }

    /// Whether every field is defined as before.
    public var isEmpty: Bool { added.isEmpty && removed.isEmpty && changed.isEmpty }

    private static func aspects(_ b: FieldDefinition, _ a: FieldDefinition) -> [Aspect] {
        func values(_ f: FieldDefinition) -> String { f.values.sorted().joined(separator: ", ") }
        let pairs: [(String, String, String)] = [
            ("category", b.category, a.category), ("type", b.type.rawValue, a.type.rawValue),
            ("label.de", b.label.de, a.label.de), ("label.en", b.label.en, a.label.en),
            ("values", values(b), values(a)), ("multiline", String(b.multiline), String(a.multiline)),
        ]
        return pairs.filter { $0.1 != $0.2 }.map { Aspect(name: $0.0, before: $0.1, after: $0.2) }
    }

    /// What an aspect's change means for the export and the decisions, in words (empty when nothing to add).
    public static func consequence(of aspect: Aspect, in language: Language) -> String {
        let de = language == .de
        switch aspect.name {
        case "label.de":
            return de ? "die Spaltenüberschrift der Meldelisten: Listen mit der alten Überschrift brauchen eine Zuordnungsdatei"
                      : "the registration lists' column heading: lists with the old heading need a mapping file"
        case "category":
            return de ? "entscheidet, welche Einwilligungsklauseln das Feld abdecken und ob es eine besondere Kategorie ist"
                      : "decides which consent clauses cover the field and whether it is a special category"
        case "multiline":
            return aspect.after == "true"
                ? (de ? "Zeilenumbrüche in dieser Listenspalte werden jetzt übernommen statt die Zeile zurückzuhalten"
                      : "line breaks in this list column are now kept instead of quarantining the row")
                : (de ? "Zeilenumbrüche in dieser Listenspalte halten die Zeile jetzt zurück"
                      : "line breaks in this list column now quarantine the row")
        default:
            return ""
        }
    }

    /// The change in words (empty when none), for `policy diff`'s text.
    public func text(in language: Language) -> String {
        DefinitionChangeText.text(heading: LocalizedText(de: "Felddefinitionen (fields)", en: "Field definitions (fields)"),
                                  added: added, removed: removed, changed: changed.map { .init(id: $0.field, aspects: $0.aspects) },
                                  language: language) { Self.consequence(of: $0, in: language) }
    }

    /// `{"added": [...], "removed": [...], "changed": [{"field": …, "aspects": [{"name", "before", "after"}]}]}`.
    public func json() -> OrderedJSON {
        DefinitionChangeText.json(added: added, removed: removed, changed: changed.map { ($0.field, [], $0.aspects) }, idKey: "field")
    }
}
