import AuditLog
import Foundation
import PolicyEngine
import Testing
@testable import Gate

/// `Gate.open` records `policy-loaded` exactly when the policy in force changes, and archives each bundle by digest.
@Suite struct GatePolicyArchiveTests {
    /// A copy of the shipped bundle with one rule's citation changed (a change that alters the digest only).
    static let citationEdit: [String: [(String, String)]] = [
        "rules.yaml": [("de: \"§ 67b Abs. 2 SGB X; Art. 9 Abs. 2 lit. a DSGVO\"",
                        "de: \"§ 67b Abs. 2 SGB X; Art. 9 Abs. 2 lit. a DSGVO (Fassung 2027)\"")],
    ]

    static func policyLoaded(_ gate: Gate) throws -> [PolicyLoadedRecord] {
        try gate.entries(kind: .policyLoaded).compactMap {
            if case let .policyLoaded(r) = $0.entry.content { return r } else { return nil }
        }
    }

    @Test func openingTwiceWithTheSamePolicyRecordsItOnce() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let first = try inst.open()
        let second = try inst.open()
        let loaded = try Self.policyLoaded(second)
        #expect(loaded.count == 1)
        #expect(loaded.first?.digest == first.policy.digest)
        #expect(loaded.first?.previousDigest == nil)
        #expect(loaded.first?.bundleID == first.policy.bundle.id && loaded.first?.version == first.policy.bundle.version)
        #expect(try second.auditLog.size() == 1 + Int64(second.trustStore.entries.count), "policy-loaded and the keys, once")
        try second.verifyAuditLog()
    }

    @Test func aChangedBundleIsRecordedAndArchived() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let original = try inst.open()
        let changedPath = try inst.policyCopy("policy-changed", edits: Self.citationEdit)
        let changed = try inst.open(policy: changedPath)
        #expect(changed.policy.digest != original.policy.digest)
        let loaded = try Self.policyLoaded(changed)
        #expect(loaded.map(\.digest) == [original.policy.digest, changed.policy.digest])
        #expect(loaded.last?.previousDigest == original.policy.digest)
        // The entry carries the digest of the policy in force at the time.
        #expect(try changed.entries(kind: .policyLoaded).last?.entry.policyDigest == changed.policy.digest)

        // Both bundles are in the archive, the old one retrievable after its folder is gone.
        try FileManager.default.removeItem(atPath: changedPath)
        let old = try #require(try changed.archivedPolicy(digest: original.policy.digest))
        #expect(old.digest == original.policy.digest)
        #expect(old.bundle.rules.first { $0.id == "jobcenter-health-consent" }?.citation
                == "§ 67b Abs. 2 SGB X; Art. 9 Abs. 2 lit. a DSGVO")
        let fromOriginal = try #require(try original.archivedPolicy(digest: changed.policy.digest))
        #expect(fromOriginal.digest == changed.policy.digest)
        #expect(fromOriginal.bundle.rules.first { $0.id == "jobcenter-health-consent" }?.citation
                == "§ 67b Abs. 2 SGB X; Art. 9 Abs. 2 lit. a DSGVO (Fassung 2027)")
        #expect(try changed.archivedPolicy(digest: "sha256:" + String(repeating: "0", count: 64)) == nil)
        try changed.verifyAuditLog()
    }

    /// A → B → A → A: three changes of the policy in force, so three `policy-loaded` entries; the last open
    /// changes nothing and must not record another.
    @Test func switchingBackToAnEarlierBundleIsRecordedOnceOnly() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let changedPath = try inst.policyCopy("policy-changed", edits: Self.citationEdit)
        let a = try inst.open()
        let b = try inst.open(policy: changedPath)
        _ = try inst.open()
        let again = try inst.open()
        let loaded = try Self.policyLoaded(again)
        #expect(loaded.map(\.digest) == [a.policy.digest, b.policy.digest, a.policy.digest],
                "policy-loaded entries: \(loaded.map(\.digest))")
        #expect(loaded.last?.previousDigest == b.policy.digest)
    }
}
