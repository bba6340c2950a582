import ConsentRecords
import Diagnostics
import Gate

/// What a case worker just did on a consent, said once on the consent's page after the form's redirect
/// (`/consents/{id}?done=…`, post-redirect-get): recorded, withdrawn, lines withdrawn, a recipient's notice recorded. The
/// page came back changed with no word and the focus at its top, so a screen-reader user heard nothing of the outcome
/// (found in a review of the pages); the notice is focused when the page loads.
enum ConsentAction: String, Sendable {
    case recorded
    case withdrawn
    case linesWithdrawn = "lines-withdrawn"
    case noticeRecorded = "notice-recorded"

    /// The notice, focused on load; its words in the page's language (a withdrawal with its time in Berlin). Only what the
    /// consent's record bears out is said (a link with `?done=withdrawn` to a consent in force said "withdrawn": a
    /// review), and it is not printed (a printout is of the consent, not of the moment).
    func notice(_ status: ConsentStatus, recipients: [ReferralRecipient] = [], language l: Language) -> HTML {
        let borneOut = switch self {
        case .recorded: status.record != nil
        case .withdrawn: status.withdrawnAtOnRecord != nil
        case .linesWithdrawn: !status.withdrawnClauses.isEmpty
        case .noticeRecorded: recipients.contains { !$0.notified.isEmpty }
        }
        guard borneOut else { return .empty }
        let text: HTML
        switch self {
        case .recorded:
            text = "\(l == .de ? "Die Einwilligung ist gespeichert." : "The consent is recorded.")"
        case .withdrawn:
            // "wurde am … widerrufen" / "was withdrawn on …" (it read "ist widerrufen am …": a wording review).
            if let at = status.withdrawnAtOnRecord {
                let time = BerlinTime.element(at, language: l)
                text = l == .de ? "Die Einwilligung wurde am \(time) widerrufen." : "The consent was withdrawn on \(time)."
            } else {
                text = "\(l == .de ? "Die Einwilligung ist widerrufen." : "The consent is withdrawn.")"
            }
        case .linesWithdrawn:
            // The last lines withdrawn end the consent as a whole: then no line holds any more.
            text = status.withdrawnAtOnRecord == nil
                ? "\(l == .de ? "Die gewählten Zeilen sind widerrufen; die anderen gelten weiter." : "The chosen lines are withdrawn; the others still hold.")"
                : "\(l == .de ? "Die gewählten Zeilen sind widerrufen; damit gilt keine Zeile mehr." : "The chosen lines are withdrawn; no line holds any more.")"
        case .noticeRecorded:
            text = "\(l == .de ? "Die Benachrichtigung ist vermerkt." : "The notice is recorded.")"
        }
        return "<div class=\"notice no-print\" id=\"done-note\" role=\"status\" tabindex=\"-1\" autofocus data-done=\"\(rawValue)\"><p>\(text)</p></div>"
    }
}
