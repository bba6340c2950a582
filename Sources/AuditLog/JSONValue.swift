/// A JSON value restricted to what audit entries use: no floating-point numbers, only integers in the
/// range every JSON implementation reads exactly (±(2^53 − 1)), so RFC 8785 canonical form is unambiguous.
public enum JSONValue: Sendable, Equatable, Hashable {
    case null
    case bool(Bool)
    case int(Int64)
    case string(String)
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
}

/// Reads the members of a JSON object with errors that name the member and where it sits.
public struct JSONObjectReader: Sendable {
    /// The object's members.
    public let members: [String: JSONValue]
    /// Where the object sits, e.g. `entry 41 content`, for error messages.
    public let context: String

    /// Wraps `value`, which must be an object.
    public init(_ value: JSONValue, context: String) throws {
        guard let o = value.objectValue else { throw AuditLogError.malformedEntry(context: context, reason: "expected a JSON object") }
        members = o
        self.context = context
    }

    /// A required string member.
    public func string(_ key: String) throws -> String {
        guard let s = members[key]?.stringValue else { throw missing(key, "a string") }
        return s
    }

    /// An optional string member (absent or null gives nil).
    public func optionalString(_ key: String) throws -> String? {
        switch members[key] {
        case nil, .null?: return nil
        case let .string(s)?: return s
        default: throw missing(key, "a string")
        }
    }

    /// A required integer member.
    public func int(_ key: String) throws -> Int64 {
        guard let i = members[key]?.intValue else { throw missing(key, "an integer") }
        return i
    }

    /// An optional integer member.
    public func optionalInt(_ key: String) throws -> Int64? {
        switch members[key] {
        case nil, .null?: return nil
        case let .int(i)?: return i
        default: throw missing(key, "an integer")
        }
    }

    /// A required array of strings.
    public func strings(_ key: String) throws -> [String] {
        guard let a = members[key]?.arrayValue else { throw missing(key, "an array of strings") }
        return try a.map { v in
            guard let s = v.stringValue else { throw missing(key, "an array of strings") }
            return s
        }
    }

    /// A required array of objects, each read with `body`.
    public func objects<T>(_ key: String, _ body: (JSONObjectReader) throws -> T) throws -> [T] {
        guard let a = members[key]?.arrayValue else { throw missing(key, "an array of objects") }
        return try a.enumerated().map { i, v in try body(JSONObjectReader(v, context: "\(context) \(key)[\(i)]")) }
    }

    /// A required nested object.
    public func object(_ key: String) throws -> JSONObjectReader {
        guard let v = members[key] else { throw missing(key, "an object") }
        return try JSONObjectReader(v, context: "\(context) \(key)")
    }

    /// An optional nested object.
    public func optionalObject(_ key: String) throws -> JSONObjectReader? {
        switch members[key] {
        case nil, .null?: return nil
        case let v?: return try JSONObjectReader(v, context: "\(context) \(key)")
        }
    }

    private func missing(_ key: String, _ what: String) -> AuditLogError {
        .malformedEntry(context: context, reason: "member \"\(key)\" must be \(what)")
    }
}
