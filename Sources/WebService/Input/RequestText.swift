import Diagnostics
import StrictJSON

/// Text from a request that must never reach the database as it is: U+0000.
///
/// GRDB binds Swift strings as NUL-terminated C strings, so SQLite would read `RSK-1\u{0}x` as `RSK-1` in
/// every `WHERE … = ?` look-up while other writers keep the whole string: one value, two readings. The web
/// boundary therefore refuses U+0000 in JSON bodies, form fields, query and path parameters with a 400 that
/// names where it was found (identifiers are further held to their own rules: case ids, account names).
enum RequestText {
    /// Where a refused text came from, for the message.
    enum Place: Sendable {
        case jsonField, formField, queryParameter, pathParameter

        var words: LocalizedText {
            switch self {
            case .jsonField: LocalizedText(de: "Feld", en: "field")
            case .formField: LocalizedText(de: "Formularfeld", en: "form field")
            case .queryParameter: LocalizedText(de: "Parameter", en: "parameter")
            case .pathParameter: LocalizedText(de: "Pfadparameter", en: "path parameter")
            }
        }
    }

    /// True when `text` contains U+0000.
    static func hasNUL(_ text: String) -> Bool { text.utf8.contains(0) }

    /// True when `text` contains a control character (Unicode category Cc: U+0000–U+001F, U+007F–U+009F).
    static func hasControlCharacter(_ text: String) -> Bool {
        text.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }
    }

    /// 400 `invalid-field`: the text `name` at `place` contains U+0000.
    static func nulRefused(_ place: Place, name: String) -> WebError {
        let w = place.words
        var e = WebError.badRequest(code: "invalid-field",
                                    de: "\(w.de) \"\(name)\" enthält das Steuerzeichen U+0000 (NUL); das ist nicht erlaubt",
                                    en: "\(w.en) \"\(name)\" contains the control character U+0000 (NUL), which is not allowed")
        if place == .queryParameter { e.parameter = name }
        return e
    }

    /// 400 unless no name or value of `pairs` contains U+0000.
    static func requireNoNUL<S: Sequence>(_ pairs: S, at place: Place) throws where S.Element == (String, String) {
        for (name, value) in pairs where hasNUL(name) || hasNUL(value) {
            throw nulRefused(place, name: hasNUL(name) ? escapedName(name) : name)
        }
    }

    /// 400 naming the first member (depth first, keys in sorted order) whose key or string value contains U+0000.
    static func requireNoNUL(in value: JSONValue) throws {
        if let path = firstNUL(in: value, path: "") { throw nulRefused(.jsonField, name: path) }
    }

    /// The path of the first key or string holding U+0000, or nil.
    static func firstNUL(in value: JSONValue, path: String) -> String? {
        switch value {
        case let .string(s): return hasNUL(s) ? (path.isEmpty ? "(top level)" : path) : nil
        case let .array(items):
            for (i, item) in items.enumerated() {
                if let found = firstNUL(in: item, path: path + "[\(i)]") { return found }
            }
            return nil
        case let .object(members):
            for key in members.keys.sorted() {
                let child = path.isEmpty ? key : path + "." + key
                if hasNUL(key) { return path.isEmpty ? escapedName(key) : path + "." + escapedName(key) }
                if let found = firstNUL(in: members[key]!, path: child) { return found }
            }
            return nil
        case .null, .bool, .int: return nil
        }
    }

    /// A name with its U+0000 shown as `\u0000` (so the message itself carries no NUL).
    static func escapedName(_ name: String) -> String { name.replacingOccurrences(of: "\u{0}", with: "\\u0000") }
}
