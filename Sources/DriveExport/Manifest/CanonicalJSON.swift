import Diagnostics

/// A tiny JSON value and a deterministic writer for it: object keys sorted by their UTF-16 code units
/// (the RFC 8785 order), two-space indentation, strings escaped as RFC 8785 does (only `"`, `\` and
/// control characters; all other text, Cyrillic included, as raw UTF-8), integers only, and a final
/// line feed. The same value always gives the same bytes, which is what a signature over a file needs.
public indirect enum CanonicalJSON: Sendable, Equatable {
    /// A string.
    case string(String)
    /// An integer (the manifest needs no fractions).
    case int(Int)
    /// `true` or `false`.
    case bool(Bool)
    /// `null`.
    case null
    /// An array, in order.
    case array([CanonicalJSON])
    /// An object; members are written sorted by key.
    case object([String: CanonicalJSON])

    /// The value as UTF-8 bytes, indented, ending in a line feed.
    public func encoded() -> [UInt8] {
        var out: [UInt8] = []
        write(to: &out, indent: 0)
        out.append(0x0A)
        return out
    }

    func write(to out: inout [UInt8], indent: Int) {
        func newline(_ level: Int) {
            out.append(0x0A)
            out.append(contentsOf: repeatElement(0x20, count: level * 2))
        }
        switch self {
        case .string(let s): JSONStringEscaping.append(s, to: &out)
        case .int(let i): out.append(contentsOf: String(i).utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .null: out.append(contentsOf: "null".utf8)
        case .array(let items):
            if items.isEmpty { out.append(contentsOf: "[]".utf8); return }
            out.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                newline(indent + 1)
                item.write(to: &out, indent: indent + 1)
            }
            newline(indent)
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            if members.isEmpty { out.append(contentsOf: "{}".utf8); return }
            out.append(UInt8(ascii: "{"))
            let keys = members.keys.sorted { $0.utf16.lexicographicallyPrecedes($1.utf16) }
            for (i, key) in keys.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                newline(indent + 1)
                JSONStringEscaping.append(key, to: &out)
                out.append(contentsOf: ": ".utf8)
                members[key]!.write(to: &out, indent: indent + 1)
            }
            newline(indent)
            out.append(UInt8(ascii: "}"))
        }
    }

}
