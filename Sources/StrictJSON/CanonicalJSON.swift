import Diagnostics

/// RFC 8785 JSON Canonicalization Scheme (JCS) for `JSONValue` (audit entries, consent payloads), and an
/// indented form of the same order for signed files people read (`encodeIndented`).
///
/// Object members sorted by their keys' UTF-16 code units, no whitespace, strings escaped minimally
/// (only `"`, `\` and U+0000…U+001F, the latter as `\b \t \n \f \r` or `\u00xx` in lower-case hex),
/// integers in plain decimal. `JSONValue` holds no floating-point numbers, so the ECMAScript number
/// serialization of RFC 8785 §3.2.2.3 reduces to integer decimal for every value we emit.
public enum CanonicalJSON {
    /// The canonical UTF-8 bytes of `value`.
    public static func encode(_ value: JSONValue) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        write(value, into: &out)
        return out
    }

    /// Appends the canonical form of `value` to `out`.
    public static func write(_ value: JSONValue, into out: inout [UInt8]) {
        switch value {
        case .null: out.append(contentsOf: [0x6E, 0x75, 0x6C, 0x6C])
        case .bool(true): out.append(contentsOf: [0x74, 0x72, 0x75, 0x65])
        case .bool(false): out.append(contentsOf: [0x66, 0x61, 0x6C, 0x73, 0x65])
        case let .int(i):
            precondition(i >= -JSONValue.maxSafeInteger && i <= JSONValue.maxSafeInteger,
                         "integer \(i) outside the exactly representable JSON range")
            writeInteger(i, into: &out)
        case let .string(s): writeString(s, into: &out)
        case let .array(a):
            out.append(0x5B)
            for (n, v) in a.enumerated() {
                if n > 0 { out.append(0x2C) }
                write(v, into: &out)
            }
            out.append(0x5D)
        case let .object(o):
            out.append(0x7B)
            let keys = o.keys.sorted(by: utf16Precedes)
            for (n, k) in keys.enumerated() {
                if n > 0 { out.append(0x2C) }
                writeString(k, into: &out)
                out.append(0x3A)
                write(o[k]!, into: &out)
            }
            out.append(0x7D)
        }
    }

    /// `value` indented by two spaces per level, members sorted as in the canonical form, `": "` after each
    /// name, and a final line feed: for files people read that are signed as bytes (the export manifest).
    /// Still deterministic: the same value always gives the same bytes.
    public static func encodeIndented(_ value: JSONValue) -> [UInt8] {
        var out: [UInt8] = []
        writeIndented(value, level: 0, into: &out)
        out.append(0x0A)
        return out
    }

    /// Appends `value` indented as `encodeIndented` does, as if it stood at nesting `level` of a larger
    /// document (no final line feed): for files written piece by piece.
    public static func writeIndented(_ value: JSONValue, level: Int, into out: inout [UInt8]) {
        func newline(_ level: Int) {
            out.append(0x0A)
            out.append(contentsOf: repeatElement(0x20, count: level * 2))
        }
        switch value {
        case .array(let items) where !items.isEmpty:
            out.append(0x5B)
            for (n, item) in items.enumerated() {
                if n > 0 { out.append(0x2C) }
                newline(level + 1)
                writeIndented(item, level: level + 1, into: &out)
            }
            newline(level)
            out.append(0x5D)
        case .object(let members) where !members.isEmpty:
            out.append(0x7B)
            for (n, key) in members.keys.sorted(by: utf16Precedes).enumerated() {
                if n > 0 { out.append(0x2C) }
                newline(level + 1)
                writeString(key, into: &out)
                out.append(contentsOf: [0x3A, 0x20])
                writeIndented(members[key]!, level: level + 1, into: &out)
            }
            newline(level)
            out.append(0x7D)
        default:
            write(value, into: &out)
        }
    }

    /// RFC 8785 §3.2.3 key order: compare UTF-16 code units, not scalars or grapheme clusters.
    public static func utf16Precedes(_ a: String, _ b: String) -> Bool {
        a.utf16.lexicographicallyPrecedes(b.utf16)
    }

    /// Appends `value` in plain decimal (the RFC 8785 form of an integer).
    public static func writeInteger(_ value: Int64, into out: inout [UInt8]) {
        if value == 0 { out.append(0x30); return }
        var v = value.magnitude
        if value < 0 { out.append(0x2D) }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var n = 0
        withUnsafeMutableBytes(of: &digits) { d in
            while v > 0 { d[n] = UInt8(v % 10) + 0x30; v /= 10; n += 1 }
            for i in stride(from: n - 1, through: 0, by: -1) { out.append(d[i]) }
        }
    }

    /// Appends `s` as an RFC 8785 string literal, quotes included.
    public static func writeString(_ s: String, into out: inout [UInt8]) { JSONStringEscaping.append(s, to: &out) }
}

extension JSONValue {
    /// The canonical form (`CanonicalJSON.encode`) as text, for printing.
    public var canonicalText: String { String(decoding: CanonicalJSON.encode(self), as: UTF8.self) }
}
