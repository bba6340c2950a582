import Diagnostics

/// The shared shape of `policy diff`'s parts about definitions (fields, categories, subject attributes): ids added and
/// removed, then per changed definition each aspect before and after with what it means, in text and JSON. One renderer,
/// so the three parts read alike.
enum DefinitionChangeText {
    /// One changed definition: its id, its changed aspects and a closing note (nil: none).
    struct Changed {
        var id: String
        var aspects: [FieldDefinitionDiff.Aspect]
        var note: String? = nil
    }

    /// The part in words under `heading` (empty when nothing changed); `consequence` says what an aspect's change means.
    static func text(heading: LocalizedText, added: [String], removed: [String], changed: [Changed], language: Language,
                     consequence: (FieldDefinitionDiff.Aspect) -> String) -> String {
        guard !added.isEmpty || !removed.isEmpty || !changed.isEmpty else { return "" }
        let de = language == .de
        var out = "\n" + heading[language] + ":\n"
        if !added.isEmpty { out += (de ? "    neu: " : "    added: ") + added.joined(separator: ", ") + "\n" }
        if !removed.isEmpty { out += (de ? "    entfallen: " : "    removed: ") + removed.joined(separator: ", ") + "\n" }
        for c in changed {
            out += "    \(c.id):\n"
            for a in c.aspects {
                let meaning = consequence(a)
                out += "        \(a.name): \"\(a.before)\" → \"\(a.after)\"" + (meaning.isEmpty ? "" : " (\(meaning))") + "\n"
            }
            if let note = c.note { out += "        " + note + "\n" }
        }
        return out
    }

    /// `{"added": [...], "removed": [...], "changed": [{<idKey>: …, <extra>…, "aspects": [{"name", "before", "after"}]}]}`.
    static func json(added: [String], removed: [String], changed: [(id: String, extra: [(String, OrderedJSON)], aspects: [FieldDefinitionDiff.Aspect])],
                     idKey: String) -> OrderedJSON {
        .object([("added", .array(added.map { .string($0) })), ("removed", .array(removed.map { .string($0) })),
                 ("changed", .array(changed.map { c in .object([(idKey, .string(c.id))] + c.extra + [
                     ("aspects", .array(c.aspects.map { a in
                         .object([("name", .string(a.name)), ("before", .string(a.before)), ("after", .string(a.after))]) })),
                 ]) }))])
    }
}
