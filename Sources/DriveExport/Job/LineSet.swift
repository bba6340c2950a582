/// A set of line numbers as one bit per line: 125 KB for a million lines, where a hash set would take
/// ~25 MB. For pass 1 of the export, which notes the lines whose row added a school-age household.
struct LineSet: Sendable {
    private var words: [UInt64] = []

    /// Adds `line`.
    mutating func insert(_ line: UInt32) {
        let w = Int(line >> 6)
        if w >= words.count { words.append(contentsOf: repeatElement(0, count: max(w + 1 - words.count, words.count))) }
        words[w] |= 1 << UInt64(line & 63)
    }

    /// Whether `line` was added.
    func contains(_ line: UInt32) -> Bool {
        let w = Int(line >> 6)
        return w < words.count && words[w] & (1 << UInt64(line & 63)) != 0
    }
}
