import Foundation

/// Whether a row's stored index columns say what its entry bytes say, decided in one pass over the bytes SQLite
/// lends, without allocating: the per-row column check of `verify`, which must stay within a small multiple of
/// hashing the same bytes (parsing each entry into `String`s cost ~3 µs a row). Values are compared as raw
/// bytes; an entry whose relevant strings hold escapes, or that this matcher cannot read, is `.undecided` and
/// goes to the full check (`IndexColumnCheck.problem`), as does every mismatch before it counts as one. A
/// column in a storage class queries cannot match (a BLOB subject, a text `released`) is a mismatch too.
///
/// The columns are derived as `EncodedAuditEntry(columnsOf:)` derives them from a parsed entry: `subject` for
/// decisions, disclosures, consents, withdrawals and erasure notices; `partner` and `purpose` for decisions,
/// disclosures and export runs; `released`: the permitted fields of a decision, the disclosed fields of a
/// disclosure (grouped or per-field layout). `EntryColumnMatcherTests` holds it to that for every kind.
struct EntryColumnMatcher {
    enum Verdict { case match, mismatch, undecided }

    /// A string value's raw bytes in the entry (between its quotes); `start < 0`: absent.
    private struct Span {
        var start = -1, count = 0, escaped = false
        var present: Bool { start >= 0 }
    }

    private let bytes: UnsafeRawBufferPointer
    private var i = 0
    private var kind = Span(), time = Span(), actor = Span(), municipality = Span()
    private var subject = Span(), partner = Span(), purpose = Span()
    private var fieldItems: Int64 = 0, permitted: Int64 = 0, hasReleased = false, releasedFields: Int64 = 0

    private init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    /// Compares the entry in `entry` with a row's index columns: kind, time, actor, municipality, subject,
    /// partner, purpose (text) and released (integer), read from SQLite's row or from a copy of it.
    static func verdict(entry: UnsafeRawBufferPointer, columns: some IndexColumnValues) -> Verdict {
        guard columns.storageClassesValid else { return .mismatch }
        var m = EntryColumnMatcher(entry)
        guard m.readEntry() else { return .undecided }
        return m.compare(columns)
    }

    // MARK: comparing

    private func compare(_ columns: some IndexColumnValues) -> Verdict {
        guard kind.present, !kind.escaped else { return .undecided }
        let k = Self.kindCode(bytes, kind)
        let hasSubject = k == .subjectOnly || k == .decision || k == .disclosure
        let hasPartner = k == .partnerPurpose || k == .decision || k == .disclosure
        let released: Int64? = k == .decision ? permitted : k == .disclosure ? (hasReleased ? releasedFields : fieldItems) : nil
        // One column after the other, without building an array per row.
        let v0 = text(columns.text(0), equals: kind)
        if v0 != .match { return v0 }
        let v1 = text(columns.text(1), equals: time)
        if v1 != .match { return v1 }
        let v2 = text(columns.text(2), equals: actor)
        if v2 != .match { return v2 }
        let v3 = text(columns.text(3), equals: municipality)
        if v3 != .match { return v3 }
        let v4 = text(columns.text(4), equals: hasSubject ? subject : Span())
        if v4 != .match { return v4 }
        let v5 = text(columns.text(5), equals: hasPartner ? partner : Span())
        if v5 != .match { return v5 }
        let v6 = text(columns.text(6), equals: hasPartner ? purpose : Span())
        if v6 != .match { return v6 }
        return columns.released == released ? .match : .mismatch
    }

    /// `stored`: the column's text, nil for NULL.
    private func text(_ stored: UnsafeRawBufferPointer?, equals span: Span) -> Verdict {
        guard let stored else { return span.present ? .mismatch : .match }
        guard span.present else { return .mismatch }
        if span.escaped { return .undecided }
        guard stored.count == span.count else { return .mismatch }
        return span.count == 0 || memcmp(stored.baseAddress!, bytes.baseAddress! + span.start, span.count) == 0 ? .match : .mismatch
    }

    private enum KindCode { case decision, disclosure, subjectOnly, partnerPurpose, other }

    private static func kindCode(_ bytes: UnsafeRawBufferPointer, _ s: Span) -> KindCode {
        let value = UnsafeRawBufferPointer(rebasing: bytes[s.start..<(s.start + s.count)])
        func equals(_ literal: StaticString) -> Bool {
            literal.utf8CodeUnitCount == value.count && memcmp(literal.utf8Start, value.baseAddress!, value.count) == 0
        }
        if equals("disclosure") { return .disclosure }
        if equals("decision") { return .decision }
        if equals("consent-granted") || equals("consent-withdrawn") || equals("erasure-notice") { return .subjectOnly }
        if equals("export-run") { return .partnerPurpose }
        return .other
    }

    // MARK: reading

    private mutating func readEntry() -> Bool {
        guard take(UInt8(ascii: "{")) else { return false }
        if take(UInt8(ascii: "}")) { return i == bytes.count }
        repeat {
            guard let key = readString(), take(UInt8(ascii: ":")) else { return false }
            if matches(key, "content") {
                guard readContent() else { return false }
            } else if matches(key, "kind") { guard let s = readString() else { return false }; kind = s
            } else if matches(key, "time") { guard let s = readString() else { return false }; time = s
            } else if matches(key, "actor") { guard let s = readString() else { return false }; actor = s
            } else if matches(key, "municipality") { guard let s = readString() else { return false }; municipality = s
            } else { guard skipValue() else { return false } }
        } while take(UInt8(ascii: ","))
        return take(UInt8(ascii: "}")) && i == bytes.count
    }

