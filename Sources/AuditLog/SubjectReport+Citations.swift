import Diagnostics

extension SubjectReport {
    /// Canonical citation → English text, from the citation tables of the entries' policies (digest → rule id →
    /// `{de: canonical, en: English}`): only where the English differs from the canonical text, and only where every
    /// policy that gives the canonical text an English one gives the same (else the reader gets the canonical text,
    /// not one of two translations picked at random).
    static func englishCitations(_ tables: [String: [String: LocalizedText]]) -> [String: String] {
        var english: [String: String] = [:], ambiguous: Set<String> = []
        for table in tables.values {
            for text in table.values where text.en != text.de {
                if let known = english[text.de], known != text.en { ambiguous.insert(text.de) } else { english[text.de] = text.en }
            }
        }
        for canonical in ambiguous { english[canonical] = nil }
        return english
    }

    /// `citation` (canonical, as entries name it) as a reader of `language` reads it: its English text in an English
    /// report where the policies give one, else as it stands.
    public func citationText(_ citation: String, _ language: Language) -> String {
        language == .en ? englishCitations[citation] ?? citation : citation
    }

    /// The legal basis of `group` in words (`DisclosedFieldGroup.basisText`), its citation in `language`.
    public func basisText(_ group: DisclosedFieldGroup, _ language: Language) -> String {
        group.basisText(language, citation: group.citation.map { citationText($0, language) })
    }
}
