/// A strict JSON reader (RFC 8259) for audit entries and proofs: integers only (entries never hold
/// fractions), duplicate keys rejected, a nesting limit, no trailing input. Errors give the byte offset.
public struct JSONParser {
    /// The deepest nesting accepted (entries are shallow; this guards against hostile input).
    public static let maxDepth = 64

    private let bytes: [UInt8]
    private var pos = 0
    private let context: String

    /// Parses `bytes` as exactly one JSON value. `context` names the input in errors.
    public static func parse(_ bytes: [UInt8], context: String) throws -> JSONValue {
        var p = JSONParser(bytes: bytes, context: context)
        p.skipWhitespace()
        let v = try p.value(depth: 0)
        p.skipWhitespace()
        guard p.pos == bytes.count else { throw p.fail("unexpected data after the JSON value") }
        return v
    }

    private init(bytes: [UInt8], context: String) { self.bytes = bytes; self.context = context }

    private func fail(_ reason: String) -> AuditLogError {
        .malformedEntry(context: context, reason: "\(reason) at byte \(pos)")
    }

    private mutating func skipWhitespace() {
        while pos < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[pos]) { pos += 1 }
    }

    private mutating func expect(_ literal: String) throws {
        for b in literal.utf8 {
            guard pos < bytes.count, bytes[pos] == b else { throw fail("expected \(literal)") }
            pos += 1
        }
    }

    private mutating func value(depth: Int) throws -> JSONValue {
        guard depth <= Self.maxDepth else { throw fail("nesting deeper than \(Self.maxDepth)") }
        guard pos < bytes.count else { throw fail("unexpected end of input") }
        switch bytes[pos] {
        case 0x7B: return try object(depth: depth)
        case 0x5B: return try array(depth: depth)
        case 0x22: return .string(try string())
        case 0x74: try expect("true"); return .bool(true)
        case 0x66: try expect("false"); return .bool(false)
        case 0x6E: try expect("null"); return .null
        case 0x2D, 0x30...0x39: return .int(try integer())
        default: throw fail("unexpected character")
        }
    }

    private mutating func object(depth: Int) throws -> JSONValue {
        pos += 1
        var members: [String: JSONValue] = [:]
        skipWhitespace()
        if pos < bytes.count, bytes[pos] == 0x7D { pos += 1; return .object(members) }
        while true {
            skipWhitespace()
            guard pos < bytes.count, bytes[pos] == 0x22 else { throw fail("expected a member name") }
            let key = try string()
            guard members[key] == nil else { throw fail("duplicate member \"\(key)\"") }
            skipWhitespace()
            try expect(":")
            skipWhitespace()
            members[key] = try value(depth: depth + 1)
            skipWhitespace()
            guard pos < bytes.count else { throw fail("unterminated object") }
            if bytes[pos] == 0x2C { pos += 1; continue }
            if bytes[pos] == 0x7D { pos += 1; return .object(members) }
            throw fail("expected , or }")
        }
    }

    private mutating func array(depth: Int) throws -> JSONValue {
        pos += 1
        var items: [JSONValue] = []
        skipWhitespace()
        if pos < bytes.count, bytes[pos] == 0x5D { pos += 1; return .array(items) }
        while true {
            skipWhitespace()
            items.append(try value(depth: depth + 1))
            skipWhitespace()
            guard pos < bytes.count else { throw fail("unterminated array") }
            if bytes[pos] == 0x2C { pos += 1; continue }
            if bytes[pos] == 0x5D { pos += 1; return .array(items) }
            throw fail("expected , or ]")
        }
    }

    private mutating func integer() throws -> Int64 {
        let start = pos
        if bytes[pos] == 0x2D { pos += 1 }
        let digitsStart = pos
        while pos < bytes.count, (0x30...0x39).contains(bytes[pos]) { pos += 1 }
        guard pos > digitsStart else { throw fail("expected digits") }
        if pos < bytes.count, [0x2E, 0x65, 0x45].contains(bytes[pos]) { throw fail("fractions and exponents are not allowed") }
        guard !(bytes[digitsStart] == 0x30 && pos - digitsStart > 1) else { throw fail("leading zero") }
        guard pos - digitsStart <= 16, let v = Int64(String(decoding: bytes[start..<pos], as: UTF8.self)),
              v.magnitude <= JSONValue.maxSafeInteger.magnitude else { throw fail("integer outside ±(2^53 − 1)") }
        return v
    }

    private mutating func hex4() throws -> UInt16 {
        guard pos + 4 <= bytes.count, let v = UInt16(String(decoding: bytes[pos..<pos + 4], as: UTF8.self), radix: 16)
        else { throw fail("bad \\u escape") }
        pos += 4
        return v
    }

    private mutating func string() throws -> String {
        pos += 1
        var out: [UInt8] = []
        while true {
            guard pos < bytes.count else { throw fail("unterminated string") }
            let b = bytes[pos]
            pos += 1
            if b == 0x22 { break }
            if b < 0x20 { throw fail("unescaped control character in string") }
            if b != 0x5C { out.append(b); continue }
            guard pos < bytes.count else { throw fail("unterminated escape") }
            let e = bytes[pos]
            pos += 1
            switch e {
            case 0x22, 0x5C, 0x2F: out.append(e)
            case 0x62: out.append(0x08)
            case 0x66: out.append(0x0C)
            case 0x6E: out.append(0x0A)
            case 0x72: out.append(0x0D)
            case 0x74: out.append(0x09)
            case 0x75:
                var unit = try hex4()
                var scalar: Unicode.Scalar?
                if (0xD800..<0xDC00).contains(unit) {
                    guard pos + 2 <= bytes.count, bytes[pos] == 0x5C, bytes[pos + 1] == 0x75 else { throw fail("lone surrogate") }
                    pos += 2
                    let low = try hex4()
                    guard (0xDC00..<0xE000).contains(low) else { throw fail("lone surrogate") }
                    scalar = Unicode.Scalar(0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00))
                    unit = 0
                } else {
                    scalar = Unicode.Scalar(unit)
                }
                guard let scalar else { throw fail("lone surrogate") }
                out.append(contentsOf: Array(String(Character(scalar)).utf8))
            default: throw fail("bad escape")
            }
        }
        guard let s = String(validating: out, as: UTF8.self) else { throw fail("invalid UTF-8 in string") }
        return s
    }
}
