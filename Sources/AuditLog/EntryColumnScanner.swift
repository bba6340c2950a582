/// Reads an entry's index columns straight from its JSON bytes in one pass, without building an
/// `AuditEntry`: `verify` checks every row's columns, and parsing each entry fully (about 15 µs) made it
/// eight times slower. The columns are derived as `EncodedAuditEntry(columnsOf:)` derives them from a parsed
/// entry (tested against it for every kind): `subject` for decisions, disclosures, consents, withdrawals and
/// erasure notices; `partner` and `purpose` for decisions, disclosures and export runs; `released`: the
/// permitted fields of a decision, the disclosed fields of a disclosure (grouped or per-field layout).
///
/// It is a fast path only: where its columns differ from the stored ones (or the bytes are not JSON it
/// can read), the caller parses the entry fully before calling anything a finding.
struct EntryColumnScanner {
    /// The index columns of one entry.
    struct Columns: Equatable, Sendable {
        var kind: String?, time: String?, actor: String?, municipality: String?
        var subject: String?, partner: String?, purpose: String?
        var released: Int64?
    }

    private let bytes: UnsafeRawBufferPointer
    private var i = 0

    private init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    /// The columns `bytes` give, or nil if they are not a JSON object this scanner can read.
    static func columns(of bytes: UnsafeRawBufferPointer) -> Columns? {
        var s = EntryColumnScanner(bytes)
        return s.entry()
    }

    /// What the top-level `content` object holds that a column may come from.
    private struct Content {
        var subject: String?, partner: String?, purpose: String?
        /// Items of `fields`, and those of them whose `outcome` is `permit`.
        var fieldItems: Int64 = 0, permitted: Int64 = 0
        /// Whether `released` is present, and the ids in its groups' `fields` arrays.
        var hasReleased = false, releasedFields: Int64 = 0
    }

    private mutating func entry() -> Columns? {
        var columns = Columns()
        var content = Content()
        let ok = object { key, s in
            switch key {
            case "kind": columns.kind = s.string()
            case "time": columns.time = s.string()
            case "actor": columns.actor = s.string()
            case "municipality": columns.municipality = s.string()
            case "content": return s.content(into: &content)
            default: return s.skipValue()
            }
            return true
        }
        guard ok, i == bytes.count, let kind = columns.kind else { return nil }
        switch kind {
        case "decision", "disclosure", "consent-granted", "consent-withdrawn", "erasure-notice": columns.subject = content.subject
        default: break
        }
        switch kind {
        case "decision", "disclosure", "export-run": columns.partner = content.partner; columns.purpose = content.purpose
        default: break
        }
        switch kind {
        case "decision": columns.released = content.permitted
        case "disclosure": columns.released = content.hasReleased ? content.releasedFields : content.fieldItems
        default: break
        }
        return columns
    }

    private mutating func content(into c: inout Content) -> Bool {
        var content = Content()
        let ok = object { key, s in
            switch key {
            case "subject": content.subject = s.string(); return content.subject != nil
            case "partner": content.partner = s.string(); return content.partner != nil
            case "purpose": content.purpose = s.string(); return content.purpose != nil
            case "fields":
                return s.array { s in
                    content.fieldItems += 1
                    guard s.peek == UInt8(ascii: "{") else { return s.skipValue() }
                    return s.object { key, s in
                        guard key == "outcome" else { return s.skipValue() }
                        guard let outcome = s.string() else { return false }
                        if outcome == "permit" { content.permitted += 1 }
                        return true
                    }
                }
            case "released":
                content.hasReleased = true
                return s.array { s in
                    guard s.peek == UInt8(ascii: "{") else { return s.skipValue() }
                    return s.object { key, s in
                        guard key == "fields" else { return s.skipValue() }
                        return s.array { s in content.releasedFields += 1; return s.skipValue() }
                    }
                }
            default: return s.skipValue()
            }
        }
        c = content
        return ok
    }

    // MARK: JSON, one value at a time

    private var peek: UInt8? { i < bytes.count ? bytes[i] : nil }

