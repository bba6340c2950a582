import Diagnostics

extension CompiledPolicy {
    /// A citation a decision or a log entry names, as a reader of `language` reads it. Decisions, decision JSON and the
    /// audit log name a rule's canonical citation (the German text of `citation: {de, en}`); a page, a table or a report
    /// shows the English text instead where it is known: when `digest` (the policy the decision was made under) is this
    /// policy's and this policy's rule `rule` cites exactly `canonical`. Otherwise (a decision of another policy, an
    /// entry without a digest, a rule that cites other words) `canonical` as it stands: the English text of another
    /// policy is not known here, and a rule of the same id may cite another norm.
    public func citation(_ canonical: String, rule id: String?, decidedUnder digest: String?, in language: Language) -> String {
        guard language != .de, digest == self.digest, let id, let rule = bundle.rule(id), rule.citation == canonical else { return canonical }
        return rule.citation(in: language)
    }

    /// The citation of `f`, a field of `decision`, as a reader of `language` reads it (`citation(_:rule:decidedUnder:in:)`);
    /// nil when the field names none.
    public func citation(of f: FieldDecision, in decision: Decision, language: Language) -> String? {
        f.citation.map { citation($0, rule: f.rule, decidedUnder: decision.policy.digest, in: language) }
    }
}
