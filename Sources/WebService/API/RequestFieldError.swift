import Diagnostics

/// A field of a JSON request body that the strict decoding refuses, thrown from a request type's
/// `init(from:)`: where (the field's path as people write it, `attributes.birth-date`) and why, in German
/// and English. `RequestBodyReader` turns it into a 400 (`invalid-field` or `unknown-field`), so no English
/// detail ever ends up inside a German message.
struct RequestFieldError: Error, Sendable, Equatable {
    /// What is wrong with the field.
    enum Problem: Sendable, Equatable {
        /// The value is not acceptable; the text says what is expected.
        case invalid(LocalizedText)
        /// The key is not one the request knows; `allowed` lists those it does (sorted).
        case unknown(allowed: [String])
    }

    /// The field's path (`subject`, `attributes.birth-date`, `fields[2]`).
    let path: String
    /// What is wrong with it.
    let problem: Problem

    /// An invalid value at `codingPath` (the container's path plus the key).
    static func invalid(_ codingPath: [any CodingKey], _ expected: LocalizedText) -> RequestFieldError {
        RequestFieldError(path: RequestBodyReader.path(codingPath), problem: .invalid(expected))
    }

    /// The 400 the client receives.
    var webError: WebError {
        switch problem {
        case let .invalid(expected):
            return .badRequest(code: "invalid-field", de: "Feld \"\(path)\": ungültiger Wert: \(expected.de)",
                               en: "field \"\(path)\": invalid value: \(expected.en)")
        case let .unknown(allowed) where allowed.isEmpty:
            return .badRequest(code: "unknown-field", de: "unbekanntes Feld \"\(path)\" (diese Anfrage hat keine Felder)",
                               en: "unknown field \"\(path)\" (this request has no fields)")
        case let .unknown(allowed):
            let list = allowed.joined(separator: ", ")
            return .badRequest(code: "unknown-field", de: "unbekanntes Feld \"\(path)\" (erlaubt: \(list))",
                               en: "unknown field \"\(path)\" (allowed: \(list))")
        }
    }
}
