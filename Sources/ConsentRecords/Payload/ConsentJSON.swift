import Diagnostics

/// A JSON value as the consent payloads use it: no floating-point numbers, integers only. (Named apart
/// from the `JSONValue` types of other modules so code importing several stays unambiguous.)
///
/// Consent and withdrawal payloads are signed as bytes, so they must be produced deterministically
/// (`canonicalBytes`: members sorted, no insignificant whitespace, RFC 8785 string escaping) and read
/// strictly (`StrictJSONParser`: duplicates, trailing bytes, fractions and deep nesting rejected).
public enum ConsentJSON: Sendable, Equatable, Hashable {
    case null
    case bool(Bool)
    case integer(Int)
    case string(String)
    case array([ConsentJSON])
    case object([String: ConsentJSON])

    /// The value serialized canonically: object members sorted by their UTF-16 code units (RFC 8785 §3.2.3),
    /// no whitespace, strings escaped as RFC 8785 prescribes. Equal values give equal bytes.
    public var canonicalBytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(512)
        write(into: &out)
        return out
    }

    private func write(into out: inout [UInt8]) {
        switch self {
        case .null: out.append(contentsOf: Array("null".utf8))
        case .bool(let b): out.append(contentsOf: Array((b ? "true" : "false").utf8))
        case .integer(let n): out.append(contentsOf: Array(String(n).utf8))
        case .string(let s): JSONStringEscaping.append(s, to: &out)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                item.write(into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            let keys = members.keys.sorted { Array($0.utf16).lexicographicallyPrecedes(Array($1.utf16)) }
            for (i, key) in keys.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                JSONStringEscaping.append(key, to: &out)
                out.append(UInt8(ascii: ":"))
                members[key]!.write(into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }


    /// A short name of the value's JSON type, for error messages.
    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .integer: return "integer"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }
}
