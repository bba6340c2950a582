import Diagnostics

extension JSONSyntaxError {
    /// The reason in German and English for people (the parser's `reason` is an English phrase for logs and
    /// tests): every reason the parser gives has its words here, so a German message never carries English.
    /// Given the input `bytes`, a trailing comma before a closing bracket is named as such. `syntax` is false
    /// where the text is JSON but not what ConsentGate accepts (duplicate keys, numbers that are not safe
    /// integers, too deep, too large).
    public func words(in bytes: [UInt8]? = nil) -> (text: LocalizedText, syntax: Bool) {
        let r = reason
        let bytes = bytes ?? []
        let at: UInt8? = offset < bytes.count ? bytes[offset] : nil
        if (r == "expected a member name" && at == UInt8(ascii: "}")) || (r == "unexpected character" && at == UInt8(ascii: "]")),
           Self.previousNonBlank(before: offset, in: bytes) == UInt8(ascii: ",") {
            return (LocalizedText(de: "überzähliges Komma vor der schließenden Klammer", en: "trailing comma before the closing bracket"), true)
        }
        if r.hasPrefix("duplicate member ") {
            let name = String(r.dropFirst("duplicate member ".count))
            return (LocalizedText(de: "Feld \(name) kommt mehrfach vor", en: "field \(name) appears more than once"), false)
        }
        if r.hasPrefix("larger than ") {
            // "larger than N bytes (M)"
            let rest = r.dropFirst("larger than ".count)
            return (LocalizedText(de: "größer als " + String(rest).replacing(" bytes", with: " Bytes"), en: r), false)
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
            return (LocalizedText(de: "unerwartetes Ende des JSON-Textes", en: "unexpected end of the JSON text"), true)
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
    private static func previousNonBlank(before offset: Int, in bytes: [UInt8]) -> UInt8? {
        var i = min(offset, bytes.count) - 1
        while i >= 0, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[i]) { i -= 1 }
        return i >= 0 ? bytes[i] : nil
    }
}
