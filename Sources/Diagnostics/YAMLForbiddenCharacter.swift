/// A character YAML does not allow in a file (a control character such as NUL or ESC, DEL, a C1 control, or the
/// non-characters U+FFFE and U+FFFF), found before the file reaches libyaml: libyaml reports it by byte offset only, so a policy author or an
/// operator read "1:1" and an English reason (a review found a NUL at 18:36 reported that way).
public struct YAMLForbiddenCharacter: Sendable, Equatable {
    /// The line of the character, from 1 (lines end at LF, CR, CR LF, NEL, U+2028 or U+2029, as libyaml counts).
    public var line: Int
    /// The column of the character, from 1, counted in characters (Unicode scalars), as libyaml counts.
    public var column: Int
    /// The character.
    public var scalar: Unicode.Scalar

    /// The character as `U+0000`, the way both languages name it.
    public var codePoint: String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    /// The reason, in German and English.
    public var reason: (de: String, en: String) {
        (de: "Zeichen \(codePoint) ist in YAML nicht erlaubt (nur Tabulator, Zeilenumbrüche und druckbare Zeichen)",
         en: "character \(codePoint) is not allowed in YAML (only tab, line breaks and printable characters)")
    }

    /// The first character of `text` that YAML 1.1 does not allow, with its line and column; nil when there is none.
    public static func first(in text: String) -> YAMLForbiddenCharacter? {
        var line = 1, column = 1
        var afterCR = false
        var first = true
        for scalar in text.unicodeScalars {
            let v = scalar.value
            // A byte order mark at the start takes no column (libyaml skips it).
            if first { first = false; if v == 0xFEFF { continue } }
            if v == 0x0A && afterCR { afterCR = false; continue }   // CR LF is one line break
            afterCR = v == 0x0D
            if v == 0x0A || v == 0x0D || v == 0x85 || v == 0x2028 || v == 0x2029 {
                line += 1; column = 1; continue
            }
            if !allowed(v) { return YAMLForbiddenCharacter(line: line, column: column, scalar: scalar) }
            column += 1
        }
        return nil
    }

    /// YAML 1.1's printable set, as libyaml's reader checks it (a byte order mark U+FEFF is printable there).
    private static func allowed(_ v: UInt32) -> Bool {
        v == 0x09 || (0x20...0x7E).contains(v) || v == 0x85 || (0xA0...0xD7FF).contains(v)
            || (0xE000...0xFFFD).contains(v) || (0x10000...0x10FFFF).contains(v)
    }
}
