/// How one cell is written into a German-Excel CSV file.
public enum SpreadsheetCell {
    /// Characters that make a spreadsheet treat a cell as a formula (OWASP "CSV injection"):
    /// `=`, `+`, `-`, `@`, tab, carriage return.
    public static let formulaTriggers: Set<UInt8> = [0x3D, 0x2B, 0x2D, 0x40, 0x09, 0x0D]
    /// The full-width forms `＝`, `＋`, `－`, `＠`, which some spreadsheets (and their import options) read as
    /// the ASCII triggers. (UTF-8 lead byte 0xEF; every non-ASCII Unicode `White_Space` starts with 0xC2, 0xE1,
    /// 0xE2 or 0xE3.)
    public static let fullWidthTriggers: Set<Unicode.Scalar> = ["\u{FF1D}", "\u{FF0B}", "\u{FF0D}", "\u{FF20}"]

    /// The cell made inert for spreadsheets: a cell that starts with a trigger character (ASCII or full-width),
    /// also after leading whitespace (space, no-break space, any Unicode `White_Space`) and `'`, gets one `'`
    /// put in front (OWASP: a spreadsheet that trims the cell would otherwise see the trigger first). Nothing
    /// else changes, so the original is recovered exactly by `unneutralized` (skipping `'` keeps that
    /// unambiguous). Excel shows such a cell as text, with the apostrophe visible.
    public static func neutralized(_ text: String) -> String {
        needsNeutralizing(text) ? "'" + text : text
    }

    /// The original of a neutralised cell (one leading `'` removed where `neutralized` added one).
    public static func unneutralized(_ text: String) -> String {
        guard text.utf8.first == 0x27 else { return text }
        let rest = String(text.dropFirst())
        return needsNeutralizing(rest) ? rest : text
    }

    /// Whether the first character after any run of `'` and whitespace is a trigger. (`'` + x needs it exactly
    /// when x does, which makes `unneutralized` the inverse of `neutralized`.)
    static func needsNeutralizing(_ text: String) -> Bool {
        for b in text.utf8 {
            switch b {
            case 0x27, 0x20, 0x0A, 0x0B, 0x0C: continue
            case 0x3D, 0x2B, 0x2D, 0x40, 0x09, 0x0D: return true
            case 0xC2, 0xE1, 0xE2, 0xE3, 0xEF: return needsNeutralizingScalars(text)   // lead bytes of Unicode spaces, ＝＋－＠
            default: return false   // also Cyrillic (0xD0, 0xD1) and other letters: no scalar decoding
            }
        }
        return false
    }

    /// `needsNeutralizing` for a cell whose leading run has a non-ASCII character (rare).
    private static func needsNeutralizingScalars(_ text: String) -> Bool {
        for s in text.unicodeScalars {
            if s == "'" { continue }
            if s.isASCII, formulaTriggers.contains(UInt8(s.value)) { return true }
            if fullWidthTriggers.contains(s) { return true }
            if s.properties.isWhitespace { continue }
            return false
        }
        return false
    }

    /// Whether RFC 4180 requires quoting the cell: it contains the separator, `"`, CR or LF.
    public static func needsQuoting(_ text: String, separator: UInt8 = UInt8(ascii: ";")) -> Bool {
        func scan<S: Sequence<UInt8>>(_ bytes: S) -> Bool {
            for b in bytes where b == separator || b == 0x22 || b == 0x0D || b == 0x0A { return true }
            return false
        }
        return text.utf8.withContiguousStorageIfAvailable { scan($0) } ?? scan(text.utf8)
    }

    /// Appends the cell's CSV form (quoted and with doubled quotes when needed) to `out`.
    public static func appendEncoded(_ text: String, separator: UInt8, to out: inout [UInt8]) {
        if !needsQuoting(text, separator: separator) {
            out.append(contentsOf: text.utf8)
            return
        }
        out.append(0x22)
        for b in text.utf8 {
            out.append(b)
            if b == 0x22 { out.append(0x22) }
        }
        out.append(0x22)
    }
}
