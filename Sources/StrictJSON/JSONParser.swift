/// A small, strict JSON reader (RFC 8259) for signed and logged documents: what it does not understand, it
/// rejects, so two readers of the same bytes can never see two different values.
///
/// Compared with `JSONSerialization` it refuses duplicate member names (which different JOSE libraries would
/// resolve differently), trailing bytes, numbers with fractions or exponents and integers beyond ±(2^53 − 1)
/// (which not every reader holds exactly), nesting deeper than the limits allow, inputs over the size limit,
/// invalid UTF-8 and lone surrogates. Errors name the byte offset.
public enum JSONParser {
    /// How large and how deep an input may be.
    public struct Limits: Sendable, Equatable {
        /// The largest input accepted, in bytes (nil: any size).
        public var maximumBytes: Int?
        /// The deepest nesting accepted (a scalar at the top is depth 0).
        public var maximumDepth: Int

        /// Limits for an input.
        public init(maximumBytes: Int? = nil, maximumDepth: Int = 64) {
            self.maximumBytes = maximumBytes; self.maximumDepth = maximumDepth
        }
    }

    /// Parses `bytes` as exactly one JSON value.
    public static func parse(_ bytes: [UInt8], limits: Limits = Limits()) throws(JSONSyntaxError) -> JSONValue {
        if let maximum = limits.maximumBytes, bytes.count > maximum {
            throw JSONSyntaxError(offset: 0, reason: "larger than \(maximum) bytes (\(bytes.count))")
        }
        var reader = Reader(bytes: bytes, maximumDepth: limits.maximumDepth)
        reader.skipWhitespace()
        let value = try reader.value(depth: 0)
        reader.skipWhitespace()
        guard reader.index == bytes.count else {
            throw JSONSyntaxError(offset: reader.index, reason: "trailing bytes after the JSON value")
        }
        return value
    }
}

/// Why bytes are not acceptable JSON, and where.
public struct JSONSyntaxError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The byte offset of the problem in the input.
    public var offset: Int
    /// What is wrong there, in English (e.g. `duplicate member "subject"`).
    public var reason: String
    /// The path of the member whose value holds the problem (`subject`, `attributes.age`, `fields[2]`), nil at the top
    /// level: a message can name the member (a fraction in `"subject": 1.5` was said with a position only: API review
    /// M3). A hint for messages, not part of what the error is: two errors at one offset for one reason are equal.
    public var member: String?

    /// A problem at `offset`.
    public init(offset: Int, reason: String, member: String? = nil) { self.offset = offset; self.reason = reason; self.member = member }

    /// Equal when offset and reason are (`member` is a hint for messages).
    public static func == (a: JSONSyntaxError, b: JSONSyntaxError) -> Bool { a.offset == b.offset && a.reason == b.reason }

    /// `reason at byte offset`.
    public var description: String { "\(reason) at byte \(offset)" }

    private static let duplicatePrefix = "duplicate member \""

    /// The error as seen from the object that holds member `key`: a duplicate member inside it is named by its path from
    /// the top in the reason (`duplicate member "template.id"`, not a bare `"id"` the reader has to look for); any other
    /// error gets `key` in front of its `member` path. Done on the way out of an error only, so parsing pays nothing.
    func inside(_ key: String) -> JSONSyntaxError { prefixed(key) }

    /// `inside(_:)` for the element at `index` of an array (`clauses[2].id`).
    func inside(index: Int) -> JSONSyntaxError { prefixed("[\(index)]") }

    private func prefixed(_ step: String) -> JSONSyntaxError {
        func joined(_ inner: Substring) -> String { step + (inner.isEmpty || inner.hasPrefix("[") ? "" : ".") + inner }
        guard reason.hasPrefix(Self.duplicatePrefix) else {
            return JSONSyntaxError(offset: offset, reason: reason, member: joined(Substring(member ?? "")))
        }
        return JSONSyntaxError(offset: offset, reason: Self.duplicatePrefix + joined(reason.dropFirst(Self.duplicatePrefix.count)), member: member)
    }
}

private struct Reader {
    let bytes: [UInt8]
    let maximumDepth: Int
    var index = 0

    init(bytes: [UInt8], maximumDepth: Int) { self.bytes = bytes; self.maximumDepth = maximumDepth }

    func fail(_ reason: String) -> JSONSyntaxError { JSONSyntaxError(offset: index, reason: reason) }

    mutating func skipWhitespace() {
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
    }

    mutating func value(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        guard depth <= maximumDepth else { throw fail("nested deeper than \(maximumDepth) levels") }
        guard index < bytes.count else { throw fail("unexpected end of input") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try object(depth: depth)
        case UInt8(ascii: "["): return try array(depth: depth)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .int(try integer())
        default: throw fail("unexpected character")
        }
    }

