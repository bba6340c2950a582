/// Checks on single cell texts, shared by the validator and the tests.
public enum CellChecks {
    /// Whether `text` holds a character that has no place in a registration list cell: C0 controls other
    /// than tab, line feed and carriage return (NUL, ESC, …), DEL, C1 controls, and the Unicode bidi
    /// overrides and isolates (U+202A–U+202E, U+2066–U+2069) that can disguise text.
    public static func hasControlCharacters(_ text: String) -> Bool {
        if let fast = text.utf8.withContiguousStorageIfAvailable({ b -> Bool? in
            for c in b where c < 0x20 || c >= 0x7F { return nil }
            return false
        }), let plain = fast { return plain }
        var it = text.utf8.makeIterator()
        while let b = it.next() {
            if b < 0x20 { if b != 0x09 && b != 0x0A && b != 0x0D { return true } }
            else if b == 0x7F { return true }
            else if b == 0xC2 { if let n = it.next(), n >= 0x80 && n <= 0x9F { return true } }
            else if b == 0xE2 {
                guard let n1 = it.next(), let n2 = it.next() else { continue }
                if n1 == 0x80 && (0xAA...0xAE).contains(n2) { return true }
                if n1 == 0x81 && (0xA6...0xA9).contains(n2) { return true }
            }
        }
        return false
    }

    /// Whether `text` looks like a spreadsheet formula rather than data: it starts with `=`, or with
    /// `+`, `-` or `@` followed by a function call (`@SUM(`, `+HYPERLINK(`) or a DDE pipe (`|`).
    /// Such rows are quarantined; every other cell starting with a trigger character (a phone number
    /// `+380 …`) is exported, neutralised by `SpreadsheetCell.neutralized`.
    public static func looksLikeFormula(_ text: String) -> Bool {
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
