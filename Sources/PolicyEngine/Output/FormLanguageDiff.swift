import Diagnostics

/// What a policy change did to the county's wording of the printed declaration (`form-languages`): languages added or
/// removed, and per language the texts, the name, the direction, the validity words and the names of partners, purposes
/// and categories that changed. A DPO reviewing a
/// bundle reads it like a template's wording: it is what a person reads before signing.
public struct FormLanguageDiff: Sendable, Equatable {
    /// One language whose wording changed.
    public struct Change: Sendable, Equatable {
        /// The language code.
        public var code: String
        /// The texts changed, by key, in the form's reading order.
        public var texts: [FormLanguage.Key]
        /// Whether the language's name changed.
        public var name: Bool
        /// Whether it changed direction (left to right ↔ right to left), and to which.
        public var rightToLeft: Bool?
        /// The durations whose words were added, removed or changed, as written (`P2Y`).
        public var durations: [String]
        /// The names of partners, purposes and categories added, removed or changed, as `section.id` (`partners.jugendamt`).
        public var names: [String]
    }

    /// The languages the new bundle gives wording for and the old did not, sorted.
    public var added: [String]
    /// The languages the old bundle gave wording for and the new does not, sorted.
    public var removed: [String]
    /// The languages in both whose wording differs, sorted.
    public var changed: [Change]
    /// Of `added` and `removed`, the entries that give only names under the built-in wording (`FormLanguage.usesBuiltInWording`):
    /// the form printed in those languages before and after, only the names under its tick boxes change.
    public var namesOnly: Set<String> = []

    /// Compares the wording of `old` and `new`.
    public init(old: PolicyBundle, new: PolicyBundle) {
        let before = Dictionary(old.formLanguages.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        let after = Dictionary(new.formLanguages.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        added = after.keys.filter { before[$0] == nil }.sorted()
        namesOnly = Set((old.formLanguages + new.formLanguages).filter(\.usesBuiltInWording).map(\.code))
        removed = before.keys.filter { after[$0] == nil }.sorted()
        changed = after.keys.sorted().compactMap { code -> Change? in
            guard let a = before[code], let b = after[code], a != b else { return nil }
            let durations = Set(a.durations.keys).union(b.durations.keys).filter { a.durations[$0] != b.durations[$0] }
            return Change(code: code, texts: FormLanguage.Key.allCases.filter { a[$0] != b[$0] }, name: a.name != b.name,
                          rightToLeft: a.rightToLeft == b.rightToLeft ? nil : b.rightToLeft,
                          durations: durations.map(\.description).sorted(), names: Self.changedNames(a.names, b.names))
        }
    }

    /// The names that differ between `a` and `b`, as `section.id`, in section order then by id.
    static func changedNames(_ a: FormNames, _ b: FormNames) -> [String] {
        FormNames.Section.allCases.flatMap { section in
            Set(a[section].keys).union(b[section].keys).filter { a[section][$0] != b[section][$0] }.sorted()
                .map { "\(section.rawValue).\($0)" }
        }
    }

    /// Whether the wording is the same.
    public var isEmpty: Bool { added.isEmpty && removed.isEmpty && changed.isEmpty }

    /// The heading of the change, for `policy diff`'s text and the DPO's page.
    public static func heading(in language: Language) -> String {
        language == .de ? "Rahmentext der gedruckten Erklärung (form-languages)" : "The printed declaration's wording (form-languages)"
    }

    /// The change, one line per item (empty when none): the text's lines and the page's list items say the same.
    public func lines(in language: Language) -> [String] {
        let de = language == .de
        var out: [String] = []
        let namesNote = de ? " (nur Namen der Partner, Zwecke und Daten; der eingebaute Rahmentext bleibt)"
                           : " (names of partners, purposes and data only; the built-in wording stays)"
        let addedWords = added.map { namesOnly.contains($0) ? $0 + namesNote : $0 }
        if !added.isEmpty { out.append((de ? "neu: " : "added: ") + addedWords.joined(separator: ", ")) }
        for code in removed where namesOnly.contains(code) {
            out.append((de ? "entfallen: \(code)\(namesNote). Die Erklärung in dieser Sprache nennt Partner, Zwecke und Daten wieder auf Englisch."
                           : "removed: \(code)\(namesNote). The declaration in this language names partners, purposes and data in English again."))
        }
        let removed = removed.filter { !namesOnly.contains($0) }
        if !removed.isEmpty {
            out.append((de ? "entfallen: " : "removed: ") + removed.joined(separator: ", ") + ". "
                + (de ? "In diesen Sprachen wird die Erklärung nicht mehr gedruckt, außer den eingebauten (de, en, uk), die wieder ihren eigenen Text erhalten: weder das leere Formular noch die Abschrift einer darin schon unterschriebenen Einwilligung (die Einwilligungen selbst bleiben gültig)."
                      : "The declaration no longer prints in these languages, except the built-in ones (de, en, uk), which return to their own wording: neither the blank form nor the copy of a consent already signed in one (the consents themselves stay valid)."))
        }
        for c in changed {
            var parts: [String] = []
            if !c.texts.isEmpty { parts.append((de ? "Texte " : "texts ") + c.texts.map(\.rawValue).joined(separator: ", ")) }
            if c.name { parts.append(de ? "Name" : "name") }
            if let rtl = c.rightToLeft { parts.append(de ? "jetzt \(rtl ? "von rechts nach links" : "von links nach rechts")" : "now \(rtl ? "right to left" : "left to right")") }
            if !c.durations.isEmpty { parts.append((de ? "Dauern " : "durations ") + c.durations.joined(separator: ", ")) }
            if !c.names.isEmpty { parts.append((de ? "Namen " : "names ") + c.names.joined(separator: ", ")) }
            out.append("\(c.code): " + (de ? "geändert: " : "changed: ") + parts.joined(separator: "; ") + ". "
                + (de ? "Leere Formulare und Abschriften schon unterschriebener Einwilligungen zeigen ab dann den neuen Text (das unterschriebene Papier behält seinen)."
                      : "Blank forms and copies of consents already signed show the new wording from then on (the signed paper keeps its own)."))
        }
        return out
    }

    /// The change in words (empty when none), for `policy diff`'s text.
    public func text(in language: Language) -> String {
        guard !isEmpty else { return "" }
        return "\n\(Self.heading(in: language)):\n" + lines(in: language).map { "    \($0)\n" }.joined()
    }

    /// `{"added": [...], "removed": [...], "changed": [{"language", "texts", "name", "direction"?, "durations", "names"}]}`.
    public func json() -> OrderedJSON {
        .object([("added", .array(added.map { .string($0) })), ("removed", .array(removed.map { .string($0) })),
                 ("changed", .array(changed.map { c in .object([
                    ("language", .string(c.code)), ("texts", .array(c.texts.map { .string($0.rawValue) })), ("name", .bool(c.name))]
                    + (c.rightToLeft.map { [("direction", .string($0 ? "rtl" : "ltr"))] } ?? [])
                    + [("durations", .array(c.durations.map { .string($0) })), ("names", .array(c.names.map { .string($0) }))]) }))])
    }
}
