import ConsentRecords
import Diagnostics
import Foundation
import PolicyEngine
import Signing
import Testing
@testable import Gate

/// A county bumps a consent template (`kim-erklaerung-2022` 1 → 2). Consents signed on version 1 stay valid when the
/// bundle keeps version 1 under `earlier-versions`, and are read against version 1; without it they become
/// `consent-invalid` (as the contract says: the template version must exist). New consents use the current version
/// only. On a real SQLite database with the shipped demo keys.
@Suite struct GateEarlierTemplateVersionTests {
    static let template = "kim-erklaerung-2022"
    /// Version 1 as shipped (lines of `consent-templates.yaml`), and version 2: the job centre clause narrowed to
    /// identity only (no address any more), a new language-course clause.
    static let versionOneClauses = """
        clauses:
          - id: jugendamt
            partners: [jugendamt]
            purposes: [child-welfare]
            categories: [identity, address, household, health]
          - id: jobcenter
            partners: [jobcenter]
            purposes: [job-placement]
            categories: [identity, address, contact]
    """
    static let versionTwoClauses = """
        clauses:
          - id: jobcenter
            partners: [jobcenter]
            purposes: [job-placement]
            categories: [identity]
          - id: sprachkurs
            partners: [sprachkurstraeger]
            purposes: [language-course]
            categories: [identity, contact, language]
    """
    static let versionOne = """
        earlier-versions:
          - version: 1
            languages:
              de: {file: texts/kim-erklaerung-2022.de.md}
              en: {file: texts/kim-erklaerung-2022.en.md}
            minimum-age: 16
            max-validity: P2Y
            clauses:
              - {id: jugendamt, partners: [jugendamt], purposes: [child-welfare], categories: [identity, address, household, health]}
              - {id: jobcenter, partners: [jobcenter], purposes: [job-placement], categories: [identity, address, contact]}

    """

    /// The shipped template's retirement (`recordable-until` on its current version): these tests model a county that
    /// bumps the template instead, so their bundles drop it (the shipped one refuses grants signed after 2022).
    static let retirement = ("    recordable-until: 2022-12-31\n", "")

    /// The shipped bundle with `kim-erklaerung-2022` not retired (still taking new consents), as before it was.
    static func unretired(_ inst: GateTestInstallation) throws -> String {
        try inst.policyCopy("unretired", edits: ["consent-templates.yaml": [retirement]])
    }

    /// The shipped bundle with `kim-erklaerung-2022` bumped to 2 (new clauses, not retired), keeping version 1 when `keep`.
    static func bumped(_ inst: GateTestInstallation, keep: Bool) throws -> String {
        try inst.policyCopy(keep ? "bumped-keeping-1" : "bumped", edits: ["consent-templates.yaml": [
            retirement, ("    version: 1\n", "    version: 2\n"),
            (versionOneClauses + "\n", versionTwoClauses + "\n" + (keep ? versionOne : "")),
        ]])
    }

    static func check(_ gate: Gate, fields: [String]) throws -> [String: String] {
        let result = try gate.check(Fixture.jobcenterCheck(fields: fields, at: Fixture.time("2026-03-01T10:00:00Z")), actor: Fixture.actor)
        return Dictionary(uniqueKeysWithValues: result.decision.fields.map {
            ($0.field, $0.outcome == .permit ? "permit/\($0.consent?.clause ?? "")" : $0.reason?.rawValue ?? "deny")
        })
    }

    @Test(arguments: [true, false])
    func consentsOnTheOldVersionAfterABump(keep: Bool) throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let before = try inst.open(policy: try Self.unretired(inst))
        let (stored, _) = try before.grantConsent(Fixture.grant(template: Self.template, clauses: ["jobcenter"]), actor: Fixture.actor)
        #expect(stored.templateVersion == 1)
        let fields = ["name.family", "address.street"]
        #expect(try Self.check(before, fields: fields) == ["name.family": "permit/jobcenter", "address.street": "permit/jobcenter"])

