import Diagnostics
import StrictJSON

/// The 400 for a request body the strict JSON reader (`StrictJSON.JSONParser`) refuses: what is wrong in
/// German and English, and where (line and column, counted from 1). The reader's reasons are English
/// phrases; each known one is given here in both languages, so a German answer never carries English.
enum JSONSyntaxMessage {
    /// `error` at its position in `bytes` as a `malformed-json` 400.
    static func webError(_ error: JSONSyntaxError, in bytes: [UInt8]) -> WebError {
        let (line, column) = position(of: error.offset, in: bytes)
        let reason = words(for: error, in: bytes)
        let syntax = reason.syntax
        return .badRequest(code: "malformed-json",
            de: (syntax ? "Anfrage ist kein gültiges JSON: " : "Anfrage-JSON abgelehnt: ") + "\(reason.text.de) (Zeile \(line), Spalte \(column))",
            en: (syntax ? "request body is not valid JSON: " : "request JSON refused: ") + "\(reason.text.en) (line \(line), column \(column))")
    }

    /// Line and column (both from 1; the column counts characters) of byte `offset`.
    static func position(of offset: Int, in bytes: [UInt8]) -> (line: Int, column: Int) {
        let end = min(max(offset, 0), bytes.count)
        var line = 1
        var lineStart = 0
        for i in 0..<end where bytes[i] == 0x0A { line += 1; lineStart = i + 1 }
        return (line, String(decoding: bytes[lineStart..<end], as: UTF8.self).count + 1)
    }

    /// The reason in both languages; `syntax` is false where the text is JSON but not what ConsentGate
    /// accepts (duplicate keys, numbers that are not safe integers, too deep).
    static func words(for error: JSONSyntaxError, in bytes: [UInt8]) -> (text: LocalizedText, syntax: Bool) {
        let r = error.reason
        let at: UInt8? = error.offset < bytes.count ? bytes[error.offset] : nil
        if (r == "expected a member name" && at == UInt8(ascii: "}")) || (r == "unexpected character" && at == UInt8(ascii: "]")),
           previousNonBlank(before: error.offset, in: bytes) == UInt8(ascii: ",") {
            return (LocalizedText(de: "überzähliges Komma vor der schließenden Klammer", en: "trailing comma before the closing bracket"), true)
        }
        if r.hasPrefix("duplicate member ") {
            let name = String(r.dropFirst("duplicate member ".count))
            return (LocalizedText(de: "Feld \(name) kommt mehrfach vor", en: "field \(name) appears more than once"), false)
        }
        if r.hasPrefix("nested deeper than") {
            return (LocalizedText(de: "zu tief verschachtelt", en: "nested too deeply"), false)
        }
        switch r {
        case "integer outside ±(2^53 − 1)":
            return (LocalizedText(de: "Zahl außerhalb des erlaubten Bereichs ±(2^53 − 1)", en: "number outside the allowed range ±(2^53 − 1)"), false)
        case "only whole numbers are accepted":
            return (LocalizedText(de: "nur ganze Zahlen sind erlaubt", en: "only whole numbers are accepted"), false)
        case "trailing bytes after the JSON value":
            return (LocalizedText(de: "weiterer Text nach dem JSON-Wert", en: "more text after the JSON value"), true)
        case "unexpected end of input", "unexpected end of input in an object", "unexpected end of input in an array":
            return (LocalizedText(de: "unerwartetes Ende der Anfrage", en: "unexpected end of the body"), true)
        case "unexpected character":
            return (LocalizedText(de: "unerwartetes Zeichen", en: "unexpected character"), true)
        case "invalid literal":
            return (LocalizedText(de: "ungültiges Wort (erlaubt: true, false, null)", en: "invalid literal (allowed: true, false, null)"), true)
        case "expected a member name":
            return (LocalizedText(de: "Feldname in Anführungszeichen erwartet", en: "expected a quoted field name"), true)
        case "expected ':'":
            return (LocalizedText(de: "„:“ erwartet", en: "expected ':'"), true)
        case "expected ',' or '}'":
            return (LocalizedText(de: "„,“ oder „}“ erwartet", en: "expected ',' or '}'"), true)
        case "expected ',' or ']'":
            return (LocalizedText(de: "„,“ oder „]“ erwartet", en: "expected ',' or ']'"), true)
        case "invalid number":
            return (LocalizedText(de: "ungültige Zahl", en: "invalid number"), true)
        case "leading zero in a number":
            return (LocalizedText(de: "führende Null in einer Zahl", en: "leading zero in a number"), true)
        case "unterminated string":
            return (LocalizedText(de: "Zeichenkette nicht abgeschlossen", en: "unterminated string"), true)
        case "string is not valid UTF-8":
            return (LocalizedText(de: "Zeichenkette ist kein gültiges UTF-8", en: "string is not valid UTF-8"), true)
        case "unterminated escape", "invalid escape", "invalid \\u escape":
            return (LocalizedText(de: "ungültige Escape-Sequenz", en: "invalid escape sequence"), true)
        case "lone surrogate in \\u escape":
            return (LocalizedText(de: "einzelnes Surrogat in einer \\u-Escape-Sequenz", en: "lone surrogate in a \\u escape"), true)
        case "control character in a string":
            return (LocalizedText(de: "Steuerzeichen in einer Zeichenkette (nur als Escape-Sequenz erlaubt)",
                                  en: "control character in a string (allowed only escaped)"), true)
        default:
            return (LocalizedText(de: "nicht lesbar", en: "not readable"), true)
        }
    }

    /// The last byte before `offset` that is not JSON white space.
    static func previousNonBlank(before offset: Int, in bytes: [UInt8]) -> UInt8? {
        var i = min(offset, bytes.count) - 1
        while i >= 0, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[i]) { i -= 1 }
        return i >= 0 ? bytes[i] : nil
    }
}
