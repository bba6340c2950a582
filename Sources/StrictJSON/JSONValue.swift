import Diagnostics
/// A JSON value as the signed and logged documents use it (audit entries and proofs, consent and withdrawal
/// payloads, export manifests): no floating-point numbers, only integers in the range every JSON
/// implementation reads exactly (±(2^53 − 1)), so the RFC 8785 canonical form (`CanonicalJSON`) is
/// unambiguous and the same value always gives the same bytes, which is what a signature or a hash needs.
public enum JSONValue: Sendable, Equatable, Hashable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// An integer within ±`maxSafeInteger`.
    case int(Int64)
    /// A string.
    case string(String)
    /// An array, in order.
    case array([JSONValue])
    /// Members in any order; the canonical encoder sorts them. Keys are unique.
    case object([String: JSONValue])

    /// The largest integer magnitude an IEEE 754 double (and so every JSON reader) represents exactly.
    public static let maxSafeInteger: Int64 = 9_007_199_254_740_991

    /// The string, if this is one.
    public var stringValue: String? { if case let .string(s) = self { return s }; return nil }
    /// The integer, if this is one.
    public var intValue: Int64? { if case let .int(i) = self { return i }; return nil }
    /// The Boolean, if this is one.
    public var boolValue: Bool? { if case let .bool(b) = self { return b }; return nil }
    /// The elements, if this is an array.
    public var arrayValue: [JSONValue]? { if case let .array(a) = self { return a }; return nil }
    /// The members, if this is an object.
    public var objectValue: [String: JSONValue]? { if case let .object(o) = self { return o }; return nil }

    /// Member `key` of an object (nil for other values or a missing key).
    public subscript(key: String) -> JSONValue? { objectValue?[key] }

    /// An array of strings.
    public static func strings(_ values: [String]) -> JSONValue { .array(values.map(JSONValue.string)) }

    /// The name of the value's JSON type in `language`, for error messages (a German message said "nicht integer").
    public func typeName(in language: Language) -> String { Self.typeName(typeName, in: language) }

    /// A JSON type's name (`typeName`'s English word) in `language`; an unknown word as it is.
    public static func typeName(_ english: String, in language: Language) -> String {
        guard language == .de else { return english }
        let german = ["null": "null", "boolean": "Wahrheitswert", "integer": "ganze Zahl", "string": "Text", "array": "Liste", "object": "Objekt"]
        return german[english] ?? english
    }

    /// A short name of the value's JSON type, for error messages.
    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .int: return "integer"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }
}
