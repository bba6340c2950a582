import Diagnostics
import Foundation
import Signing

extension CompiledPolicy {
    /// Why field decision `f` was withheld, in words a case manager can act on, or nil for a released field.
    ///
    /// `DenialReason.words` alone said "explicitly forbidden" also where the forbid gives way to an explicit consent
    /// (`unless: explicit-consent`), so nobody asked for the consent the policy provides, and "rule condition not met"
    /// without saying which condition (found in a domain review). Here a forbid that an explicit consent lifts says so
    /// (and, when the decision names a consent, that it does not hold), and an unmet condition names the rule's
    /// condition. The rule is looked up by id in this policy: pass the policy that made the decision.
    ///
    /// A withdrawn consent (`consent-revoked`) says when, given the `consents` the decision was made with; when only the
    /// line (clause) the field needs was withdrawn (GDPR Art. 7(3), "für einzelne Zeilen"), it says that line was, with
    /// the line's wording from the template, so nobody reads that the whole consent is gone; "the other lines still hold"
    /// only while some do (`withdrawalWords`). A withdrawn explicit line behind a forbid that it would lift is named the
    /// same way. `time` writes the time (UTC, RFC 3339 by default; the pages pass Berlin time).
    public func denialWords(for f: FieldDecision, consents: [ConsentFact] = [],
                            time: (Date) -> LocalizedText = { t in LocalizedText(de: RFC3339.format(t), en: RFC3339.format(t)) }) -> LocalizedText? {
        guard f.outcome == .deny, let reason = f.reason else { return nil }
        let rule = f.rule.flatMap { id in bundle.rules.first { $0.id == id } }
        switch reason {
        case .consentRevoked:
            guard let c = f.consent, let fact = consents.first(where: { $0.id == c.id }),
                  let words = withdrawalWords(fact, clause: c.clause, time: time) else { return reason.words }
            return words
        case .forbidden where rule?.unlessExplicitConsent == true:
            if let c = f.consent {
                // The explicit line found was withdrawn (alone or with the whole consent): say so, with the line and its
                // time, as for any other withdrawn line (found in a review: the reason named no withdrawal at all).
                if let fact = consents.first(where: { $0.id == c.id }), let words = withdrawalWords(fact, clause: c.clause, time: time) {
                    return LocalizedText(de: "gesperrt, außer mit ausdrücklicher Einwilligung; \(words.de)",
                                         en: "blocked unless an explicit consent is given; \(words.en)")
                }
                return LocalizedText(
                    de: "gesperrt, außer mit ausdrücklicher Einwilligung; die gefundene (Einwilligung \(c.id), Klausel \(c.clause)) gilt nicht: widerrufen, abgelaufen oder ungültig",
                    en: "blocked unless an explicit consent is given; the one found (consent \(c.id), clause \(c.clause)) does not hold: withdrawn, expired or invalid")
            }
            return LocalizedText(de: "gesperrt, außer mit ausdrücklicher Einwilligung; keine liegt vor",
                                 en: "blocked unless an explicit consent is given; none is on record")
        case .conditionNotMet:
            guard let when = rule?.when, !when.isAlways else { return reason.words }
            let attributes = bundle.attributes
            let condition = when.words { id in attributes.first { $0.id == id }?.label }
            return LocalizedText(de: "\(reason.words.de): \(condition.de)", en: "\(reason.words.en): \(condition.en)")
        default:
            return reason.words
        }
    }

    /// How line `clause` of consent `fact` came to release nothing by withdrawal, or nil when neither it nor the whole
    /// consent is withdrawn in `fact`:
    /// - the whole consent first, or at the same time (a withdrawal of the whole consent): "Einwilligung am … widerrufen";
    /// - the line alone, others still granted: the line (its wording from the template) and time, "die übrigen Zeilen
    ///   gelten weiter";
    /// - the line as the last one left (every granted line withdrawn singly; the consent counts as withdrawn as a whole
    ///   from then): that no line holds any more;
    /// - the line, and the whole consent later (by its own withdrawal or when its last line went): both times.
    /// "The other lines still hold" was said in every case where the line went first, also of a consent wholly
    /// withdrawn or without any line left (found in a review of the pages).
    func withdrawalWords(_ fact: ConsentFact, clause: String, time: (Date) -> LocalizedText) -> LocalizedText? {
        let lineAt = fact.clauseWithdrawals[clause]
        let granted = Set(fact.clauses)
        let everyLineSingly = !granted.isEmpty && granted.allSatisfy { fact.clauseWithdrawals[$0] != nil }
        let lastLine = everyLineSingly && lineAt != nil && lineAt == fact.clauseWithdrawals.values.max()
        if let wholeAt = fact.withdrawnAt, lineAt.map({ $0 > wholeAt || ($0 == wholeAt && !lastLine) }) ?? true {
            let when = time(wholeAt)
            return LocalizedText(de: "Einwilligung am \(when.de) widerrufen", en: "consent withdrawn on \(when.en)")
        }
        guard let lineAt else { return nil }
        let when = time(lineAt)
        let text = bundle.template(fact.templateID, version: fact.templateVersion)?.clauses.first { $0.id == clause }?.text
        let de = text?["de"].map { "„\($0)“ (\(clause))" } ?? clause
        let en = text?["en"].map { "“\($0)” (\(clause))" } ?? clause
        let line = LocalizedText(de: "die Zeile \(de) der Einwilligung wurde am \(when.de) widerrufen",
                                 en: "the line \(en) of the consent was withdrawn on \(when.en)")
        guard let wholeAt = fact.withdrawnAt else {
            return LocalizedText(de: "\(line.de); die übrigen Zeilen gelten weiter", en: "\(line.en); the other lines still hold")
        }
        if lastLine {
            return LocalizedText(de: "\(line.de); damit gilt keine Zeile mehr, die Einwilligung ist ganz widerrufen",
                                 en: "\(line.en); with it no line holds any more, the whole consent is withdrawn")
        }
        let whole = time(wholeAt)
        return LocalizedText(de: "\(line.de), die ganze Einwilligung am \(whole.de)",
                             en: "\(line.en), the whole consent on \(whole.en)")
    }
}
