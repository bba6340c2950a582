import Diagnostics

extension CompiledPolicy {
    /// Why field decision `f` was withheld, in words a case manager can act on, or nil for a released field.
    ///
    /// `DenialReason.words` alone said "explicitly forbidden" also where the forbid gives way to an explicit consent
    /// (`unless: explicit-consent`), so nobody asked for the consent the policy provides, and "rule condition not met"
    /// without saying which condition (found in a domain review). Here a forbid that an explicit consent lifts says so
    /// (and, when the decision names a consent, that it does not hold), and an unmet condition names the rule's
    /// condition. The rule is looked up by id in this policy: pass the policy that made the decision.
    public func denialWords(for f: FieldDecision) -> LocalizedText? {
        guard f.outcome == .deny, let reason = f.reason else { return nil }
        let rule = f.rule.flatMap { id in bundle.rules.first { $0.id == id } }
        switch reason {
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
