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
    /// the line's wording from the template, so nobody reads that the whole consent is gone. `time` writes the time (UTC,
    /// RFC 3339 by default; the pages pass Berlin time).
    public func denialWords(for f: FieldDecision, consents: [ConsentFact] = [],
                            time: (Date) -> LocalizedText = { t in LocalizedText(de: RFC3339.format(t), en: RFC3339.format(t)) }) -> LocalizedText? {
        guard f.outcome == .deny, let reason = f.reason else { return nil }
        let rule = f.rule.flatMap { id in bundle.rules.first { $0.id == id } }
        switch reason {
        case .consentRevoked:
            guard let c = f.consent, let fact = consents.first(where: { $0.id == c.id }),
                  let at = fact.withdrawalTime(ofClause: c.clause) else { return reason.words }
            let when = time(at)
            guard fact.clauseWithdrawals[c.clause] == at else {
                return LocalizedText(de: "Einwilligung am \(when.de) widerrufen", en: "consent withdrawn on \(when.en)")
            }
            let line = bundle.template(fact.templateID, version: fact.templateVersion)?.clauses.first { $0.id == c.clause }?.text
            let de = line?["de"].map { "„\($0)“ (\(c.clause))" } ?? c.clause
            let en = line?["en"].map { "“\($0)” (\(c.clause))" } ?? c.clause
            return LocalizedText(de: "die Zeile \(de) der Einwilligung wurde am \(when.de) widerrufen; die übrigen Zeilen gelten weiter",
                                 en: "the line \(en) of the consent was withdrawn on \(when.en); the other lines still hold")
        case .forbidden where rule?.unlessExplicitConsent == true:
            if let c = f.consent {
                return LocalizedText(
                    de: "gesperrt, außer mit ausdrücklicher Einwilligung; die gefundene (Einwilligung \(c.id), Klausel \(c.clause)) gilt nicht: widerrufen, abgelaufen oder ungültig",
                    en: "blocked unless an explicit consent is given; the one found (consent \(c.id), clause \(c.clause)) does not hold: withdrawn, expired or invalid")
            }
            return LocalizedText(de: "gesperrt, außer mit ausdrücklicher Einwilligung; keine liegt vor",
                                 en: "blocked unless an explicit consent is given; none is on record")
        case .conditionNotMet:
            guard let condition = rule?.when.text, !condition.isEmpty else { return reason.words }
            return LocalizedText(de: "\(reason.words.de): \(condition)", en: "\(reason.words.en): \(condition)")
        default:
            return reason.words
        }
    }
}
