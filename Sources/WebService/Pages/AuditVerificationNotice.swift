import AuditLog
import Diagnostics
import Foundation
import Gate
import Hummingbird
import PolicyEngine
import Signing

extension AuditPages {
    /// The log's verification status: green when `audit verify` held, red with the first problem when it did not,
    /// each saying over how many entries and when it ran (a page shows the last result, however old, while a new check runs behind it, see
    /// `VerificationCache`), with a link that checks again now, the filters kept.
    static func verificationNotice(_ status: VerificationStatus, request: Request, language l: Language) -> HTML {
        let when = BerlinTime.element(status.checkedAt, language: l)
        var items: [URLQueryItem] = []
        for (name, value) in request.uri.queryParameters where name != "verify" && name != "lang" {
            items.append(URLQueryItem(name: String(name), value: String(value)))
        }
        items.append(URLQueryItem(name: "verify", value: "now"))
        var c = URLComponents()
        c.queryItems = items
        let query = (c.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: "%2B")
        // The separator inside the part not printed (a printout ended its line in a stray " · ": a review of the pages).
        let again: HTML = "<span class=\"no-print\"> · <a href=\"/audit?\(query)\" id=\"verify-now\">\(l == .de ? "Jetzt erneut prüfen" : "Check again now")</a></span>"
        let checked: HTML = "<span id=\"verified-at\">\(l == .de ? "geprüft" : "checked") \(when)</span>"
        if status.ok {
            return "<div class=\"notice\" role=\"status\" id=\"verification\" data-ok=\"true\" data-size=\"\(Int(status.size))\"><p>✔ \(l == .de ? "Protokoll unversehrt" : "Log intact"): \(Int(status.size)) \(l == .de ? "Einträge" : "entries"), \(status.checkpoints) \(l == .de ? "signierte Prüfpunkte" : "signed checkpoints") (\(checked))\(again)</p></div>"
        }
        return "<div class=\"alert\" role=\"alert\" id=\"verification\" data-ok=\"false\" data-size=\"\(Int(status.size))\"><p>✘ \(l == .de ? "Prüfung fehlgeschlagen" : "Verification failed"): \(status.problem?[l] ?? "") (\(checked))\(again)</p></div>"
    }

    /// On the DPO's other pages (an entry, the Art. 15 report, the statistics): nothing while the log's last verification
    /// held; when it failed, an alert saying so, with its problem and time, above what the page shows, which may rest on an
    /// altered log. Found in a review of the pages: `/audit` showed "entry 18 was altered" while the entry's own page, the
    /// Art. 15 report and the statistics showed the forged content as fact, and the report still ended "rests on this
    /// signed checkpoint". Printed too: a report handed out carries the warning.
    static func verificationWarning(_ status: VerificationStatus?, language l: Language) -> HTML {
        guard let status, !status.ok else { return .empty }
        let when = BerlinTime.element(status.checkedAt, language: l)
        return """
        <div class="alert" role="alert" id="verification-failed"><p>✘ \(l == .de ? "Die letzte Prüfung des Protokolls ist fehlgeschlagen" : "The last verification of the log failed") (\(l == .de ? "geprüft" : "checked") \(when)): \(status.problem?[l] ?? "")</p>\
        <p>\(l == .de ? "Was diese Seite zeigt, kann auf veränderten Einträgen beruhen; bitte nicht als Nachweis verwenden, bevor die Ursache geklärt ist." : "What this page shows may rest on altered entries; please do not use it as evidence before the cause is clear.") <a href="/audit" class="no-print">\(l == .de ? "Zum Prüfprotokoll" : "To the audit log")</a></p></div>
        """
    }
}
