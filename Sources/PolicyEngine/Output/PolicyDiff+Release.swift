import Diagnostics

extension PolicyDiff {
    /// How openly a field goes to a partner for a purpose, in the evaluator's order (a forbid before a permit by
    /// statute, that before one by consent), ignoring who the person is: the summary a DPO reads first.
    public struct Release: Sendable, Equatable, Comparable {
        /// The basis a field goes on, from closed (`never`) to open (`statute`); the raw values give that order.
        public enum Level: Int, Sendable, Comparable {
            /// An unconditional forbid, or no permit (default deny).
            case never = 0
            /// A forbid unless explicit consent (GDPR Art. 9(2)(a)) stands before the permits.
            case explicitConsent
            case consent
            /// A permit by statute: no consent needed.
            case statute
            /// Closed before open: a later level releases more readily.
            public static func < (a: Level, b: Level) -> Bool { a.rawValue < b.rawValue }
        }
        /// The most open basis the rules give the field, after the forbids that stand before it.
        public var level: Level
        /// Whether a condition (age, municipality, …) decides for some people: of every permit at this level, or of
        /// a forbid that stands before it.
        public var conditional: Bool

        /// Closed before open: by level, and at one level a conditional release before an unconditional one.
        public static func < (a: Release, b: Release) -> Bool {
            (a.level.rawValue, a.conditional ? 0 : 1) < (b.level.rawValue, b.conditional ? 0 : 1)
        }

        /// The summary of the rules covering one field; `special` when the field's category is a special one
        /// (GDPR Art. 9), which only an explicit consent releases. A consent permit counts only where some clause of
        /// a template can satisfy it (an explicit one for a special category), and a forbid unless explicit consent
        /// stands for good where no explicit clause covers the field: without such a clause no consent anyone could
        /// sign releases the field, and the summary says `never`, as the evaluator answers.
        init(_ list: [Coverage], special: Bool) {
            func some(_ b: ReleaseMatrix.Basis) -> [Coverage] { list.filter { $0.basis == b } }
            func explicit(_ c: Coverage) -> Bool { c.clauses.contains { $0.hasSuffix(ClauseLabels.explicitMark) } }
            let forbids = some(.never), soft = some(.neverUnlessExplicitConsent)
            let statutes = some(.statute), consents = some(.consent).filter { special ? explicit($0) : !$0.clauses.isEmpty }
            if forbids.contains(where: { $0.condition.isEmpty }) { self = Release(level: .never, conditional: false); return }
            // A forbid unless explicit consent that no clause can lift is a plain forbid.
            if soft.contains(where: { $0.condition.isEmpty && !explicit($0) }) { self = Release(level: .never, conditional: false); return }
            let before = !forbids.isEmpty || soft.contains { !$0.condition.isEmpty }
            let permits = statutes.isEmpty ? consents : statutes
            guard !permits.isEmpty else { self = Release(level: .never, conditional: false); return }
            let permitConditional = permits.allSatisfy { !$0.condition.isEmpty }
            if soft.contains(where: { $0.condition.isEmpty }) {
                self = Release(level: .explicitConsent, conditional: !forbids.isEmpty || permitConditional)
            } else if statutes.isEmpty {
                self = Release(level: special ? .explicitConsent : .consent, conditional: before || permitConditional)
            } else {
                self = Release(level: .statute, conditional: before || permitConditional)
            }
        }

        init(level: Level, conditional: Bool) { self.level = level; self.conditional = conditional }

        var id: String {
            let base = switch level {
            case .never: "never"
            case .explicitConsent: "explicit-consent"
            case .consent: "consent"
            case .statute: "statute"
            }
            return conditional && level != .never ? base + "-conditional" : base
        }

        /// The summary in words (`mit Einwilligung (unter Bedingungen)`).
        public func words(_ language: Language) -> String {
            let de = language == .de
            let base = switch level {
            case .never: de ? "nie" : "never"
            case .explicitConsent: de ? "nur mit ausdrücklicher Einwilligung" : "only with explicit consent"
            case .consent: de ? "mit Einwilligung" : "with consent"
            case .statute: de ? "per Gesetz, ohne Einwilligung" : "by statute, without consent"
            }
            return conditional && level != .never ? base + (de ? " (unter Bedingungen)" : " (under conditions)") : base
        }
    }
}
