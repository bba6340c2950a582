/// How a registration list writes yes or no in a `bool` field (e.g. „Unbegleitet minderjährig“, „Kita-Bedarf“).
///
/// The lists come from German Excel, filled by hand: `ja`/`nein` as the generator writes them, but also `j`/`n`, a
/// tick `x`, `1`/`0`, `wahr`/`falsch` (Excel's own booleans) and the English words, in any case. Anything else is not
/// read as „no“: the export profiles select records by these fields (the Jugendamt gets unaccompanied minors and
/// children who need a day-care place), so an unreadable cell would silently keep a record from a partner. The
/// validator quarantines it instead (`invalid-yes-no`).
public enum YesNoCell {
    /// The value of a trimmed, non-empty cell, or nil when it is not one of the accepted spellings.
    public static func parse(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "ja", "j", "x", "1", "wahr", "yes", "y", "true": true
        case "nein", "n", "0", "falsch", "no", "false": false
        default: nil
        }
    }

    /// The accepted spellings, for messages.
    public static let accepted = "ja/nein, j/n, x, 1/0, wahr/falsch, yes/no, true/false"
}
