import ConsentRecords
import Diagnostics
import Foundation
import Signing
import StrictJSON

/// What this installation records as withdrawn of a consent whose signed document `consent verify` checked: the
/// document's signature can hold while the consent no longer counts, and "valid" alone would say otherwise.
struct RecordedWithdrawals: Sendable {
    /// When the whole consent was withdrawn, if it was.
    var whole: Date?
    /// Single lines withdrawn (clause id, from when), earliest first; empty when none or when the whole consent was.
    var lines: [(clause: String, at: Date)]

    /// The withdrawals `stored` holds; nil when there are none (or the consent is not recorded).
    init?(_ stored: StoredConsent?) {
        guard let stored, !stored.withdrawals.isEmpty else { return nil }
        // As the evaluator reads them: the whole consent also when every granted line was withdrawn one by one (from the
        // last of them), as the pages say (found in a review, 2026-12-06).
        let read = stored.withdrawnLines
        whole = read.whole
        lines = whole != nil ? [] : read.byClause.map { (clause: $0.key, at: $0.value) }.sorted { ($0.at, $0.clause) < ($1.at, $1.clause) }
    }

    /// The words after "valid: consent <id>": `, in dieser Installation widerrufen am …` / `, withdrawn in this
    /// installation at …`, or the lines withdrawn.
    func words(_ language: Language) -> String {
        let de = language == .de
        if let whole {
            return de ? " – aber in dieser Installation widerrufen am \(RFC3339.format(whole)): sie gibt nichts mehr frei"
                      : " – but withdrawn in this installation at \(RFC3339.format(whole)): it releases nothing any more"
        }
        let list = lines.map { "\($0.clause) (\(RFC3339.format($0.at)))" }.joined(separator: ", ")
        return de ? " – in dieser Installation widerrufene Zeilen: \(list)" : " – lines withdrawn in this installation: \(list)"
    }

    /// `withdrawn-at` (the whole consent) or `withdrawn-clauses` (clause id → time) for `consent verify --json`.
    var json: [String: JSONValue] {
        if let whole { return ["withdrawn-at": .string(RFC3339.format(whole))] }
        return ["withdrawn-clauses": .object(Dictionary(lines.map { ($0.clause, JSONValue.string(RFC3339.format($0.at))) },
                                                        uniquingKeysWith: { a, _ in a }))]
    }
}
