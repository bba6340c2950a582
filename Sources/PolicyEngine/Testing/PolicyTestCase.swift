import Diagnostics
import Foundation

/// One case of a bundle's `tests/*.yaml`: a request, the consent facts, and the expected outcome per field
/// (format in docs/policy.md).
public struct PolicyTestCase: Sendable, Equatable {
    /// What is expected for one field; nil members are not checked.
    public struct Expectation: Sendable, Equatable {
        /// The field id the expectation is about.
        public var field: String
        /// The expected outcome; always checked.
        public var outcome: FieldDecision.Outcome
        /// The expected denial reason; nil: not checked.
        public var reason: DenialReason?
        /// The rule id expected to decide; nil: not checked.
        public var rule: String?
        /// The consent clause id expected to be named; nil: not checked.
        public var clause: String?
        /// Creates an expectation that checks the outcome and whichever of reason, rule and clause are given.
        public init(field: String, outcome: FieldDecision.Outcome, reason: DenialReason? = nil, rule: String? = nil, clause: String? = nil) {
            self.field = field; self.outcome = outcome; self.reason = reason; self.rule = rule; self.clause = clause
        }

        /// The differences between this expectation and an actual field decision (empty when it matches), in German
        /// and English. A differing outcome names the actual reason and rule, and so does a differing reason, so a DPO sees
        /// why without a second run.
        public func differences(from actual: FieldDecision) -> [LocalizedText] {
            var out: [LocalizedText] = []
            if actual.outcome != outcome {
                let why = [actual.reason?.rawValue, actual.rule.map { "rule \($0)" }].compactMap { $0 }.joined(separator: ", ")
                let warum = [actual.reason?.rawValue, actual.rule.map { "Regel \($0)" }].compactMap { $0 }.joined(separator: ", ")
                out.append(LocalizedText(
                    de: "Ergebnis: erwartet \(outcome.rawValue), erhalten \(actual.outcome.rawValue)" + (warum.isEmpty ? "" : " (\(warum))"),
                    en: "outcome: expected \(outcome.rawValue), got \(actual.outcome.rawValue)" + (why.isEmpty ? "" : " (\(why))")))
            }
            if let reason, actual.reason != reason {
                let got = actual.reason?.rawValue
                // The rule that gave the actual reason, unless the outcome line or a rule line names it already (a
                // review: "reason: expected no-matching-rule, got consent-missing" left the DPO to find the rule).
                let named = actual.outcome != outcome || rule != nil ? nil : actual.rule
                out.append(LocalizedText(de: "Grund: erwartet \(reason.rawValue), erhalten \(got ?? "keiner")" + (named.map { " (Regel \($0))" } ?? ""),
                                         en: "reason: expected \(reason.rawValue), got \(got ?? "none")" + (named.map { " (rule \($0))" } ?? "")))
            }
            if let rule, actual.rule != rule {
                out.append(LocalizedText(de: "Regel: erwartet \(rule), erhalten \(actual.rule ?? "keine")",
                                         en: "rule: expected \(rule), got \(actual.rule ?? "none")"))
            }
            if let clause, actual.consent?.clause != clause {
                out.append(LocalizedText(de: "Klausel: erwartet \(clause), erhalten \(actual.consent?.clause ?? "keine")",
                                         en: "clause: expected \(clause), got \(actual.consent?.clause ?? "none")"))
            }
            return out
        }
    }

    /// The case's name, as written in the test file; names it in results.
    public var name: String
    /// The request the case asks, with the subject's attributes and the decision time.
    public var request: DecisionRequest
    /// The subject's consents as the case states them (no signatures involved).
    public var consents: [ConsentFact]
    /// What is expected, per field.
    public var expectations: [Expectation]
    /// Where the case is written (not compared).
    public var location: SourceLocation?

    /// Creates a test case; `location` nil for one built in code.
    public init(name: String, request: DecisionRequest, consents: [ConsentFact], expectations: [Expectation], location: SourceLocation? = nil) {
        self.name = name; self.request = request; self.consents = consents; self.expectations = expectations; self.location = location
    }

    public static func == (a: PolicyTestCase, b: PolicyTestCase) -> Bool {
        a.name == b.name && a.request == b.request && a.consents == b.consents && a.expectations == b.expectations
    }
}

/// The result of running one test case.
public struct PolicyTestResult: Sendable, Equatable {
    /// The test case's name.
    public var name: String
    /// Where the case is written, for the report; nil for a case built in code.
    public var location: SourceLocation?
    /// Per failing field: the field id and what differs (German and English). Empty when the case passes.
    public var failures: [(field: String, differences: [LocalizedText])]
    /// Whether every expectation of the case held.
    public var passed: Bool { failures.isEmpty }

    public static func == (a: PolicyTestResult, b: PolicyTestResult) -> Bool {
        a.name == b.name && a.failures.map(\.field) == b.failures.map(\.field) && a.failures.map(\.differences) == b.failures.map(\.differences)
    }
}
