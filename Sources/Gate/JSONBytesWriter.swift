import Diagnostics
import PolicyEngine

/// Writes a `OrderedJSON` straight into UTF-8 bytes, byte for byte what `OrderedJSON.serialized`
/// gives (same key order, no whitespace, the same minimal escaping), without building a `String` one
/// scalar at a time. The web service answers every decision with these bytes, so this is on the hot path.
enum JSONBytesWriter {
    /// The JSON bytes of `value`.
    static func bytes(of value: OrderedJSON, reservingCapacity capacity: Int = 1024) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(capacity)
        write(value, to: &out)
        return out
    }

    static func write(_ value: OrderedJSON, to out: inout [UInt8]) {
        switch value {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .int(let i): out.append(contentsOf: String(i).utf8)
        case .string(let s): JSONStringEscaping.append(s, to: &out)
        case .array(let a):
            out.append(UInt8(ascii: "["))
            for (i, v) in a.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                write(v, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let o):
            out.append(UInt8(ascii: "{"))
            for (i, (k, v)) in o.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                JSONStringEscaping.append(k, to: &out)
                out.append(UInt8(ascii: ":"))
                write(v, to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

}
