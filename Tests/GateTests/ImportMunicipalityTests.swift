import AuditLog
import ConsentRecords
import Foundation
import PolicyEngine
import Signing
import Testing
@testable import Gate

/// `consent import` records the municipalities its signed document names, as a grant or a withdrawal made here would:
/// a consent collected in `Trosdorf` (signed by an installation whose bundle listed no municipalities) was stored and
/// logged, while `consent grant --municipality Trosdorf` is refused. The same rules now hold for both: a consent's
/// `collected-by.municipality` must be one of the county's; a withdrawal's `recorded-by.municipality` one of the
/// county's or the person's own recorded municipality, also after the bundle stopped listing it.
@Suite struct ImportMunicipalityTests {
    /// The shipped bundle's list, as `policy.yaml` writes it.
    static let listed = "municipalities: [Alfter, Bad Honnef, Bornheim, Eitorf, \"Hennef (Sieg)\", Königswinter, Lohmar, Meckenheim, Much,\n"
        + "                 Neunkirchen-Seelscheid, Niederkassel, Rheinbach, Ruppichteroth, Sankt Augustin, Siegburg, Swisttal,\n"
        + "                 Troisdorf, Wachtberg, Windeck]"

    /// A consent signed by an installation (same trust store) whose bundle lists no municipalities, collected in `town`.
    static func documentCollected(in town: String, subject: String = Fixture.subjectID) throws -> [UInt8] {
        let source = try GateTestInstallation()
        defer { source.remove() }
        let unlisted = try source.policyCopy("unlisted", edits: ["policy.yaml": [(listed, "")]])
        try? FileManager.default.removeItem(atPath: unlisted + "/tests")
        var request = Fixture.grant(Fixture.adult(subject))
        request.collectedBy = CaseManagerReference(caseManager: "cm.elsewhere", municipality: town)
        return try source.open(policy: unlisted).grantConsent(request, actor: Fixture.actor, now: Fixture.grantedAt).0.jws
    }