    private mutating func readContent() -> Bool {
        guard take(UInt8(ascii: "{")) else { return false }
        if take(UInt8(ascii: "}")) { return true }
        repeat {
            guard let key = readString(), take(UInt8(ascii: ":")) else { return false }
            if matches(key, "subject") { guard let s = readString() else { return false }; subject = s
            } else if matches(key, "partner") { guard let s = readString() else { return false }; partner = s
            } else if matches(key, "purpose") { guard let s = readString() else { return false }; purpose = s
            } else if matches(key, "fields") { guard readFields() else { return false }
            } else if matches(key, "released") { hasReleased = true; guard readReleased() else { return false }
            } else { guard skipValue() else { return false } }
        } while take(UInt8(ascii: ","))
        return take(UInt8(ascii: "}"))
    }

    /// `fields`: items counted; objects' `outcome` of `permit` counted as permitted (decision layout).
    private mutating func readFields() -> Bool {
        guard take(UInt8(ascii: "[")) else { return false }
        if take(UInt8(ascii: "]")) { return true }
        repeat {
            fieldItems += 1
            if peek == UInt8(ascii: "{") {
                i += 1
                if !take(UInt8(ascii: "}")) {
                    repeat {
                        guard let key = readString(), take(UInt8(ascii: ":")) else { return false }
                        if matches(key, "outcome") {
                            guard let v = readString() else { return false }
                            if v.escaped { return false }
                            if matches(v, "permit") { permitted += 1 }
                        } else { guard skipValue() else { return false } }
                    } while take(UInt8(ascii: ","))
                    guard take(UInt8(ascii: "}")) else { return false }
                }
            } else { guard skipValue() else { return false } }
        } while take(UInt8(ascii: ","))
        return take(UInt8(ascii: "]"))
    }

    /// `released` (grouped disclosure layout): the ids in each group's `fields` array.
    private mutating func readReleased() -> Bool {
        guard take(UInt8(ascii: "[")) else { return false }
        if take(UInt8(ascii: "]")) { return true }
        repeat {
            guard peek == UInt8(ascii: "{") else { guard skipValue() else { return false }; continue }
            i += 1
            if take(UInt8(ascii: "}")) { continue }
            repeat {
                guard let key = readString(), take(UInt8(ascii: ":")) else { return false }
                if matches(key, "fields") {
                    guard take(UInt8(ascii: "[")) else { return false }
                    if !take(UInt8(ascii: "]")) {
                        repeat { releasedFields += 1; guard skipValue() else { return false } } while take(UInt8(ascii: ","))
                        guard take(UInt8(ascii: "]")) else { return false }
                    }
                } else { guard skipValue() else { return false } }
            } while take(UInt8(ascii: ","))
            guard take(UInt8(ascii: "}")) else { return false }
        } while take(UInt8(ascii: ","))
        return take(UInt8(ascii: "]"))
    }

    // MARK: JSON tokens (the log's entries are canonical: no white space)

    private var peek: UInt8? { i < bytes.count ? bytes[i] : nil }

    private mutating func take(_ b: UInt8) -> Bool {
        guard i < bytes.count, bytes[i] == b else { return false }
        i += 1
        return true
    }

    /// A key without escapes equal to `literal`.
    private func matches(_ s: Span, _ literal: StaticString) -> Bool {
        !s.escaped && s.count == literal.utf8CodeUnitCount
            && memcmp(bytes.baseAddress! + s.start, literal.utf8Start, s.count) == 0
    }

    private mutating func readString() -> Span? {
        guard take(UInt8(ascii: "\"")) else { return nil }
        let start = i
        var escaped = false
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "\"") {
                i += 1
                return Span(start: start, count: i - 1 - start, escaped: escaped)
            }
            if b == UInt8(ascii: "\\") { escaped = true; i += 2 } else { i += 1 }
        }
        return nil
    }

    /// Steps over a string whose value is not compared: the closing quote found with `memchr` (most of an
    /// entry's bytes are such strings); a quote with a backslash before it sends the string to `readString`.
    private mutating func skipString() -> Bool {
        guard take(UInt8(ascii: "\"")) else { return false }
        let base = bytes.baseAddress!
        guard let found = memchr(base + i, Int32(UInt8(ascii: "\"")), bytes.count - i) else { return false }
        let end = base.distance(to: UnsafeRawPointer(found))
        if bytes[end - 1] == UInt8(ascii: "\\") {
            i -= 1
            return readString() != nil
        }
        i = end + 1
        return true
    }

    /// Steps over one value; nested arrays and objects by depth, strings by their quotes.
    private mutating func skipValue() -> Bool {
        guard let first = peek else { return false }
        if first == UInt8(ascii: "\"") { return skipString() }
        if first != UInt8(ascii: "{") && first != UInt8(ascii: "[") {
            let start = i
            while i < bytes.count {
                let b = bytes[i]
                if b == UInt8(ascii: ",") || b == UInt8(ascii: "}") || b == UInt8(ascii: "]") { break }
                i += 1
            }
            return i > start
        }
        var depth = 0
        while i < bytes.count {
            let b = bytes[i]
            switch b {
            case UInt8(ascii: "\""): guard skipString() else { return false }; continue
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if depth == 0 { i += 1; return true }
            default: break
            }
            i += 1
        }
        return false
    }
}
