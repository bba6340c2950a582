/// Checks on single cell texts, shared by the validator and the tests.
public enum CellChecks {
    /// Whether `text` holds a character that has no place in a registration list cell: C0 controls other
    /// than tab, line feed and carriage return (NUL, ESC, …), DEL, C1 controls, and the Unicode bidi
    /// overrides and isolates (U+202A–U+202E, U+2066–U+2069) that can disguise text.
    public static func hasControlCharacters(_ text: String) -> Bool { scan(text).controlCharacters }

    /// Whether `text` holds a line break (line feed or carriage return).
    public static func hasLineBreak(_ text: String) -> Bool { scan(text).lineBreak }

    /// What one look at a cell's bytes finds: control characters (see `hasControlCharacters`) and line breaks.
    /// Cells of printable ASCII only (most) are passed in one fast loop.
    static func scan(_ text: String) -> (controlCharacters: Bool, lineBreak: Bool) {
        if let fast = text.utf8.withContiguousStorageIfAvailable({ b -> Bool? in
            for c in b where c < 0x20 || c >= 0x7F { return nil }
            return false
        }), fast != nil { return (false, false) }
        var control = false, lineBreak = false
        var it = text.utf8.makeIterator()
        while let b = it.next() {
            if b < 0x20 {
                if b == 0x0A || b == 0x0D { lineBreak = true } else if b != 0x09 { control = true }
            }
            else if b == 0x7F { control = true }
            else if b == 0xC2 { if let n = it.next(), n >= 0x80 && n <= 0x9F { control = true } }
            else if b == 0xE2 {
                guard let n1 = it.next(), let n2 = it.next() else { continue }
                if n1 == 0x80 && (0xAA...0xAE).contains(n2) { control = true }
                if n1 == 0x81 && (0xA6...0xA9).contains(n2) { control = true }
            }
            if control && lineBreak { break }
        }
        return (control, lineBreak)
    }

    /// Whether `text` looks like a spreadsheet formula rather than data: it starts with `=`, or with
    /// `+`, `-` or `@` followed by a function call (`@SUM(`, `+HYPERLINK(`) or a DDE pipe (`|`). Leading
    /// whitespace (space, no-break space, any Unicode `White_Space`) is skipped first, and the full-width
    /// `＝＋－＠` count as the ASCII characters: a spreadsheet that trims cells on import sees `" =1+1"` as a
    /// formula. Such rows are quarantined; every other cell starting with a trigger character (a phone number
    /// `+380 …`) is exported, neutralised by `SpreadsheetCell.neutralized`.
    public static func looksLikeFormula(_ text: String) -> Bool {
        guard let first = text.utf8.first else { return false }
        switch first {
        case 0x3D, 0x2B, 0x2D, 0x40: return looksLikeFormula(asciiLed: text)
        case 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0xC2, 0xE1, 0xE2, 0xE3, 0xEF:   // ASCII and Unicode spaces, ＝＋－＠
            // Most such cells are text in another script: only a trigger after the whitespace needs a closer look.
            guard let lead = text.unicodeScalars.first(where: { !$0.properties.isWhitespace }),
                  SpreadsheetCell.fullWidthTriggers.contains(lead) || "=+-@".unicodeScalars.contains(lead) else { return false }
            return looksLikeFormula(asciiLed: formulaView(text))
        default: return false
        }
    }

    /// `text` as a spreadsheet that trims it would read it: leading whitespace dropped, full-width triggers and
    /// whitespace inside turned into their ASCII forms.
    static func formulaView(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var leading = true
        for s in text.unicodeScalars {
            if s.properties.isWhitespace {
                if leading { continue }
                out.append(" ")
            } else if s.value >= 0xFF01 && s.value <= 0xFF5E && SpreadsheetCell.fullWidthTriggers.contains(s) {
                out.append(Unicode.Scalar(s.value - 0xFEE0)!)
            } else {
                out.append(s)
            }
            leading = false
        }
        return String(out)
    }

    /// The check on a text whose first character is what a spreadsheet sees first.
    private static func looksLikeFormula(asciiLed text: String) -> Bool {
        let u = text.utf8
        guard let first = u.first, first == 0x3D || first == 0x2B || first == 0x2D || first == 0x40 else { return false }
        var i = u.startIndex
        while i != u.endIndex, [0x3D, 0x2B, 0x2D, 0x40, 0x20].contains(u[i]) {
            if u[i] == 0x3D { return true }
            i = u.index(after: i)
        }
        if u.contains(0x7C) { return true }
        var sawName = false
        while i != u.endIndex {
            let c = u[i]
            let isName = (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || (sawName && ((c >= 0x30 && c <= 0x39) || c == 0x2E || c == 0x5F))
            if isName { sawName = true; i = u.index(after: i); continue }
            return sawName && c == 0x28
        }
        return false
    }

    /// Whether `text` is a case id ConsentGate accepts: 1 to 64 of letters, digits, `-`, `_`, `.`,
    /// starting with a letter or digit (no path tricks, no spaces).
    public static func isValidCaseID(_ text: String) -> Bool {
        let u = text.utf8
        guard let f = u.first, u.count <= 64, isAlnum(f) else { return false }
        return u.allSatisfy { isAlnum($0) || $0 == 0x2D || $0 == 0x5F || $0 == 0x2E }
    }

    /// Whether `text` (trimmed) is a German postcode: exactly five digits.
    public static func isValidPostcode(_ text: String) -> Bool {
        let u = text.trimmingSpaces.utf8
        return u.count == 5 && u.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }

    static func isAlnum(_ c: UInt8) -> Bool { (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) }
}
