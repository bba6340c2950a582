import Diagnostics
import Foundation

/// One case of a bundle's `tests/*.yaml`: a request, the consent facts, and the expected outcome per field
/// (format in docs/policy.md).
public struct PolicyTestCase: Sendable, Equatable {
    /// What is expected for one field; nil members are not checked.
    public struct Expectation: Sendable, Equatable {
        public var field: String
        public var outcome: FieldDecision.Outcome
        public var reason: DenialReason?
        public var rule: String?
        public var clause: String?
        public init(field: String, outcome: FieldDecision.Outcome, reason: DenialReason? = nil, rule: String? = nil, clause: String? = nil) {
            self.field = field; self.outcome = outcome; self.reason = reason; self.rule = rule; self.clause = clause
        }

        /// The differences between this expectation and an actual field decision (empty when it matches), in German
        /// and English. A differing outcome names the actual reason and rule, so a DPO sees why without a second run.
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
                out.append(LocalizedText(de: "Grund: erwartet \(reason.rawValue), erhalten \(got ?? "keiner")",
                                         en: "reason: expected \(reason.rawValue), got \(got ?? "none")"))
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

    public var name: String
    public var request: DecisionRequest
    public var consents: [ConsentFact]
    public var expectations: [Expectation]
    /// Where the case is written (not compared).
    public var location: SourceLocation?

    public init(name: String, request: DecisionRequest, consents: [ConsentFact], expectations: [Expectation], location: SourceLocation? = nil) {
        self.name = name; self.request = request; self.consents = consents; self.expectations = expectations; self.location = location
    }

    public static func == (a: PolicyTestCase, b: PolicyTestCase) -> Bool {
        a.name == b.name && a.request == b.request && a.consents == b.consents && a.expectations == b.expectations
    }
}

/// The result of running one test case.
public struct PolicyTestResult: Sendable, Equatable {
    public var name: String
    public var location: SourceLocation?
    /// Per failing field: the field id and what differs (German and English). Empty when the case passes.
    public var failures: [(field: String, differences: [LocalizedText])]
    public var passed: Bool { failures.isEmpty }

    public static func == (a: PolicyTestResult, b: PolicyTestResult) -> Bool {
        a.name == b.name && a.failures.map(\.field) == b.failures.map(\.field) && a.failures.map(\.differences) == b.failures.map(\.differences)
    }
}
