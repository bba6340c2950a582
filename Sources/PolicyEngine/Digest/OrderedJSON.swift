import Diagnostics

/// A JSON value with object keys in a fixed order, written deterministically (no whitespace, UTF-8, minimal
/// escaping). Used for decisions (CONTRACTS §4 key order) and the bundle's canonical form (keys sorted).
/// StrictJSON's `JSONValue` is the other JSON of the code base: unordered members, always written in
/// RFC 8785 order, for signed and logged documents.
public indirect enum OrderedJSON: Sendable, Equatable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// An integer.
    case int(Int)
    /// A string.
    case string(String)
    /// An array, in order.
    case array([OrderedJSON])
    /// Members written in this order.
    case object([(String, OrderedJSON)])

    public static func == (a: OrderedJSON, b: OrderedJSON) -> Bool { a.serialized == b.serialized }

    /// The same value with every object's keys sorted (by UTF-16 code units, as RFC 8785 does).
    public var sortedKeys: OrderedJSON {
        switch self {
        case .array(let a): return .array(a.map(\.sortedKeys))
        case .object(let o):
            return .object(o.map { ($0.0, $0.1.sortedKeys) }.sorted { Array($0.0.utf16).lexicographicallyPrecedes(Array($1.0.utf16)) })
        default: return self
        }
    }

    /// The JSON text.
    public var serialized: String {
        var out = ""
        write(to: &out)
        return out
    }

    /// The JSON bytes (UTF-8).
    public var bytes: [UInt8] { Array(serialized.utf8) }

    func write(to out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .string(let s): Self.writeString(s, to: &out)
        case .array(let a):
            out += "["
            for (i, v) in a.enumerated() { if i > 0 { out += "," }; v.write(to: &out) }
            out += "]"
        case .object(let o):
            out += "{"
            for (i, (k, v)) in o.enumerated() {
                if i > 0 { out += "," }
                Self.writeString(k, to: &out); out += ":"; v.write(to: &out)
            }
            out += "}"
        }
    }

    static func writeString(_ s: String, to out: inout String) { out += JSONStringEscaping.quoted(s) }
}
