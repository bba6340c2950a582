/// The ids of the households with a school-age child, exactly, in an 8-byte slot per household instead of the
/// 16 of a `Set<String>`: pass 1 collects them and pass 2 asks for every row, so this set is the one thing of
/// the export that grows with the list (the generated million-row list has 253,040 such households: 4 MiB).
///
/// An id of one to eight UTF-8 bytes without a zero byte (every id a registration list uses in practice, e.g.
/// `H00001`) is kept as those bytes in one `UInt64`: no two such ids give the same number, so the set stays
/// exact (no hash of the id stands for it). Any other id is kept as it is.
struct HouseholdSet: Sendable, Equatable {
    private var packed: Set<UInt64> = []
    private var others: Set<String> = []

    /// An empty set.
    init() {}

    /// The set of `ids`.
    init<S: Sequence>(_ ids: S) where S.Element == String {
        for id in ids { insert(id) }
    }

    /// The number of households.
    var count: Int { packed.count + others.count }

    /// Whether there is none.
    var isEmpty: Bool { packed.isEmpty && others.isEmpty }

    /// Adds `id`.
    mutating func insert(_ id: String) {
        if let p = Self.pack(id) { packed.insert(p) } else { others.insert(id) }
    }

    /// Whether `id` was added.
    func contains(_ id: String) -> Bool {
        if let p = Self.pack(id) { return packed.contains(p) }
        return others.contains(id)
    }

    /// `id`'s bytes as one number, first byte lowest; nil when it has more than eight, none, or a zero byte
    /// (with no zero byte inside, the highest non-zero byte marks the end, so the number names one id).
    static func pack(_ id: String) -> UInt64? {
        var id = id
        return id.withUTF8 { bytes -> UInt64? in
            guard (1...8).contains(bytes.count) else { return nil }
            var value: UInt64 = 0
            for (i, b) in bytes.enumerated() {
                guard b != 0 else { return nil }
                value |= UInt64(b) << UInt64(8 * i)
            }
            return value
        }
    }
}
