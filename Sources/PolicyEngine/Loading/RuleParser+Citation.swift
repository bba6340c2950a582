import Diagnostics

extension RuleParser {
    /// A rule's `citation`: a plain text (the same in German and English: the norms' abbreviations are German law
    /// names) or a label map `{de: …, en: …}` like every other label of the bundle, for a citation that explains the
    /// norm in words (`§ 88 Abs. 2 AufenthG (anvertraute Daten …)`). Each text given must be a norm: not missing, not
    /// empty, not a placeholder (`missing-citation`, as for the plain form); a map needs both languages and refuses any
    /// other key (`unknown-key`). Returns the canonical (German) text, empty when there is none, and the English text
    /// when the map gives one that differs from the German (a map with the same text twice is the plain form, so its
    /// digest is the plain form's).
    func citation(_ node: YAMLNode?, rule id: String, at ruleLocation: SourceLocation) -> (canonical: String, english: String?) {
        let what = "rule `\(id)`"
        guard let node, case .mapping = node.kind else {
            var text = ""
            if let node, case .sequence = node.kind {
                reader.report("wrong-type", at: node.location,
                              de: "\(what).citation: Text oder `{de: …, en: …}` erwartet",
                              en: "\(what).citation: text or `{de: …, en: …}` expected")
            } else {
                text = reader.string(node, what: "\(what).citation")?.trimmingCharacters(in: .whitespaces) ?? ""
            }
            check(text, language: nil, rule: id, at: node?.location ?? ruleLocation)
            return (text, nil)
        }
        let o = reader.object(node, what: "\(what).citation", allowed: ["de", "en"])
        var texts: [Language: String] = [:]
        for language in Language.allCases {
            let value = o[language.rawValue]
            let text = reader.string(value, what: "\(what).citation.\(language.rawValue)")?.trimmingCharacters(in: .whitespaces) ?? ""
            check(text, language: language, rule: id, at: value?.location ?? node.location)
            texts[language] = text
        }
        let de = texts[.de] ?? "", en = texts[.en] ?? ""
        return (de, en.isEmpty || en == de ? nil : en)
    }

    /// Reports `text` when it names no norm: empty (missing) or a placeholder (`-`, `TODO`; not for an archived bundle,
    /// which was in force before that check). `language` is nil for the plain form, else the map's key being checked.
    private func check(_ text: String, language: Language?, rule id: String, at location: SourceLocation) {
        let key = language.map { "citation.\($0.rawValue)" } ?? "citation"
        let inWords = language.map { $0 == .de ? (de: " auf Deutsch", en: " in German") : (de: " auf Englisch", en: " in English") } ?? (de: "", en: "")
        if text.isEmpty {
            reader.report("missing-citation", at: location,
                          de: "Regel `\(id)` nennt keine Rechtsgrundlage\(inWords.de) (`\(key)` fehlt)",
                          en: "rule `\(id)` cites no norm\(inWords.en) (`\(key)` is missing)")
        } else if Self.isPlaceholder(text), !reader.archived {
            // Found in a review of policy authoring: `citation: "-"` or `TODO` passed as a legal basis.
            reader.report("missing-citation", at: location,
                          de: "Regel `\(id)`: `\(text)` ist keine Rechtsgrundlage, sondern ein Platzhalter\(language == nil ? "" : " (`\(key)`)"); die Norm angeben (z. B. § 87 Abs. 1 AufenthG)",
                          en: "rule `\(id)`: `\(text)` is a placeholder, not a norm\(language == nil ? "" : " (`\(key)`)"); give the norm (e.g. § 87 Abs. 1 AufenthG)")
        }
    }
}
