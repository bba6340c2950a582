/// A JSON string literal in the RFC 8785 (JCS) form: `"` and `\` escaped, `\b \t \n \f \r` for those
/// controls, every other control as `\u00xx` (lower-case hex), everything else copied as UTF-8. The one
/// implementation every module's JSON writer uses (audit entries, consents, manifests, decisions, JWK
/// thumbprints), so no two writers can quote a string differently.
public enum JSONStringEscaping {
    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Appends `s` as a quoted JSON string to `out`.
    public static func append(_ s: String, to out: inout [UInt8]) {
        out.append(0x22)
        var s = s
        s.withUTF8 { bytes in
            var start = 0
            for i in 0..<bytes.count {
                let b = bytes[i]
                guard b < 0x20 || b == 0x22 || b == 0x5C else { continue }
                if start < i { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<i])) }
                start = i + 1
                out.append(0x5C)
                switch b {
                case 0x22: out.append(0x22)
                case 0x5C: out.append(0x5C)
                case 0x08: out.append(0x62)
                case 0x09: out.append(0x74)
                case 0x0A: out.append(0x6E)
                case 0x0C: out.append(0x66)
                case 0x0D: out.append(0x72)
                default: out.append(contentsOf: [0x75, 0x30, 0x30, hexDigits[Int(b >> 4)], hexDigits[Int(b & 0xF)]])
                }
            }
            if start < bytes.count { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...])) }
        }
        out.append(0x22)
    }

    /// `s` as a quoted JSON string.
    public static func quoted(_ s: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count + 2)
        append(s, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// `strings` as a JSON array of strings (`["a","b"]`, no whitespace): how lists of ids are stored and
    /// handed to SQLite's `json_each` (much cheaper than `JSONEncoder` for thousands of ids).
    public static func array<S: Sequence<String>>(_ strings: S) -> String {
        var out: [UInt8] = [0x5B]
        out.reserveCapacity(strings.underestimatedCount * 20 + 2)
        var first = true
        for s in strings {
            if !first { out.append(0x2C) }
            first = false
            append(s, to: &out)
        }
        out.append(0x5D)
        return String(decoding: out, as: UTF8.self)
    }
}
