import Diagnostics
import Testing
@testable import PolicyEngine

/// A failing test case says per field what differs, naming the rule that decided (a review of policy authoring: a
/// differing reason alone, "reason: expected no-matching-rule, got consent-missing", named no rule).
@Suite struct TestCaseDifferenceTests {
    typealias Expectation = PolicyTestCase.Expectation

    @Test func aDifferingReasonNamesTheRule() {
        let actual = FieldDecision(field: "name.family", outcome: .deny, reason: .consentMissing, rule: "jobcenter-consent")
        let d = Expectation(field: "name.family", outcome: .deny, reason: .noMatchingRule).differences(from: actual)
        #expect(d.map(\.en) == ["reason: expected no-matching-rule, got consent-missing (rule jobcenter-consent)"])
        #expect(d.map(\.de) == ["Grund: erwartet no-matching-rule, erhalten consent-missing (Regel jobcenter-consent)"])
    }

    @Test func theRuleIsNamedOnce() {
        let actual = FieldDecision(field: "health.notes", outcome: .permit, rule: "jobcenter-health-consent")
        // The outcome line names it already.
        let outcome = Expectation(field: "health.notes", outcome: .deny, reason: .forbidden).differences(from: actual)
        #expect(outcome.map(\.en) == ["outcome: expected deny, got permit (rule jobcenter-health-consent)", "reason: expected forbidden, got none"])
        // An expected rule gets its own line.
        let denied = FieldDecision(field: "health.notes", outcome: .deny, reason: .forbidden, rule: "no-health")
        let rule = Expectation(field: "health.notes", outcome: .deny, reason: .consentMissing, rule: "x").differences(from: denied)
        #expect(rule.map(\.en) == ["reason: expected consent-missing, got forbidden", "rule: expected x, got no-health"])
    }
}
