import Diagnostics

/// Runs a bundle's `tests/*.yaml` cases through the compiled policy (the same `decide` every caller uses).
public enum PolicyTestRunner {
    /// The result of every case, in file order.
    public static func run(_ policy: CompiledPolicy) -> [PolicyTestResult] {
        policy.bundle.tests.map { run($0, policy: policy) }
    }

    /// Runs one case.
    public static func run(_ test: PolicyTestCase, policy: CompiledPolicy) -> PolicyTestResult {
        let decision = policy.decide(test.request, consents: test.consents)
        var failures: [(field: String, differences: [LocalizedText])] = []
        for (expectation, actual) in zip(test.expectations, decision.fields) {
            let diff = expectation.differences(from: actual)
            if !diff.isEmpty { failures.append((expectation.field, diff)) }
        }
        return PolicyTestResult(name: test.name, location: test.location, failures: failures)
    }
}
