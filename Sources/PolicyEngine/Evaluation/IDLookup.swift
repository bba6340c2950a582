/// A read-only id → index table for the ids of a compiled policy (fields, partners, purposes), looked up on every
/// decision (30 field ids per request).
///
/// `Dictionary<String, _>` hashes with SipHash and compares by Unicode canonical equivalence; for short ASCII ids
/// this table is several times faster: it hashes the UTF-8 bytes eight at a time (multiply-rotate) and compares
/// bytes. Byte equality equals `String` equality only when both sides are ASCII, so the fast path is taken only then
/// (an ASCII id against a table of ASCII ids); any other id is answered by the `Dictionary`, with the same result
/// as before. A class (immutable), so that holding or passing it costs one reference count.
final class IDLookup: Sendable {
    /// The reference answer (and the answer for non-ASCII ids).
    let dictionary: [String: Int32]
    /// Open addressing, linear probing: index into `starts`, or -1 for an empty slot. Capacity a power of two.
    private let slots: [Int32]
    private let mask: Int
    /// All ids' UTF-8 bytes, concatenated; id `i` is `bytes[starts[i]..<starts[i + 1]]`.
    private let bytes: [UInt8]
    private let starts: [Int32]
    /// Whether every id is ASCII (else every look-up goes to `dictionary`).
    private let allASCII: Bool

    /// Builds the table; `ids[i]` maps to `i`. For a repeated id (the bundle loader rejects those) the last
    /// occurrence wins, or the first with `firstWins` (matching the dictionaries this table replaced).
    init(_ ids: [String], firstWins: Bool = false) {
        var dict: [String: Int32] = [:]
        for (i, id) in ids.enumerated() where !firstWins || dict[id] == nil { dict[id] = Int32(i) }
        dictionary = dict
        var capacity = 16
        while capacity < ids.count * 2 { capacity *= 2 }
        mask = capacity - 1
        var b: [UInt8] = [], s: [Int32] = [0]
        for id in ids { b.append(contentsOf: id.utf8); s.append(Int32(b.count)) }
        bytes = b; starts = s
        allASCII = b.allSatisfy { $0 < 0x80 }
        var table = [Int32](repeating: -1, count: capacity)
        if allASCII {
            b.withUnsafeBytes { raw in
                for (i, id) in ids.enumerated() where dict[id] == Int32(i) {
                    let start = Int(s[i]), length = Int(s[i + 1]) - start
                    var slot = Int(truncatingIfNeeded: Self.hash(raw.baseAddress! + start, length).value) & (capacity - 1)
                    while table[slot] >= 0 { slot = (slot + 1) & (capacity - 1) }
                    table[slot] = Int32(i)
                }
            }
        }
        slots = table
    }

    /// The index of `id`, or nil if the table does not hold it.
    @inline(__always)
    func index(of id: String) -> Int32? {
        if allASCII, let answer = id.utf8.withContiguousStorageIfAvailable({ fastIndex(UnsafeRawBufferPointer($0)) }),
           let answer {
            return answer.found ? answer.index : nil
        }
        return dictionary[id]
    }

    /// nil when the id is not ASCII (the caller asks the dictionary); else whether and where it was found.
    @inline(__always)
    private func fastIndex(_ key: UnsafeRawBufferPointer) -> (found: Bool, index: Int32)? {
        let length = key.count
        guard let base = key.baseAddress else { return dictionary.isEmpty ? (false, -1) : nil }
        let (h, ascii) = Self.hash(base, length)
        guard ascii else { return nil }
        return slots.withUnsafeBufferPointer { slots in
            starts.withUnsafeBufferPointer { starts in
                bytes.withUnsafeBytes { stored in
                    var slot = Int(truncatingIfNeeded: h) & mask
                    while true {
                        let i = Int(slots[slot])
                        if i < 0 { return (false, -1) }
                        let start = Int(starts[i])
                        if Int(starts[i + 1]) - start == length, memoryEqual(stored.baseAddress! + start, base, length) {
                            return (true, Int32(i))
                        }
                        slot = (slot + 1) & mask
                    }
                }
            }
        }
    }

    /// Hash of `length` bytes at `p`, eight bytes at a time, and whether they are all ASCII.
    @inline(__always)
    static func hash(_ p: UnsafeRawPointer, _ length: Int) -> (value: UInt64, ascii: Bool) {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(length)
        var high: UInt64 = 0
        var offset = 0
        while offset + 8 <= length {
            let w = p.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            high |= w
            h = (h ^ w) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 32
            offset += 8
        }
        if offset < length {
            var w: UInt64 = 0
            var shift: UInt64 = 0
            while offset < length {
                w |= UInt64(p.load(fromByteOffset: offset, as: UInt8.self)) << shift
                shift += 8; offset += 1
            }
            high |= w
            h = (h ^ w) &* 0xFF51_AFD7_ED55_8CCD
        }
        h ^= h >> 29
        h = h &* 0xC4CE_B9FE_1A85_EC53
        h ^= h >> 32
        return (h, high & 0x8080_8080_8080_8080 == 0)
    }

    @inline(__always)
    private func memoryEqual(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ length: Int) -> Bool {
        var k = 0
        while k + 8 <= length {
            if a.loadUnaligned(fromByteOffset: k, as: UInt64.self) != b.loadUnaligned(fromByteOffset: k, as: UInt64.self) { return false }
            k += 8
        }
        while k < length {
            if a.load(fromByteOffset: k, as: UInt8.self) != b.load(fromByteOffset: k, as: UInt8.self) { return false }
            k += 1
        }
        return true
    }
}
