import StrictJSON

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
