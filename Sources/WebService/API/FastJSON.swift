/// A small strict JSON reader for the hot request bodies (decisions): objects, arrays, strings and
/// booleans into `FastJSON.Value`, without `Foundation.JSONDecoder`'s generic machinery.
///
/// It only ever says "here is the value" or "not for me" (nil): numbers, `null`, duplicate keys,
/// invalid UTF-8, anything malformed or unusual gives nil, and the caller then decodes the body with
/// `JSONDecoder` as before, which produces the precise 400 message. So the fast path can accept a
/// body only where the strict decoder would accept it with the same values, never turn an error
/// into a success.
enum FastJSON {
    // Not `indirect`: arrays and member lists already hold nested values out of line, so each node need
    // not be boxed on the heap as well.
    enum Value {
        case string(String)
        case bool(Bool)
        case array([Value])
        case object([(String, Value)])
    }

    /// The most members one object may have on the fast path; a larger object is "not for me" (nil). A decision
    /// body has at most seven members and its attributes four. Without this bound the duplicate-key check (a
    /// linear scan per member) made parsing quadratic: found by fuzzing, a 213 KB body of 16,000 members, within
    /// the body limit, took 6 s of a core before the strict decoder (a dictionary look-up per member) refused it.
    static let maxMembers = 16

    /// The value of the whole body, or nil (not for the fast path).
    static func parse(_ bytes: UnsafeRawBufferPointer) -> Value? {
        var reader = Reader(bytes: bytes)
        guard let value = reader.value(depth: 0) else { return nil }
        reader.skipWhitespace()
        return reader.position == bytes.count ? value : nil
    }

    private struct Reader {
        let bytes: UnsafeRawBufferPointer
        var position = 0

        mutating func skipWhitespace() {
            while position < bytes.count {
                switch bytes[position] {
                case 0x20, 0x09, 0x0A, 0x0D: position += 1
                default: return
                }
            }
        }

        mutating func value(depth: Int) -> Value? {
            guard depth < 16 else { return nil }
            skipWhitespace()
            guard position < bytes.count else { return nil }
            switch bytes[position] {
            case UInt8(ascii: "\""): return string().map(Value.string)
            case UInt8(ascii: "{"): return object(depth: depth)
            case UInt8(ascii: "["): return array(depth: depth)
            case UInt8(ascii: "t"): return literal("true") ? .bool(true) : nil
            case UInt8(ascii: "f"): return literal("false") ? .bool(false) : nil
            default: return nil   // numbers, null, garbage: the strict decoder decides
            }
        }

        mutating func literal(_ word: StaticString) -> Bool {
            let n = word.utf8CodeUnitCount
            guard position + n <= bytes.count else { return false }
            for i in 0..<n where bytes[position + i] != word.utf8Start[i] { return false }
            position += n
            return true
        }

        /// A string without escapes or control characters (anything else: nil), valid UTF-8.
        mutating func string() -> String? {
            position += 1
            let start = position
            while position < bytes.count {
                let b = bytes[position]
                if b == UInt8(ascii: "\"") {
                    let slice = UnsafeRawBufferPointer(rebasing: bytes[start..<position])
                    position += 1
                    return String(validating: slice, as: UTF8.self)
                }
                if b == UInt8(ascii: "\\") || b < 0x20 { return nil }
                position += 1
            }
            return nil
        }

        mutating func array(depth: Int) -> Value? {
            position += 1
            var items: [Value] = []
            skipWhitespace()
            if position < bytes.count, bytes[position] == UInt8(ascii: "]") { position += 1; return .array(items) }
            while true {
                guard let v = value(depth: depth + 1) else { return nil }
                items.append(v)
                skipWhitespace()
                guard position < bytes.count else { return nil }
                if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
                if bytes[position] == UInt8(ascii: "]") { position += 1; return .array(items) }
                return nil
            }
        }

        mutating func object(depth: Int) -> Value? {
            position += 1
            var members: [(String, Value)] = []
            skipWhitespace()
            if position < bytes.count, bytes[position] == UInt8(ascii: "}") { position += 1; return .object(members) }
            while true {
                guard members.count < FastJSON.maxMembers else { return nil }
                skipWhitespace()
                guard position < bytes.count, bytes[position] == UInt8(ascii: "\""), let key = string() else { return nil }
                guard !members.contains(where: { $0.0 == key }) else { return nil }
                skipWhitespace()
                guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else { return nil }
                position += 1
                guard let v = value(depth: depth + 1) else { return nil }
                members.append((key, v))
                skipWhitespace()
                guard position < bytes.count else { return nil }
                if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
                if bytes[position] == UInt8(ascii: "}") { position += 1; return .object(members) }
                return nil
            }
        }
    }
}

extension FastJSON.Value {
    var string: String? { if case .string(let s) = self { s } else { nil } }
    var bool: Bool? { if case .bool(let b) = self { b } else { nil } }
    var strings: [String]? {
        guard case .array(let items) = self else { return nil }
        var out: [String] = []
        out.reserveCapacity(items.count)
        for item in items { guard let s = item.string else { return nil }; out.append(s) }
        return out
    }
    var members: [(String, FastJSON.Value)]? { if case .object(let m) = self { m } else { nil } }
}
