/// Text that must not reach a terminal or a page as it is: an id the audit log keeps for good, which the command line,
/// the DPO's pages and a person's Art. 15 report show. A control character (U+0000–U+001F, U+007F–U+009F) would put an
/// escape sequence on a terminal; a bidirectional formatting character (the embeddings and overrides U+202A–U+202E, the
/// isolates U+2066–U+2069, the marks U+200E, U+200F, U+061C) would reorder what is read around it.
public enum DisplayUnsafeText {
    /// True when `text` holds a control or bidirectional formatting character, a line or paragraph separator
    /// (U+2028, U+2029: a line break to some readers of the log) or an invisible zero-width one (U+200B, U+2060,
    /// U+FEFF: two ids that look the same would differ; an API review took `REF\u200B17` as a referral id).
    public static func containsControlOrDirectionCharacter(_ text: String) -> Bool {
        text.unicodeScalars.contains { s in
            let v = s.value
            return v < 0x20 || (0x7F...0x9F).contains(v) || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
                || v == 0x200E || v == 0x200F || v == 0x061C
                || v == 0x2028 || v == 0x2029 || v == 0x200B || v == 0x2060 || v == 0xFEFF
        }
    }
}
