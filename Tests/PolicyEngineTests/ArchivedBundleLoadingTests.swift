import Foundation
import Testing
@testable import PolicyEngine

/// A bundle from the policy archive was in force when it was stored and is read again to replay decisions made under
/// it (`audit explain`, the Art. 15 report's citations). Checks added to the loader since must not refuse it: it is
/// read as it was then (`BundleLoader.load(directory:archived:)`), with the same rules, conditions and digest, and its
/// `tests/` are not read. A bundle in force now still gets every check.
@Suite struct ArchivedBundleLoadingTests {
    /// Each later check, as a change of the `small` fixture that it refuses, and what the bundle held before the check.
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let replacements: [(String, String)]
        /// The problem codes a bundle in force gets.
        let codes: [String]
        /// What the archived reading must give, checked on the loaded bundle.
        let holds: @Sendable (PolicyBundle) -> Bool
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "a forbid rule's basis (2026-12-05)",
             replacements: [("fields: [health.notes], citation: \"§ 88 Test\"}", "fields: [health.notes], basis: consent, citation: \"§ 88 Test\"}")],
             codes: ["invalid-value"],
             holds: { $0.rules.first { $0.id == "office-no-health" }?.basis == .consent }),
        Case(name: "a when that states nothing (2026-12-05)",
             replacements: [("when: {age: {lt: 18}}, basis", "when: {}, basis")],
             codes: ["missing-key"],
             holds: { $0.rules.first { $0.id == "office-children" }?.when.isAlways == true }),
        Case(name: "comparisons that exclude each other (2026-12-05)",
             replacements: [("when: {age: {lt: 18}}, basis", "when: {age: {gt: 5, lt: 6}}, basis")],
             codes: ["invalid-value"],
             holds: { $0.rules.first { $0.id == "office-children" }?.when.text.contains("5") == true }),
        Case(name: "an attribute without a comparison (2026-12-03)",
             replacements: [("when: {age: {lt: 18}}, basis", "when: {age: {}}, basis")],
             codes: ["missing-key"],
             holds: { $0.rules.first { $0.id == "office-children" } != nil }),
    ]

    @Test(arguments: cases)
    func aLaterCheckDoesNotRefuseAnArchivedBundle(_ c: Case) throws {
        let bundle = try TempBundle(replacing: c.replacements)
        defer { bundle.remove() }
        #expect(bundle.problems.map(\.code) == c.codes, "in force: \(bundle.problems)")
        let archived = try BundleLoader.load(directory: bundle.url, archived: true)
        #expect(c.holds(archived), "\(archived.rules)")
        // The digest is the one of the bundle as read: reading the archive twice gives it again.
        let compiled = try CompiledPolicy.load(directory: bundle.url, archived: true)
        #expect(compiled.digest == BundleDigest.digest(of: archived))
    }

    /// Test cases are read for `policy test`, not for replaying: an archived bundle's broken `tests/` file does not
    /// refuse it, and its tests are left out.
    @Test func anArchivedBundlesTestsAreNotRead() throws {
        let bundle = try TempBundle()
        defer { bundle.remove() }
        try bundle.write("tests/broken.yaml", "cases:\n  - name: [not, a, name\n")
        #expect(!bundle.problems.isEmpty, "in force, the broken test file is refused")
        let archived = try BundleLoader.load(directory: bundle.url, archived: true)
        #expect(archived.tests.isEmpty)
        #expect(BundleDigest.digest(of: archived) == BundleDigest.digest(of: try BundleLoader.load(directory: Fixture.url("small"))),
                "tests are not part of the digest")
    }

    /// Everything else is still checked in the archive: a rule without a citation (a check as old as the loader).
    @Test func olderChecksStillRefuseAnArchivedBundle() throws {
        let bundle = try TempBundle(replacing: [(", citation: \"§ 88 Test\"}", "}")])
        defer { bundle.remove() }
        #expect(throws: PolicyError.self) { try BundleLoader.load(directory: bundle.url, archived: true) }
    }
}
