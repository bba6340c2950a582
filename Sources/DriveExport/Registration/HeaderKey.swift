/// How a column header is compared with the policy labels and the mapping file's entries.
///
/// Spreadsheets that people retype or paste into are loose about what cannot be seen: a no-break space or a
/// zero-width space after „Fall-ID“ (pasted from a web page or a Word table), two spaces inside „Einwilligung  erteilt
/// am“, a heading in capitals („FAMILIENNAME“). Refusing those as unknown columns names a column the operator cannot
/// tell from the expected one (`column 2 "Fall-ID "`). So a header is compared by its key: surrounding whitespace
/// (any Unicode `White_Space`, the zero-width space and a stray byte-order mark) dropped, inner runs of whitespace one
/// space; and, when no header has that exact key, case-insensitively, provided the headers that match so all map to
/// the same target (an ambiguous heading stays unknown).
public enum HeaderKey {
    /// `header` with surrounding whitespace (Unicode `White_Space`, U+200B, U+FEFF) removed and each inner run of it
    /// made one space. Canonically equivalent spellings (NFC, NFD) stay equal, as Swift strings compare.
    public static func normalized(_ header: String) -> String {
        var out = String.UnicodeScalarView()
        var pendingSpace = false
        for s in header.unicodeScalars {
            if isSpace(s) {
                pendingSpace = !out.isEmpty
                continue
            }
            if pendingSpace { out.append(" "); pendingSpace = false }
            out.append(s)
        }
        return String(out)
    }

    static func isSpace(_ s: Unicode.Scalar) -> Bool {
        s.properties.isWhitespace || s == "\u{200B}" || s == "\u{FEFF}"
    }

    /// The key for the case-insensitive comparison.
    static func folded(_ header: String) -> String { normalized(header).lowercased() }
}

extension HeaderMapping {
    /// The entry `header` (a cell of a list's header line) resolves to: the entry with the same key
    /// (`HeaderKey.normalized`), else the entries whose key differs only in case, when they all have one target
    /// (the first of them, by key, names it). `nil`: the header is unknown (or ambiguous).
    public func resolve(_ header: String) -> (entry: String, target: Target)? {
        let key = HeaderKey.normalized(header)
        if let target = targets[key] { return (key, target) }
        let folded = key.lowercased()
        let matches = targets.filter { HeaderKey.folded($0.key) == folded }.sorted { $0.key < $1.key }
        guard let first = matches.first, matches.allSatisfy({ $0.value == first.value }) else { return nil }
        return (first.key, first.value)
    }
}