    private mutating func skipSpace() {
        while let b = peek, b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D { i += 1 }
    }

    private mutating func expect(_ b: UInt8) -> Bool {
        skipSpace()
        guard peek == b else { return false }
        i += 1
        return true
    }

    /// `{ "key": value, … }`, calling `member` with each key positioned at its value.
    private mutating func object(_ member: (String, inout EntryColumnScanner) -> Bool) -> Bool {
        guard expect(UInt8(ascii: "{")) else { return false }
        skipSpace()
        if peek == UInt8(ascii: "}") { i += 1; return true }
        while true {
            skipSpace()
            guard let key = string(), expect(UInt8(ascii: ":")) else { return false }
            skipSpace()
            guard member(key, &self) else { return false }
            skipSpace()
            guard let b = peek else { return false }
            i += 1
            if b == UInt8(ascii: "}") { return true }
            guard b == UInt8(ascii: ",") else { return false }
        }
    }

    /// `[ value, … ]`, calling `element` positioned at each value.
    private mutating func array(_ element: (inout EntryColumnScanner) -> Bool) -> Bool {
        guard expect(UInt8(ascii: "[")) else { return false }
        skipSpace()
        if peek == UInt8(ascii: "]") { i += 1; return true }
        while true {
            skipSpace()
            guard element(&self) else { return false }
            skipSpace()
            guard let b = peek else { return false }
            i += 1
            if b == UInt8(ascii: "]") { return true }
            guard b == UInt8(ascii: ",") else { return false }
        }
    }

    /// A JSON string at the position, unescaped; nil if there is none.
    private mutating func string() -> String? {
        skipSpace()
        guard peek == UInt8(ascii: "\"") else { return nil }
        i += 1
        let start = i
        // The common case: no escapes, so the bytes are the text.
        while let b = peek, b != UInt8(ascii: "\""), b != UInt8(ascii: "\\") { i += 1 }
        guard let end = peek else { return nil }
        if end == UInt8(ascii: "\"") {
            i += 1
            return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<(i - 1)]), as: UTF8.self)
        }
        var out = Array(UnsafeRawBufferPointer(rebasing: bytes[start..<i]))
        while let b = peek {
            i += 1
            if b == UInt8(ascii: "\"") { return String(decoding: out, as: UTF8.self) }
            guard b == UInt8(ascii: "\\") else { out.append(b); continue }
            guard let e = peek else { return nil }
            i += 1
            switch e {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                guard var scalar = hex4() else { return nil }
                if (0xD800...0xDBFF).contains(scalar) {
                    guard peek == UInt8(ascii: "\\"), i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "u") else { return nil }
                    i += 2
                    guard let low = hex4(), (0xDC00...0xDFFF).contains(low) else { return nil }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                }
                guard let u = Unicode.Scalar(scalar) else { return nil }
                out.append(contentsOf: Array(String(Character(u)).utf8))
            default: return nil
            }
        }
        return nil
    }

    private mutating func hex4() -> UInt32? {
        guard i + 4 <= bytes.count else { return nil }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let b = bytes[i]
            i += 1
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): v = v << 4 | UInt32(b - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): v = v << 4 | UInt32(b - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): v = v << 4 | UInt32(b - UInt8(ascii: "A") + 10)
            default: return nil
            }
        }
        return v
    }

    /// Steps over one value of any type.
    private mutating func skipValue() -> Bool {
        skipSpace()
        guard let b = peek else { return false }
        switch b {
        case UInt8(ascii: "\""): return string() != nil
        case UInt8(ascii: "{"): return object { _, s in s.skipValue() }
        case UInt8(ascii: "["): return array { s in s.skipValue() }
        default:
            // Numbers, true, false, null: up to the next delimiter.
            let start = i
            while let c = peek, c != UInt8(ascii: ","), c != UInt8(ascii: "}"), c != UInt8(ascii: "]"),
                  c != 0x20, c != 0x09, c != 0x0A, c != 0x0D { i += 1 }
            return i > start
        }
    }
}
