/// Words of another language inside a text, marked for screen readers: a German office's name in a Ukrainian
/// declaration ("Служба у справах молоді (Jugendamt)") is read with German rules only inside `<span lang="de">`.
enum LanguageSpans {
    /// `text` HTML-escaped, with each occurrence of one of `terms` as a whole word (not the start or end of a longer
    /// word: "Jugendamtes" stays as it is) wrapped in `<span lang="language">`. The longest term wins where two start
    /// at the same place; spans never overlap. Terms are escaped like the text; empty terms, and terms holding `*`
    /// (which would cut through the `**bold**` markers `MarkdownLite` reads after this), are ignored.
    /// With `leftToRight`, each span also says `dir="ltr"` (a German name inside a right-to-left text).
    static func mark(_ text: String, terms: [String], language: String, leftToRight: Bool = false) -> String {
        let candidates = Set(terms.filter { !$0.isEmpty && !$0.contains("*") }).map(Array.init).sorted { $0.count > $1.count }
        guard !candidates.isEmpty else { return esc(text) }
        let chars = Array(text)
        func isWordCharacter(_ i: Int) -> Bool { i >= 0 && i < chars.count && (chars[i].isLetter || chars[i].isNumber) }
        var out = "", plain = ""
        var i = 0
        while i < chars.count {
            let found = isWordCharacter(i - 1) ? nil : candidates.first { term in
                i + term.count <= chars.count && chars[i..<(i + term.count)].elementsEqual(term) && !isWordCharacter(i + term.count)
            }
            if let term = found {
                out += esc(plain) + "<span lang=\"\(esc(language))\"\(leftToRight ? " dir=\"ltr\"" : "")>\(esc(String(term)))</span>"
                plain = ""
                i += term.count
            } else {
                plain.append(chars[i])
                i += 1
            }
        }
        return out + esc(plain)
    }
}