        let after = try inst.open(policy: try Self.bumped(inst, keep: keep))
        #expect(after.policy.bundle.template(Self.template)?.version == 2)
        let status = try after.consents.show(id: stored.id, subjectBirthDate: Fixture.adult().birthDate)
        if keep {
            // Read against version 1: its job centre clause still covers the address, which version 2's does not.
            #expect(status.failures.isEmpty, "\(status.failures)")
            #expect(status.state(at: Fixture.time("2026-03-01T10:00:00Z")) == .active)
            #expect(try Self.check(after, fields: fields) == ["name.family": "permit/jobcenter", "address.street": "permit/jobcenter"])
        } else {
            #expect(status.failures.contains { $0.message(in: .en).contains("kim-erklaerung-2022") }, "\(status.failures)")
            // Denied as invalid. (The address is denied too; its reason is `consent-missing`, since the evaluator reads
            // the claimed clauses of a consent on a version no longer held against the newest version, whose job
            // centre clause no longer covers the address: behaviour from before earlier versions existed.)
            let got = try Self.check(after, fields: fields)
            #expect(got["name.family"] == "consent-invalid" && got["address.street"]?.hasPrefix("permit") == false, "\(got)")
        }
    }

    /// A consent on version 1 citing a clause only version 2 has is refused (verification reads version 1's clauses);
    /// one citing a clause only version 1 has is accepted.
    @Test func aClauseIsCheckedAgainstTheConsentsOwnVersion() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open(policy: try Self.bumped(inst, keep: true))
        let key = try gate.signingKey(for: .consentSigner, at: Date(), documentTime: Fixture.grantedAt).privateKey
        func document(_ clauses: [String]) throws(ConsentError) -> [UInt8] {
            let declaration = ConsentDeclaration(subject: Fixture.subjectID, template: .init(id: Self.template, version: 1), language: "de",
                                   clauses: clauses, grantedAt: Fixture.grantedAt, expiresAt: Fixture.time("2027-01-10T09:00:00Z"),
                                   collectedBy: Fixture.caseManager, guardians: [])
            let signed: SignedConsent = try declaration.signed(with: key)
            return signed.bytes
        }
        let refused = #expect(throws: (any Error).self) {
            try gate.importConsentDocument(try document(["sprachkurs"]), birthDate: Fixture.adult().birthDate, actor: Fixture.actor)
        }
        let words = (refused as? any UserFacingError)?.message(in: .en) ?? ""
        #expect(words.contains("clause \"sprachkurs\" is not in template \"kim-erklaerung-2022\" version 1"), "\(String(describing: refused))")
        let outcome = try gate.importConsentDocument(try document(["jobcenter"]), birthDate: Fixture.adult().birthDate, actor: Fixture.actor)
        guard case .imported = outcome else { Issue.record("not imported: \(outcome)"); return }
        #expect(try Self.check(gate, fields: ["address.street"]) == ["address.street": "permit/jobcenter"])
    }

    /// New consents are given on the current version: by default, and naming it; naming the earlier version is
    /// refused with a message naming the current one, in German and English; a version never held is unknown.
    @Test func grantUsesTheCurrentVersionAndRefusesAnEarlierOne() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open(policy: try Self.bumped(inst, keep: true))
        let (newest, _) = try gate.grantConsent(Fixture.grant(template: Self.template, clauses: ["sprachkurs"]), actor: Fixture.actor)
        #expect(newest.templateVersion == 2)
        var named = Fixture.grant(Fixture.adult("RSK-2022-000003"), template: Self.template, clauses: ["sprachkurs"])
        named.templateVersion = 2
        #expect(try gate.grantConsent(named, actor: Fixture.actor).0.templateVersion == 2)

        var earlier = Fixture.grant(Fixture.adult("RSK-2022-000004"), template: Self.template, clauses: ["jobcenter"])
        earlier.templateVersion = 1
        let error = #expect(throws: GateError.self) { try gate.grantConsent(earlier, actor: Fixture.actor) }
        #expect(error == .earlierTemplateVersion(Self.template, version: 1, current: 2))
        #expect(error?.message(in: .en).contains("new consents are given on the current version v2") == true)
        #expect(error?.message(in: .de).contains("neue Einwilligungen werden auf der aktuellen Version v2 erteilt") == true)
        #expect(try gate.consents.list(subject: "RSK-2022-000004").isEmpty, "nothing stored")

        var unknown = earlier
        unknown.templateVersion = 7
        // Named with the versions held (was `unknownTemplate`, which named neither).
        #expect(throws: GateError.templateVersionNotHeld(Self.template, version: 7, current: 2, earlier: [1])) {
            try gate.grantConsent(unknown, actor: Fixture.actor)
        }
    }

    /// `audit explain` re-evaluates a logged decision with the bundle archived under its digest. The consents must then
    /// be read against that bundle's templates too: a decision made on version 1, replayed after the template was bumped
    /// without keeping version 1 (or after version 1 was dropped from `earlier-versions`), reproduces with the archived
    /// bundle (the log is in order), and only today's policy answers `consent-invalid`. Before, the consents were
    /// verified against today's templates only, so the archived replay said `consent-invalid` and the DPO was told the
    /// logged decision does not reproduce.
    @Test(arguments: [false, true])
    func explainReadsConsentsAgainstTheArchivedBundle(droppedLater: Bool) throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        // Decided under version 1 (the shipped bundle), or under version 2 keeping version 1.
        let first = droppedLater ? try inst.open(policy: try Self.bumped(inst, keep: true)) : try inst.open(policy: try Self.unretired(inst))
        let (stored, _) = try first.grantConsent(Fixture.grant(template: Self.template, clauses: ["jobcenter"]), actor: Fixture.actor)
        #expect(stored.templateVersion == (droppedLater ? 2 : 1))
        // For the earlier version, a consent on version 1 is imported (the grant takes the current version only).
        let consentOnOne: String
        if droppedLater {
            let key = try first.signingKey(for: .consentSigner, at: Date(), documentTime: Fixture.grantedAt).privateKey
            let declaration = ConsentDeclaration(subject: "RSK-2022-000005", template: .init(id: Self.template, version: 1), language: "de",
                                                 clauses: ["jobcenter"], grantedAt: Fixture.grantedAt, expiresAt: Fixture.time("2027-01-10T09:00:00Z"),
                                                 collectedBy: Fixture.caseManager, guardians: [])
            let signed: SignedConsent = try declaration.signed(with: key)
            _ = try first.importConsentDocument(signed.bytes, birthDate: Fixture.adult().birthDate, actor: Fixture.actor)
            consentOnOne = declaration.idText
        } else {
            consentOnOne = stored.id
        }
        let subject = droppedLater ? "RSK-2022-000005" : Fixture.subjectID
        let request = Fixture.jobcenterCheck(subject, fields: ["name.family", "address.street"], at: Fixture.time("2026-03-01T10:00:00Z"))
        let decided = try first.check(request, actor: Fixture.actor)
        #expect(decided.decision.fields.allSatisfy { $0.outcome == .permit && $0.consent?.id == consentOnOne }, "\(decided.decision.fields)")

        let later = try inst.open(policy: try Self.bumped(inst, keep: false))
        let replay = try later.explainDecision(index: decided.auditIndex)
        #expect(replay.withArchivedPolicy != nil, "the bundle in force at the decision is archived")
        #expect(replay.reproduces, "archived: \(String(describing: replay.withArchivedPolicy?.fields)); differences \(replay.differencesArchived)")
        #expect(!replay.sameToday && replay.withCurrentPolicy.fields.first?.reason == .consentInvalid,
                "today version 1 is no longer held: \(replay.withCurrentPolicy.fields)")
    }
}
