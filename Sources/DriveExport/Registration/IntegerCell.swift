/// How a registration list writes a whole number in an `int` field (e.g. „Lfd. Nr.“): decimal digits, optionally
/// signed, at most 18 of them. Anything else („12a“, „7.5“, „sieben“) is not read as unknown: a field the policy
/// declares `int` may be an attribute that decides what a partner receives, and its text would otherwise go out to
/// partners as it stands. The validator quarantines the row instead (`invalid-number`), naming the column. A column
/// that holds text such as school classes („5a“) is a `string` field in the policy.
public enum IntegerCell {
    /// The value of a trimmed, non-empty cell, or nil when it is not a whole number.
    public static func parse(_ text: String) -> Int? {
        let digits = text.utf8.drop { $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-") }
        guard text.utf8.count - digits.count <= 1, (1...18).contains(digits.count),
              digits.allSatisfy({ (48...57).contains($0) }) else { return nil }
        return Int(text.utf8.first == UInt8(ascii: "+") ? String(text.dropFirst()) : text)
    }
}
