import Diagnostics

/// A decision request that is malformed whatever the policy says (CONTRACTS §4): it names no field, or it names a
/// field more than once. `released` lists the permitted fields in request order, so a repeated field would be
/// answered, and logged, twice; a request about no field would log a decision about nothing.
///
/// `Gate.check` and `Gate.checkConcurrently` refuse such a request before anything is read or recorded, so no
/// entry point (the API, the CLI, the referral page) can let one through; an entry point may call `check(fields:)`
/// earlier for its own reasons (the CLI does, before it opens the installation). A usage error: exit code 2, a 400
/// from the web service.
public enum DecisionRequestError: UserFacingError, Equatable {
    /// The request names no field.
    case noFields
    /// `field` is named more than once, at these 1-based positions of the requested fields (at least two).
    case repeatedField(String, positions: [Int])
    /// The field at this 1-based position cannot be the id of any field (`fieldIDProblem` says why).
    case unfitField(position: Int, why: LocalizedText)
    /// The referral id cannot be one (`referralProblem`): it would be logged for good and shown in the DPO's pages and
    /// the person's report.
    case unfitReferral(why: LocalizedText)

    /// Always a usage error (exit 2): the request itself is malformed.
    public var category: ProblemCategory { .usage }

    /// The problem in `language`; for a repeated field, the field and every position it was named at.
    public func message(in language: Language) -> String {
        switch self {
        case .noFields:
            return language == .de ? "keine Felder angefragt: eine Entscheidung braucht mindestens ein Feld"
                                   : "no fields requested: a decision needs at least one field"
        case let .repeatedField(field, positions):
            let listed = positions.map(String.init)
            let entries = listed.dropLast().joined(separator: ", ") + (language == .de ? " und " : " and ") + (listed.last ?? "")
            if language == .de {
                let times = positions.count == 2 ? "zweimal" : "\(positions.count)-mal"
                return "Feld \"\(field)\" ist \(times) angefragt (Einträge \(entries) der angefragten Felder); jedes Feld nur einmal angeben"
            }
            let times = positions.count == 2 ? "twice" : "\(positions.count) times"
            return "field \"\(field)\" is requested \(times) (entries \(entries) of the requested fields); name each field once"
        case let .unfitField(position, why):
            return language == .de ? "Eintrag \(position) der angefragten Felder: \(why.de)" : "entry \(position) of the requested fields: \(why.en)"
        case let .unfitReferral(why):
            return why[language]
        }
    }

    /// The longest referral id, in Unicode scalars.
    public static let maxReferralLength = 128

    /// Why `referral` cannot be a referral id, or nil: 1 to 128 characters, no control character (an escape sequence
    /// would reach a terminal that prints the log) and no bidirectional formatting character (it would reorder what the
    /// Art. 15 report shows the person). Found in the web review: any string up to the body limit was logged as the
    /// referral of a decision; checked here, where every entry point passes, since the command line's `--referral` took
    /// any text as well (found by probing the command line: a newline, an empty id, 100 KB).
    public static func referralProblem(_ referral: String) -> LocalizedText? {
        let count = referral.unicodeScalars.count
        guard (1...maxReferralLength).contains(count) else {
            return LocalizedText(de: "Vorgangskennung muss 1 bis \(maxReferralLength) Zeichen lang sein (hat \(count))",
                                 en: "a referral id must be 1 to \(maxReferralLength) characters long (has \(count))")
        }
        // Blank is no id either: " " was logged as the referral and named the row of the person's report.
        if referral.allSatisfy(\.isWhitespace) {
            return LocalizedText(de: "Vorgangskennung besteht nur aus Leerzeichen", en: "a referral id of blanks only is no id")
        }
        if DisplayUnsafeText.containsControlOrDirectionCharacter(referral) {
            return LocalizedText(de: "Vorgangskennung enthält ein Steuer- oder Richtungszeichen; das ist nicht erlaubt",
                                 en: "the referral id contains a control or text-direction character, which is not allowed")
        }
        return nil
    }

    /// Why `field` cannot be a field id (empty, or holding a control or text-direction character:
    /// `DisplayUnsafeText`), or nil. No policy has such a field, and every requested field is a line of the `decision`
    /// entry, which the append-only log keeps for good and the command line, the DPO's pages and the person's report
    /// show (found in a review: "" and an escape sequence were logged as requested fields).
    public static func fieldIDProblem(_ field: String) -> LocalizedText? {
        if field.isEmpty { return LocalizedText(de: "Feld-ID ist leer", en: "field id is empty") }
        if DisplayUnsafeText.containsControlOrDirectionCharacter(field) {
            return LocalizedText(de: "Feld-ID enthält ein Steuer- oder Richtungszeichen; das ist nicht erlaubt",
                                 en: "field id contains a control or text-direction character, which is not allowed")
        }
        return nil
    }

    /// Throws `noFields` for an empty list, `unfitField` for the first field no policy can have, `repeatedField` for the
    /// first field that occurs again (with every position it occurs at); returns for a list of distinct fields.
    public static func check(fields: [String]) throws(DecisionRequestError) {
        guard let first = fields.first else { throw .noFields }
        for (i, field) in fields.enumerated() {
            if let why = fieldIDProblem(field) { throw .unfitField(position: i + 1, why: why) }
        }
        if fields.count == 1 { return }
        if fields.count == 2 {   // the common case, without hashing
            if fields[1] == first { throw .repeatedField(first, positions: [1, 2]) }
            return
        }
        var seen = Set<String>(minimumCapacity: fields.count)
        for field in fields where !seen.insert(field).inserted {
            throw .repeatedField(field, positions: fields.indices.filter { fields[$0] == field }.map { $0 + 1 })
        }
    }
}