    @Test func aConsentCollectedInAnUnlistedMunicipalityIsRefusedAsAGrantIs() throws {
        let document = try Self.documentCollected(in: "Trosdorf")
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        let logged = try gate.auditLog.size()
        let known = gate.policy.bundle.countyMunicipalities.sorted
        let refusal = GateError.unknownMunicipality(field: "collected-by.municipality", name: "Trosdorf", suggestions: ["Troisdorf"], known: known)
        #expect(throws: refusal) {
            try gate.importConsentDocument(document, birthDate: Fixture.day("1948-07-18"), actor: Fixture.actor)
        }
        #expect(refusal.category == .invalidInput, "exit 3, as a grant naming the town")
        #expect(refusal.message(in: .de).contains("gemeint ist wohl \"Troisdorf\""))
        #expect(refusal.message(in: .en).contains("did you mean \"Troisdorf\""))
        // Nothing stored or logged: neither the document nor the birth date given with it.
        #expect(try gate.consents.record(id: try SignedConsent(bytes: document).content.idText) == nil)
        #expect(try gate.subject(id: Fixture.subjectID) == nil)
        #expect(try gate.auditLog.size() == logged)
        // A document collected in a listed town imports as before.
        let listed = try Self.documentCollected(in: "Troisdorf", subject: "RSK-2022-000003")
        guard case .imported(.consent, _) = try gate.importConsentDocument(listed, actor: Fixture.actor) else {
            Issue.record("not imported"); return
        }
        #expect(try gate.auditLog.size() == logged + 1)
    }

    /// A town the bundle stopped listing: a withdrawal recorded there imports for a person recorded there (their
    /// consent stays withdrawable, as `withdrawConsent` allows), not for a person of another municipality; a consent
    /// collected there is refused as a grant there would be.
    @Test func aRemovedMunicipalityFollowsTheRulesOfGrantAndWithdrawal() throws {
        let source = try GateTestInstallation()
        defer { source.remove() }
        let sourceGate = try source.open()
        var documents: [(consent: [UInt8], withdrawal: [UInt8])] = []
        for id in ["RSK-2022-000002", "RSK-2022-000003", "RSK-2022-000004"] {
            let (stored, _) = try sourceGate.grantConsent(Fixture.grant(Fixture.adult(id)), actor: Fixture.actor, now: Fixture.grantedAt)
            _ = try sourceGate.withdrawConsent(id: stored.id, recordedBy: Fixture.caseManager, actor: Fixture.actor)
            let withdrawal = try #require(try sourceGate.consents.record(id: stored.id)?.wholeWithdrawal?.jws)
            documents.append((stored.jws, withdrawal))
        }
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let before = try inst.open()
        for d in documents.prefix(2) { _ = try before.importConsentDocument(d.consent, actor: Fixture.actor) }
        _ = try before.saveSubject(Subject(id: "RSK-2022-000002", municipality: "Troisdorf"))
        _ = try before.saveSubject(Subject(id: "RSK-2022-000003", municipality: "Siegburg"))
        let path = try inst.policyCopy("without-troisdorf", edits: ["policy.yaml": [("Troisdorf, Wachtberg, Windeck]", "Wachtberg, Windeck]")]])
        try? FileManager.default.removeItem(atPath: path + "/tests")
        let gate = try inst.open(policy: path)
        let known = gate.policy.bundle.countyMunicipalities.sorted
        let logged = try gate.auditLog.size()
        // The person's own municipality: the withdrawal counts.
        #expect(try gate.importConsentDocument(documents[0].withdrawal, actor: Fixture.actor)
                == .imported(.withdrawal, consentID: try SignedConsent(bytes: documents[0].consent).content.idText))
        #expect(try gate.auditLog.size() == logged + 1)
        // A person of Siegburg: a withdrawal recorded in Troisdorf is refused, nothing stored or logged.
        let consent1 = try SignedConsent(bytes: documents[1].consent).content.idText
        #expect(throws: GateError.unknownMunicipality(field: "recorded-by.municipality", name: "Troisdorf",
                                                      suggestions: [], known: known)) {
            try gate.importConsentDocument(documents[1].withdrawal, actor: Fixture.actor)
        }
        #expect(try gate.consents.record(id: consent1)?.wholeWithdrawal == nil)
        #expect(try gate.auditLog.size() == logged + 1)
        // A consent collected in Troisdorf: refused as `consent grant --municipality Troisdorf` is now.
        #expect(throws: GateError.unknownMunicipality(field: "collected-by.municipality", name: "Troisdorf",
                                                      suggestions: [], known: known)) {
            try gate.importConsentDocument(documents[2].consent, actor: Fixture.actor)
        }
        #expect(try gate.auditLog.size() == logged + 1)
        // A document already present is reported as such, not refused.
        #expect(try gate.importConsentDocument(documents[0].consent, actor: Fixture.actor)
                == .alreadyPresent(.consent, consentID: try SignedConsent(bytes: documents[0].consent).content.idText))
    }

    /// A person ConsentGate has no municipality for is filed where their imported consent was collected, as a grant
    /// there would file them (a known person without one belongs to no case worker, docs/web.md); a person recorded
    /// elsewhere keeps their municipality, and an import that is refused files nobody.
    @Test func anImportedConsentFilesAPersonWithoutMunicipalityWhereItWasCollected() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        // Unknown person: filed in Troisdorf (with the birth date given).
        _ = try gate.importConsentDocument(try Self.documentCollected(in: "Troisdorf", subject: "RSK-2022-000011"),
                                           birthDate: Fixture.day("1948-07-18"), actor: Fixture.actor)
        let filed = try #require(try gate.subject(id: "RSK-2022-000011"))
        #expect(filed.municipality == "Troisdorf" && filed.birthDate == Fixture.day("1948-07-18"))
        // A person row without municipality (and without a birth date given): filed too.
        _ = try gate.saveSubject(Subject(id: "RSK-2022-000012", birthDate: Fixture.day("1948-07-18")))
        _ = try gate.importConsentDocument(try Self.documentCollected(in: "Königswinter".decomposedStringWithCanonicalMapping,
                                                                      subject: "RSK-2022-000012"), actor: Fixture.actor)
        #expect(try gate.subject(id: "RSK-2022-000012")?.municipality == "Königswinter", "in NFC, as every municipality recorded")
        // A person of Siegburg stays in Siegburg when a consent collected in Troisdorf is imported.
        _ = try gate.saveSubject(Subject(id: "RSK-2022-000013", municipality: "Siegburg"))
        _ = try gate.importConsentDocument(try Self.documentCollected(in: "Troisdorf", subject: "RSK-2022-000013"), actor: Fixture.actor)
        #expect(try gate.subject(id: "RSK-2022-000013")?.municipality == "Siegburg")
        // Refused (unlisted town): nobody filed.
        _ = try? gate.importConsentDocument(try Self.documentCollected(in: "Trosdorf", subject: "RSK-2022-000014"), actor: Fixture.actor)
        #expect(try gate.subject(id: "RSK-2022-000014") == nil)
    }

    /// A person an older installation left without a municipality (their imported consent stored, no person row or one
    /// without a municipality) belongs to no case worker; docs/web.md names importing a consent of theirs as one way to
    /// place them. Importing the consent already stored is such an import: it files the person where that consent was
    /// collected (nothing new stored or logged, a person recorded elsewhere stays). Before, "already present" left them
    /// unplaced, so the remedy an administrator would try first did nothing.
    @Test(arguments: ["DELETE FROM subject WHERE id = 'RSK-2022-000015'",
                      "UPDATE subject SET municipality = NULL WHERE id = 'RSK-2022-000015'"])
    func importingAStoredConsentAgainFilesAnUnplacedPerson(unplacing: String) throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        let document = try Self.documentCollected(in: "Troisdorf", subject: "RSK-2022-000015")
        _ = try gate.importConsentDocument(document, birthDate: Fixture.day("1948-07-18"), actor: Fixture.actor)
        try inst.sqlite(unplacing)
        #expect(try gate.subject(id: "RSK-2022-000015")?.municipality == nil)
        let logged = try gate.auditLog.size()
        let id = try SignedConsent(bytes: document).content.idText
        #expect(try gate.importConsentDocument(document, actor: Fixture.actor) == .alreadyPresent(.consent, consentID: id))
        #expect(try gate.subject(id: "RSK-2022-000015")?.municipality == "Troisdorf")
        #expect(try gate.auditLog.size() == logged, "nothing logged for a document already present")
        // A person recorded elsewhere meanwhile is not moved by importing it again.
        try inst.sqlite("UPDATE subject SET municipality = 'Siegburg' WHERE id = 'RSK-2022-000015'")
        _ = try gate.importConsentDocument(document, actor: Fixture.actor)
        #expect(try gate.subject(id: "RSK-2022-000015")?.municipality == "Siegburg")
    }
}
