import Diagnostics
import Foundation
import PolicyEngine

extension FormProblems {
    /// The problems of a GET form whose query was refused with a 400 about one of its parameters (`WebError.parameter`):
    /// the page answers with its form, every value kept and the problem linked to the control it names
    /// (`controls`: parameter → control id), instead of the bare error page that left the form behind (pages review
    /// F9, the DPO's filters, period and Art. 15 forms). Nil for any other error, which keeps its own page.
    /// A parameter the form has no control for (`before`, `limit`: the paging links) links to the form itself (`form`).
    /// `labels`: the controls' labels by parameter; a message opening with the API's "Parameter since" opens with the
    /// control's label instead ("„Ab (Datum)“"), the words the form shows (found in a review of the pages).
    init?(query error: any Error, controls: [String: String], form: String, labels: [String: LocalizedText] = [:]) {
        guard let refusal = error as? WebError, refusal.status == .badRequest else { return nil }
        self.init()
        let named = refusal.parameter.flatMap { controls[$0] == nil ? nil : $0 }
        var message = refusal.message
        if let named, let label = labels[named] {
            func relabel(_ text: String, _ prefix: String, _ quoted: String) -> String {
                text.hasPrefix(prefix) ? quoted + text.dropFirst(prefix.count) : text
            }
            message = LocalizedText(de: relabel(message.de, "Parameter \(named)", "„\(label.de)“"),
                                    en: relabel(message.en, "parameter \(named)", "“\(label.en)”"))
        }
        add(named ?? "query", anchor: named.flatMap { controls[$0] } ?? form, message)
    }

    /// The problem of a period given the wrong way round, in the form's words (`labels`: the since and until controls'
    /// labels) and with days as the page writes them; nil unless `since` and `until` are both days (`YYYY-MM-DD`, as the
    /// form's date fields send them) and `until` is not after `since`. Other refused values keep the API's words.
    init?(reversedPeriod query: [String: String], labels: (since: LocalizedText, until: LocalizedText), untilControl: String) {
        guard let sinceText = query["since"], let untilText = query["until"],
              let since = UTCDay.parse(sinceText), let until = UTCDay.parse(untilText), until <= since else { return nil }
        self.init()
        func day(_ d: Int, _ l: Language) -> String { ConsentPages.dayText(d, l) }
        add("until", anchor: untilControl, LocalizedText(
            de: "„\(labels.until.de)“ \(day(until, .de)) liegt nicht nach „\(labels.since.de)“ \(day(since, .de)): der Zeitraum ist leer (der Bis-Tag zählt nicht mit)",
            en: "“\(labels.until.en)” \(day(until, .en)) is not after “\(labels.since.en)” \(day(since, .en)): the period is empty (the until day is not counted)"))
    }
}
