import AuditLog
import ConsentRecords
import Foundation
import PolicyEngine
import Signing
import Testing
@testable import Gate

/// Review of the county's municipality list (`municipalities` in the policy bundle) where the gate records a name.
@Suite struct MunicipalityRecordingReviewTests {
    static let fast = PasswordHashing.Parameters(logN: 10, r: 8, p: 1)
    static let decomposed = "Ko\u{0308}nigswinter"
    static let composed = "K\u{00F6}nigswinter"

    /// A town the new bundle no longer lists: "accounts and people recorded there before stay" (policy diff). Their
    /// consents must still be withdrawable (GDPR Art. 7(3)); the withdrawal is recorded in the person's own
    /// municipality, as `consent withdraw` does by default. It was refused as `unknownMunicipality`.
    @Test func aConsentOfAPersonInARemovedMunicipalityCanStillBeWithdrawn() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        let (stored, _) = try gate.grantConsent(Fixture.grant(), actor: Fixture.actor)
        let path = try inst.policyCopy("without-troisdorf", edits: ["policy.yaml": [("Troisdorf, Wachtberg, Windeck]", "Wachtberg, Windeck]")]])
        try? FileManager.default.removeItem(atPath: path + "/tests")
        let changed = try inst.open(policy: path)
        #expect(!changed.policy.bundle.countyMunicipalities.admits("Troisdorf"))
        let (_, index) = try changed.withdrawConsent(id: stored.id, recordedBy: Fixture.caseManager, actor: Fixture.actor)
        #expect(index != nil)
        // A name that is neither listed nor the person's stays refused.
        let (other, _) = try gate.grantConsent(Fixture.grant(Fixture.adult("RSK-2022-000003")), actor: Fixture.actor)
        #expect(throws: GateError.self) {
            try changed.withdrawConsent(id: other.id, recordedBy: CaseManagerReference(caseManager: "x", municipality: "Trosdorf"),
                                        actor: Fixture.actor)
        }
    }

    /// Swift admits a decomposed (NFD) name as the listed composed one; SQLite compares bytes. A case worker's account
    /// and the municipality of a consent's audit entry must be stored in NFC, or the account's list of people and the
    /// DPO's municipality filter miss them.
    @Test func decomposedMunicipalitiesAreRecordedComposed() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        let created = try gate.addAccount(name: "cw.kw", role: .caseworker, municipality: Self.decomposed, password: nil,
                                          actor: Actor(id: "admin"), passwordParameters: Self.fast)
        #expect(Array((created.account.municipality ?? "").utf8) == Array(Self.composed.utf8))
        var subject = Fixture.adult()
        subject.municipality = Self.decomposed
        var request = Fixture.grant(subject)
        request.collectedBy = CaseManagerReference(caseManager: "cw.kw", municipality: Self.decomposed)
        let (stored, index) = try gate.grantConsent(request, actor: Actor(id: "cw.kw", municipality: Self.composed))
        let entry = try AuditEntry(bytes: gate.auditLog.entryBytes(index: index), context: "grant")
        #expect(Array((entry.municipality ?? "").utf8) == Array(Self.composed.utf8))
        let (_, withdrawn) = try gate.withdrawConsent(id: stored.id, recordedBy: CaseManagerReference(caseManager: "cw.kw", municipality: Self.decomposed),
                                                      actor: Actor(id: "cw.kw", municipality: Self.composed))
        let w = try AuditEntry(bytes: gate.auditLog.entryBytes(index: try #require(withdrawn)), context: "withdrawal")
        #expect(Array((w.municipality ?? "").utf8) == Array(Self.composed.utf8))
    }

    /// `consentgate check --municipality Trosdorf`: the stated municipality of a decision request filed the decision's
    /// audit entry under a town no DPO filter names (the CLI's actor has none). Refused like a grant naming it.
    @Test func aDecisionStatingAnUnknownMunicipalityIsRefusedAndNotLogged() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        let logged = try gate.auditLog.size()
        let request = CheckRequest(subject: "RSK-2026-000900", statedAttributes: Subject(id: "RSK-2026-000900", municipality: "Trosdorf"),
                                   partner: "jobcenter", purpose: "job-placement", fields: ["name.family"], at: nil)
        #expect(throws: GateError.self) { try gate.check(request, actor: Actor(id: "cli")) }
        #expect(try gate.auditLog.size() == logged)
        // A listed one is decided as before.
        let ok = CheckRequest(subject: "RSK-2026-000900", statedAttributes: Subject(id: "RSK-2026-000900", municipality: "Troisdorf"),
                              partner: "jobcenter", purpose: "job-placement", fields: ["name.family"], at: nil)
        _ = try gate.check(ok, actor: Actor(id: "cli"))
    }
}
