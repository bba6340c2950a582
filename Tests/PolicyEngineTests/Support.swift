import Foundation
import Testing
@testable import PolicyEngine

/// Paths and helpers shared by the policy engine tests.
enum Fixture {
    static var root: URL { Bundle.module.url(forResource: "Fixtures", withExtension: nil)! }
    static func url(_ name: String) -> URL { root.appendingPathComponent(name) }
    /// The shipped bundle, relative to the package root.
    static var shipped: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("policies/kim-rhein-sieg")
    }
    static var sharedData: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("../shared/data").standardizedFileURL
    }
    static func small() throws -> CompiledPolicy { try CompiledPolicy.load(directory: url("small")) }

    /// A UTC time from `YYYY-MM-DDTHH:MM:SSZ`.
    static func t(_ s: String) -> Date { ISO8601DateFormatter().date(from: s)! }
    /// A UTC day.
    static func d(_ s: String) -> Date { t(s + "T00:00:00Z") }

    /// The problems of loading `directory` (empty if it loads).
    static func problems(_ directory: URL) -> [PolicyDiagnostic] {
        do { _ = try BundleLoader.load(directory: directory); return [] } catch { return error.diagnostics }
    }

    /// A consent fact of the small fixture's template `t` version 2.
    static func consent(_ id: String = "c1", clauses: [String], granted: String = "2026-01-01T00:00:00Z",
                        expires: String = "2026-12-31T00:00:00Z", withdrawn: String? = nil, guardian: Bool = false,
                        version: Int = 2, verification: ConsentFact.Verification = .verified) -> ConsentFact {
        ConsentFact(id: id, templateID: "t", templateVersion: version, clauses: clauses, grantedAt: t(granted),
                    expiresAt: t(expires), withdrawnAt: withdrawn.map(t), guardianPresent: guardian, verification: verification)
    }
}