    mutating func literal(_ word: StaticString) throws(JSONSyntaxError) {
        let count = word.utf8CodeUnitCount
        let matches = index + count <= bytes.count && word.withUTF8Buffer { w in
            w.indices.allSatisfy { bytes[index + $0] == w[$0] }
        }
        guard matches else { throw fail("invalid literal") }
        index += count
    }

    mutating func object(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        index += 1
        var members: [String: JSONValue] = [:]
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return .object(members) }
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw fail("expected a member name") }
            let keyOffset = index
            let key = try string()
            guard members[key] == nil else { throw JSONSyntaxError(offset: keyOffset, reason: "duplicate member \"\(key)\"") }
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw fail("expected ':'") }
            index += 1
            skipWhitespace()
            do { members[key] = try value(depth: depth + 1) } catch { throw error.inside(key) }
            skipWhitespace()
            guard index < bytes.count else { throw fail("unexpected end of input in an object") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "}") { index += 1; return .object(members) }
            throw fail("expected ',' or '}'")
        }
    }

    mutating func array(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        index += 1
        var items: [JSONValue] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return .array(items) }
        while true {
            skipWhitespace()
            do { items.append(try value(depth: depth + 1)) } catch { throw error.inside(index: items.count) }
            skipWhitespace()
            guard index < bytes.count else { throw fail("unexpected end of input in an array") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "]") { index += 1; return .array(items) }
            throw fail("expected ',' or ']'")
        }
    }

    static func isDigit(_ b: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b) }

    mutating func integer() throws(JSONSyntaxError) -> Int64 {
        let start = index
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        let digitsStart = index
        guard index < bytes.count, Self.isDigit(bytes[index]) else { throw fail("invalid number") }
        if bytes[index] == UInt8(ascii: "0"), index + 1 < bytes.count, Self.isDigit(bytes[index + 1]) {
            throw fail("leading zero in a number")
        }
        while index < bytes.count, Self.isDigit(bytes[index]) { index += 1 }
        if index < bytes.count, [UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E")].contains(bytes[index]) {
            throw fail("only whole numbers are accepted")
        }
        guard index - digitsStart <= 16, let n = Int64(String(decoding: bytes[start..<index], as: UTF8.self)),
              n.magnitude <= JSONValue.maxSafeInteger.magnitude else {
            throw JSONSyntaxError(offset: start, reason: "integer outside ±(2^53 − 1)")
        }
        return n
    }

    mutating func string() throws(JSONSyntaxError) -> String {
        index += 1
        var out: [UInt8] = []
        while true {
            guard index < bytes.count else { throw fail("unterminated string") }
            let b = bytes[index]
            switch b {
            case UInt8(ascii: "\""):
                index += 1
                // String(validating:) refuses ill-formed UTF-8 instead of repairing it.
                guard let s = String(validating: out, as: UTF8.self) else { throw fail("string is not valid UTF-8") }
                return s
            case UInt8(ascii: "\\"):
                index += 1
                guard index < bytes.count else { throw fail("unterminated escape") }
                let e = bytes[index]
                index += 1
                switch e {
                case UInt8(ascii: "\""): out.append(0x22)
                case UInt8(ascii: "\\"): out.append(0x5C)
                case UInt8(ascii: "/"): out.append(0x2F)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"): out.append(contentsOf: try unicodeEscape())
                default: throw fail("invalid escape")
                }
            case 0x00..<0x20: throw fail("control character in a string")
            default:
                out.append(b)
                index += 1
            }
        }
    }

    mutating func hex4() throws(JSONSyntaxError) -> UInt32 {
        // Exactly four hex digits (`UInt32(_:radix:)` alone would also take a sign).
        guard index + 4 <= bytes.count else { throw fail("invalid \\u escape") }
        var v: UInt32 = 0
        for b in bytes[index..<index + 4] {
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): v = v << 4 | UInt32(b - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): v = v << 4 | UInt32(b - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): v = v << 4 | UInt32(b - UInt8(ascii: "A") + 10)
            default: throw fail("invalid \\u escape")
            }
        }
        index += 4
        return v
    }

    mutating func unicodeEscape() throws(JSONSyntaxError) -> [UInt8] {
        var scalar = try hex4()
        if (0xD800...0xDBFF).contains(scalar) {
            guard index + 2 <= bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                throw fail("lone surrogate in \\u escape")
            }
            index += 2
            let low = try hex4()
            guard (0xDC00...0xDFFF).contains(low) else { throw fail("lone surrogate in \\u escape") }
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
        } else if (0xDC00...0xDFFF).contains(scalar) {
            throw fail("lone surrogate in \\u escape")
        }
        guard let u = Unicode.Scalar(scalar) else { throw fail("invalid \\u escape") }
        return Array(String(Character(u)).utf8)
    }
}
