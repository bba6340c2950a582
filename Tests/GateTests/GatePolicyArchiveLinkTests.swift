import AuditLog
import Foundation
import PolicyEngine
import Testing
@testable import Gate

/// The policy archive holds what the loader reads, also through symbolic links the loader follows: a policy folder
/// configured as a link to the release in force (`policy -> releases/2026-12`), and files inside the bundle that are
/// links to other files inside it. Otherwise, once the policy changes, an older decision cannot be replayed with the
/// bundle that was in force (`audit explain`), nor the DPO's change page shown.
@Suite struct GatePolicyArchiveLinkTests {
    @Test func aPolicyFolderThatIsALinkIsArchivedWithItsFiles() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let release = try inst.policyCopy("release-2026-12")
        let link = inst.dir.appendingPathComponent("policy-in-force").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: release)
        let gate = try inst.open(policy: link)
        _ = try gate.grantConsent(Fixture.grant(), actor: Fixture.actor)
        let result = try gate.check(Fixture.jobcenterCheck(at: Fixture.time("2026-03-01T10:00:00Z")), actor: Fixture.actor)

        let changedPath = try inst.policyCopy("release-2027-01", edits: GatePolicyArchiveTests.citationEdit)
        let changed = try inst.open(policy: changedPath)
        let old = try #require(try changed.archivedPolicy(digest: gate.policy.digest))
        #expect(old.digest == gate.policy.digest)
        let replay = try changed.explainDecision(index: result.auditIndex)
        #expect(replay.reproduces, "archived differences: \(replay.differencesArchived)")
    }

    @Test func aTextFileThatIsALinkInsideTheBundleIsArchived() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let bundle = try inst.policyCopy("policy-linked-text")
        let texts = URL(fileURLWithPath: bundle).appendingPathComponent("texts")
        let shared = URL(fileURLWithPath: bundle).appendingPathComponent("shared-texts")
        try FileManager.default.createDirectory(at: shared, withIntermediateDirectories: true)
        try FileManager.default.moveItem(at: texts.appendingPathComponent("kim-beratung.en.md"),
                                         to: shared.appendingPathComponent("kim-beratung.en.md"))
        try FileManager.default.createSymbolicLink(atPath: texts.appendingPathComponent("kim-beratung.en.md").path,
                                                   withDestinationPath: "../shared-texts/kim-beratung.en.md")
        let gate = try inst.open(policy: bundle)
        #expect(gate.policy.digest == (try inst.open()).policy.digest, "the same texts, read through a link")

        let changedPath = try inst.policyCopy("policy-changed", edits: GatePolicyArchiveTests.citationEdit)
        let changed = try inst.open(policy: changedPath)
        let old = try #require(try changed.archivedPolicy(digest: gate.policy.digest))
        #expect(old.digest == gate.policy.digest)
    }
}

/// An archive written before links were followed stays incomplete under its digest (`INSERT OR IGNORE`, and the bundle
/// in force is archived only when it changes): opening with the bundle in force completes it.
@Suite struct GatePolicyArchiveRepairTests {
    @Test func anIncompleteArchiveOfTheBundleInForceIsCompletedOnOpen() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        let result = try gate.check(Fixture.jobcenterCheck(at: Fixture.time("2026-03-01T10:00:00Z")), actor: Fixture.actor)
        // What an older version archived for a policy folder that is a link: no files at all.
        try inst.sqlite("UPDATE policy_archive SET files = X'7B7D'")
        let entriesBefore = try gate.auditLog.size()

        let reopened = try inst.open()
        #expect(try reopened.auditLog.size() == entriesBefore, "completing the archive logs nothing")
        let changedPath = try inst.policyCopy("policy-changed", edits: GatePolicyArchiveTests.citationEdit)
        let changed = try inst.open(policy: changedPath)
        let old = try #require(try changed.archivedPolicy(digest: gate.policy.digest))
        #expect(old.digest == gate.policy.digest)
        #expect(try changed.explainDecision(index: result.auditIndex).reproduces)
    }
}
