import Diagnostics
import Foundation

extension FormProblems {
    /// The problems of a GET form whose query was refused with a 400 that names one of its parameters (`parameter
    /// since: …`): the page answers with its form, every value kept and the problem linked to the control it names
    /// (`controls`: parameter → control id), instead of the bare error page that left the form behind (pages review
    /// F9, the DPO's filters, period and Art. 15 forms). Nil for any other error, which keeps its own page.
    init?(query error: any Error, controls: [String: String]) {
        guard let refusal = error as? WebError, refusal.status == .badRequest else { return nil }
        self.init()
        let message = refusal.message.en.lowercased()
        let named = controls.keys.sorted().first { message.hasPrefix("parameter \($0)") || message.hasPrefix("\($0) ") }
        add(named ?? "query", anchor: named.flatMap { controls[$0] } ?? controls.values.sorted().first, refusal.message)
    }
}
