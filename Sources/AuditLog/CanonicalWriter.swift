import StrictJSON
/// Streams RFC 8785 canonical JSON without building `JSONValue` trees: the fast path for entries, whose
/// writers emit members in their canonical (UTF-16 sorted) order. Debug builds assert that order; a test
/// checks every entry kind against the generic `CanonicalJSON.encode(json)`.
public struct CanonicalWriter {
    /// The bytes written so far.
    public private(set) var bytes: [UInt8] = []
    private var needsComma = false
    #if DEBUG
    private var lastKeys: [String?] = []
    #endif

    /// An empty writer with room for `capacity` bytes (a typical entry fits the default).
    public init(capacity: Int = 512) { bytes.reserveCapacity(capacity) }

    private mutating func separator() { if needsComma { bytes.append(0x2C) } }

    /// Opens an object (`{`); its members must follow in canonical order.
    public mutating func beginObject() {
        separator(); bytes.append(0x7B); needsComma = false
        #if DEBUG
        lastKeys.append(nil)
        #endif
    }

    /// Closes the innermost open object (`}`).
    public mutating func endObject() {
        bytes.append(0x7D); needsComma = true
        #if DEBUG
        lastKeys.removeLast()
        #endif
    }

    /// Opens an array (`[`).
    public mutating func beginArray() { separator(); bytes.append(0x5B); needsComma = false }
    /// Closes the innermost open array (`]`).
    public mutating func endArray() { bytes.append(0x5D); needsComma = true }

    /// A member name; members must come in canonical order. Names are ASCII needing no escapes
    /// (checked in debug builds), so their bytes are copied as they are.
    public mutating func key(_ k: StaticString) {
        #if DEBUG
        let name = k.description
        precondition(name.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F && $0 != 0x22 && $0 != 0x5C }, "member name needs escaping")
        if let last = lastKeys[lastKeys.count - 1] {
            precondition(CanonicalJSON.utf16Precedes(last, name), "canonical order violated: \(last) before \(name)")
        }
        lastKeys[lastKeys.count - 1] = name
        #endif
        separator()
        bytes.append(0x22)
        bytes.append(contentsOf: UnsafeBufferPointer(start: k.utf8Start, count: k.utf8CodeUnitCount))
        bytes.append(0x22)
        bytes.append(0x3A)
        needsComma = false
    }

    /// A string value, escaped as RFC 8785 requires.
    public mutating func string(_ s: String) { separator(); CanonicalJSON.writeString(s, into: &bytes); needsComma = true }
    /// An integer value (entries hold integers only, no fractions).
    public mutating func int(_ i: Int64) { separator(); CanonicalJSON.write(.int(i), into: &bytes); needsComma = true }
    /// Any JSON value (objects sorted generically).
    public mutating func value(_ v: JSONValue) { separator(); CanonicalJSON.write(v, into: &bytes); needsComma = true }

    /// An array of strings, in the order given.
    public mutating func strings(_ values: [String]) {
        beginArray()
        for v in values { string(v) }
        endArray()
    }

    /// `key: value` for a string member.
    public mutating func member(_ k: StaticString, _ s: String) { key(k); string(s) }
    /// `key: value` when present; nothing when nil.
    public mutating func member(_ k: StaticString, _ s: String?) { if let s { key(k); string(s) } }
    /// `key: value` for an integer member.
    public mutating func member(_ k: StaticString, _ i: Int64) { key(k); int(i) }
    /// `key: [values]` for a member that is an array of strings.
    public mutating func member(_ k: StaticString, strings values: [String]) { key(k); self.strings(values) }
}

/// Content that writes itself canonically.
protocol CanonicallyWritable {
    func write(to w: inout CanonicalWriter)
}
