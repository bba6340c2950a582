import ConsentRecords
import Foundation
import PolicyEngine
import Testing
@testable import Gate

/// A consent never files a second person under another letter case of a recorded case id (API review M2, session 41):
/// case ids are compared as written, so `rsk-2022-000063` recorded in Lohmar beside Siegburg's `RSK-2022-000063` split
/// one person in two (consents, decisions, the Art. 15 report), and Siegburg's case worker was then refused that
/// spelling. A grant and an import are refused naming the recorded spelling; nothing is stored or logged.
@Suite struct CaseIDSpellingTests {
    static let recorded = "RSK-2022-000063"

    static func grant(_ id: String, in municipality: String) -> GrantRequest {
        GrantRequest(subject: Subject(id: id, birthDate: Fixture.day("1980-05-01"), municipality: municipality), templateID: "kim-beratung",
                     language: "de", clauses: ["jobcenter"], grantedAt: Fixture.grantedAt, validity: nil,
                     collectedBy: CaseManagerReference(caseManager: "cm.test", municipality: municipality), guardians: [])
    }

    @Test(arguments: [("rsk-2022-000063", "Lohmar"), ("Rsk-2022-000063", "Siegburg"), ("RSK-2022-000063", "Siegburg")])
    func aSecondSpellingIsRefused(spelling: String, municipality: String) throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        _ = try gate.grantConsent(Self.grant(Self.recorded, in: "Siegburg"), actor: Actor(id: "cm.siegburg.1", municipality: "Siegburg"))
        let logged = try gate.auditLog.size()
        let attempt = { try gate.grantConsent(Self.grant(spelling, in: municipality), actor: Actor(id: "cm.test", municipality: municipality)) }
        guard spelling != Self.recorded else {
            // The recorded spelling is the same person: a second consent for them, as ever.
            _ = try attempt()
            #expect(try gate.consents.list(subject: Self.recorded).count == 2)
            return
        }
        let refusal = GateError.caseIDSpelledOtherwise(field: "subject", given: spelling, recorded: Self.recorded)
        #expect(throws: refusal) { _ = try attempt() }
        #expect(refusal.category == .invalidInput, "exit 3, a 422 in the API")
        #expect(refusal.message(in: .en) == "subject: case id \"\(spelling)\" is recorded as \"RSK-2022-000063\"; case ids are compared letter for letter, and a second spelling would file a second person: write it as recorded")
        #expect(refusal.message(in: .de).hasPrefix("subject: Fall-ID \"\(spelling)\" ist als \"RSK-2022-000063\" erfasst;"))
        #expect(try gate.auditLog.size() == logged, "nothing logged")
        #expect(try gate.subject(id: spelling) == nil, "no second person")
        #expect(try gate.consents.list(subject: spelling).isEmpty, "no consent under the second spelling")
        #expect(try gate.subject(id: Self.recorded)?.municipality == "Siegburg")
    }

    /// A signed document naming another spelling (signed elsewhere, same trust store) is refused on import as well, and
    /// `consent verify` (the import's dry run) says so too; the document under the recorded spelling imports.
    @Test func anImportedDocumentUnderASecondSpellingIsRefused() throws {
        // Each signed by its own installation (one would refuse the second spelling).
        let document = { (id: String, municipality: String) throws -> [UInt8] in
            let source = try GateTestInstallation()
            defer { source.remove() }
            return try source.open().grantConsent(Self.grant(id, in: municipality), actor: Fixture.actor, now: Fixture.grantedAt).0.jws
        }
        let (lower, upper) = (try document("rsk-2022-000063", "Lohmar"), try document(Self.recorded, "Siegburg"))

        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        try gate.saveSubject(Subject(id: Self.recorded, birthDate: Fixture.day("1980-05-01"), municipality: "Siegburg"))
        let logged = try gate.auditLog.size()
        let refusal = GateError.caseIDSpelledOtherwise(field: "subject", given: "rsk-2022-000063", recorded: Self.recorded)
        #expect(throws: refusal) { _ = try gate.importConsentDocument(lower, actor: Fixture.actor, dryRun: true) }
        #expect(throws: refusal) { _ = try gate.importConsentDocument(lower, actor: Fixture.actor) }
        #expect(try gate.auditLog.size() == logged)
        #expect(try gate.consents.list(subject: "rsk-2022-000063").isEmpty)
        guard case .imported(.consent, _) = try gate.importConsentDocument(upper, actor: Fixture.actor) else {
            Issue.record("the recorded spelling did not import"); return
        }
        #expect(try gate.auditLog.size() == logged + 1)
    }

    /// The spelling recorded first is kept, whichever it is: ConsentGate does not decide that capitals are right.
    @Test func theFirstSpellingRecordedIsTheOneKept() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        _ = try gate.grantConsent(Self.grant("rsk-2022-000064", in: "Lohmar"), actor: Fixture.actor)
        #expect(throws: GateError.caseIDSpelledOtherwise(field: "subject", given: "RSK-2022-000064", recorded: "rsk-2022-000064")) {
            _ = try gate.grantConsent(Self.grant("RSK-2022-000064", in: "Lohmar"), actor: Fixture.actor)
        }
    }

    /// A person known by a stored consent alone (no person row: an older import) counts as recorded too; and a person
    /// already known under both spellings (an older installation's split) can still get consents under either.
    @Test func aStoredConsentCountsAndAnOlderSplitIsNotMadeWorse() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        _ = try gate.grantConsent(Self.grant(Self.recorded, in: "Siegburg"), actor: Fixture.actor)
        try gate.database.writer.write { db in try db.execute(sql: "DELETE FROM subject") }
        #expect(throws: GateError.caseIDSpelledOtherwise(field: "subject", given: "rsk-2022-000063", recorded: Self.recorded)) {
            _ = try gate.grantConsent(Self.grant("rsk-2022-000063", in: "Siegburg"), actor: Fixture.actor)
        }
        // The split as an older release left it: a person row under the second spelling.
        try gate.saveSubject(Subject(id: "rsk-2022-000063", birthDate: Fixture.day("1980-05-01"), municipality: "Siegburg"))
        _ = try gate.grantConsent(Self.grant("rsk-2022-000063", in: "Siegburg"), actor: Fixture.actor)
        _ = try gate.grantConsent(Self.grant(Self.recorded, in: "Siegburg"), actor: Fixture.actor)
        #expect(try gate.consents.list(subject: "rsk-2022-000063").count == 1)
        #expect(try gate.consents.list(subject: Self.recorded).count == 2)
    }
}
