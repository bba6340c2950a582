/// A value a user gave, as an error message quotes it: control characters escaped (`\n`, `\u{1B}`), so a value never
/// breaks the message's line or reaches a terminal as an escape sequence, and a long value cut after its first
/// `keep` characters with its length said, so a 100 KB value is not echoed whole. Found in a review of the command line:
/// `--collected-by $'cm.a\nFAKE LINE'` printed a second line, a 100,000-character value was printed whole.
public enum ShownValue {
    /// `value` for a message in `language`.
    public static func text(_ value: String, language: Language, keep: Int = 100) -> String {
        let scalars = Array(value.unicodeScalars)
        let cut = scalars.count > keep + 20
        // Control characters, line and paragraph separators and bidirectional formatting characters, which would break
        // the line or reorder what is read around the value (`DisplayUnsafeText`), escaped.
        let shown = (cut ? Array(scalars.prefix(keep)) : scalars).map { s in
            s.properties.generalCategory == .control || s.value == 0x2028 || s.value == 0x2029
                || DisplayUnsafeText.containsControlOrDirectionCharacter(String(s)) ? s.escaped(asASCII: true) : String(s)
        }.joined()
        guard cut else { return shown }
        return shown + (language == .de ? "… (\(scalars.count) Zeichen)" : "… (\(scalars.count) characters)")
    }
}
