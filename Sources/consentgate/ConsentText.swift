import ArgumentParser
import ConsentRecords
import Diagnostics
import Foundation
import Gate
import PolicyEngine
import Signing
import StrictJSON

/// Human and JSON renderings of consent states.
enum ConsentText {
    /// The state as one word of the list line: the JSON value in English (`active`, `not-yet-valid`, …), a German word
    /// in German (the line said `withdrawn` before `widerrufen 2026-…`). The hint line below explains `needs-birth-date`.
    static func stateWord(_ state: ConsentState, _ language: Language) -> String {
        guard language == .de else { return state.rawValue }
        switch state {
        case .active: return "gültig"
        case .notYetValid: return "noch-nicht-gültig"
        case .expired: return "abgelaufen"
        case .withdrawn: return "widerrufen"
        case .invalid: return "ungültig"
        case .needsBirthDate: return "ohne-Geburtsdatum"
        }
    }

    /// "consent"/"withdrawal" as `consent import` names what it took, in the user's language.
    static func kindWord(_ kind: String, _ language: Language) -> String {
        guard language == .de else { return kind }
        return kind == "withdrawal" ? "Widerruf" : kind == "consent" ? "Einwilligung" : kind
    }

    /// What `consent show` and `consent list` print: with `json`, a JSON array of each consent's summary as of
    /// `time`; else one line per consent (id, state as of `time`, template and version, clauses, granted and expiry times
    /// in UTC, the withdrawal on record, also one that fails verification) with an indented line per line (clause)
    /// withdrawn singly and its time, an indented `!` line per verification failure and a hint when the birth date is missing,
    /// or `keine Einwilligungen` / `no consents` for an empty list. With `guardians` (`consent show`), an indented line
    /// names the guardians who signed (name and relation, as the signed declaration records them), when there are any:
    /// who signed for a minor is part of what the record proves, and only `--json` said it before.
    static func render(_ list: [ConsentStatus], json: Bool, language: Language, at time: Date = Date(), guardians: Bool = false) -> String {
        if json {
            return "[" + list.map { $0.summary(at: time, language: language).canonicalText }
                .joined(separator: ",") + "]"
        }
        if list.isEmpty { return language == .de ? "keine Einwilligungen" : "no consents" }
        return list.map { s in
            let f = s.fact
            let state = stateWord(s.state(at: time), language)
            let hint = s.state(at: time) == .needsBirthDate ? "\n    ! " + ConsentState.needsBirthDate.words[language]
                + (language == .de ? " – z. B. mit „consent import --birth-date“ oder dem nächsten Export der Liste erfassen"
                                  : " – record it, e.g. with `consent import --birth-date` or the next export of the list") : ""
            var line = "\(s.id)  \(state)  \(f.templateID) v\(f.templateVersion)  [\(f.clauses.joined(separator: ","))]  \(RFC3339.format(f.grantedAt)) → \(RFC3339.format(f.expiresAt))"
            if let w = s.withdrawnAtOnRecord { line += language == .de ? "  widerrufen \(RFC3339.format(w))" : "  withdrawn \(RFC3339.format(w))" }
            // The lines withdrawn singly, each with its own time (an indented line per withdrawn line).
            for (clause, at) in s.withdrawnClauses {
                line += "\n    " + (language == .de ? "Zeile \(clause) widerrufen \(RFC3339.format(at))" : "line \(clause) withdrawn \(RFC3339.format(at))")
            }
            if guardians, let signed = s.consent?.content.guardians, !signed.isEmpty {
                let names = signed.map { g in g.relation.map { "\(g.name) (\($0))" } ?? g.name }.joined(separator: "; ")
                line += "\n    " + (language == .de ? "Sorgeberechtigte: " : "guardians: ") + names
            }
            for failure in s.failures { line += "\n    ! " + failure.message(in: language) }
            return line + hint
        }.joined(separator: "\n")
    }
}
