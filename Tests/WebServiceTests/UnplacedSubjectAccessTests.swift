import ChildProcess
import ConsentRecords
import Foundation
import Gate
import Hummingbird
import HummingbirdTesting
import Testing
@testable import WebService

/// The municipality rule takes a person ConsentGate knows nothing about as one of the case worker's own municipality
/// (a new case). It took a person it does know, but without a recorded municipality, the same way: typically one
/// whose consent, collected in Troisdorf, was imported from another installation (`consent import` used to record the
/// birth date at most, never the municipality; it now files a person without one where the consent was collected). A
/// case worker of Siegburg could then check that person (the decision names their consents and clauses) and record a
/// consent for them, which filed the person under Siegburg: from then on Siegburg saw every consent of the person,
/// Troisdorf none. A person of whom anything is stored (a person row or a consent) but no municipality now belongs to
/// no case worker: 403 `other-municipality`, as another municipality's. Such a person is made here as an older
/// installation left them: the imported consent's person row without its municipality, or no person row at all.
@Suite struct UnplacedSubjectAccessTests {
    static let birth = Date(timeIntervalSince1970: 631_152_000)   // 1990-01-01

    /// A consent for `subject` collected in Troisdorf by another installation (same trust store), as its JWS.
    static func importedDocument(subject: String) throws -> [UInt8] {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cg-source-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let source = try Gate.open(GateConfiguration(databasePath: dir.appendingPathComponent("source.sqlite").path,
                                                     policyDirectory: WebFixture.root.appendingPathComponent("policies/kim-rhein-sieg").path,
                                                     trustFile: WebFixture.root.appendingPathComponent("keys/trust.yaml").path, demoMode: true))
        let (stored, _) = try source.grantConsent(
            GrantRequest(subject: Subject(id: subject, birthDate: birth, municipality: "Troisdorf"), templateID: "kim-beratung",
                         language: "de", clauses: ["jobcenter"], grantedAt: Date().addingTimeInterval(-86_400),
                         collectedBy: CaseManagerReference(caseManager: "cm.troisdorf", municipality: "Troisdorf")),
            actor: Actor(id: "cm.troisdorf", municipality: "Troisdorf"))
        return stored.jws
    }

    static func check(_ subject: String) -> ByteBuffer {
        ByteBuffer(string: #"{"subject": ""# + subject + #"", "partner": "jobcenter", "purpose": "job-placement", "fields": ["name.family"]}"#)
    }

    static func grant(_ subject: String) -> ByteBuffer {
        ByteBuffer(string: #"{"subject": ""# + subject + #"", "attributes": {"birth-date": "1990-01-01"}, "template": "kim-beratung", "language": "de", "clauses": ["jobcenter"], "guardians": []}"#)
    }

    /// Runs SQL on the fixture's database with the stock `sqlite3` command: a change behind ConsentGate's back.
    static func sqlite(_ fixture: WebFixture, _ sql: String) throws {
        let r = try Spawn.run("/usr/bin/env", ["sqlite3", "-cmd", ".timeout 10000", fixture.database.path, sql],
                              stdout: .inherit, stderr: .inherit)
        try #require(r.status == 0)
    }

    @Test(arguments: [(true, "UPDATE subject SET municipality = NULL WHERE id = 'RSK-2022-000700'"),
                      (false, "UPDATE subject SET municipality = NULL WHERE id = 'RSK-2022-000700'"),
                      (false, "DELETE FROM subject WHERE id = 'RSK-2022-000700'")])
    func aKnownPersonWithoutMunicipalityIsNoCaseWorkersOwn(withBirthDate: Bool, unplacing: String) async throws {
        let fixture = try WebFixture()   // test-caseworker: Siegburg
        defer { fixture.remove() }
        let gate = fixture.environment.gate
        let subject = "RSK-2022-000700"
        _ = try gate.importConsentDocument(try Self.importedDocument(subject: subject), birthDate: withBirthDate ? Self.birth : nil,
                                           actor: Actor(id: "admin"))
        #expect(try gate.subject(id: subject)?.municipality == "Troisdorf", "filed where the consent was collected")
        try Self.sqlite(fixture, unplacing)
        #expect(try gate.subject(id: subject)?.municipality == nil)
        let siegburg = jsonHeaders(try #require(fixture.tokens["caseworker"]))
        try await fixture.application().test(.router) { client in
            let size = try gate.auditLog.size()
            let checked = try await client.execute(uri: "/v1/decisions", method: .post, headers: siegburg, body: Self.check(subject))
            #expect(checked.status == .forbidden && checked.errorCode == "other-municipality", "\(checked.text)")
            let granted = try await client.execute(uri: "/v1/consents", method: .post, headers: siegburg, body: Self.grant(subject))
            #expect(granted.status == .forbidden && granted.errorCode == "other-municipality", "\(granted.text)")
            #expect(try gate.subject(id: subject)?.municipality == nil, "the person was filed under the case worker's municipality")
            #expect(try gate.consents.list(subject: subject).count == 1)
            #expect(try gate.auditLog.size() == size, "nothing decided or recorded")
            // A person ConsentGate knows nothing about is still a new case of the case worker's municipality.
            let fresh = try await client.execute(uri: "/v1/decisions", method: .post, headers: siegburg, body: Self.check("RSK-2022-000701"))
            #expect(fresh.status == .ok, "\(fresh.text)")
            let recorded = try await client.execute(uri: "/v1/consents", method: .post, headers: siegburg, body: Self.grant("RSK-2022-000701"))
            #expect(recorded.status == .created, "\(recorded.text)")
            #expect(try gate.subject(id: "RSK-2022-000701")?.municipality == "Siegburg")
        }
    }

    /// The list of a person's consents (`GET /v1/subjects/{id}/consents`) follows the same rule as the check, the grant
    /// and a single consent's page: a person with stored consents but no person record (as older imports left them)
    /// belongs to no case worker. Before, the list took "no person record" for "nothing to show" and gave any
    /// municipality's case worker every such consent (id, template, clauses, state), while the consent itself was 403.
    @Test func theConsentListOfAPersonWithoutMunicipalityIsNoCaseWorkersEither() async throws {
        let fixture = try WebFixture()   // test-caseworker: Siegburg
        defer { fixture.remove() }
        let gate = fixture.environment.gate
        let subject = "RSK-2022-000702"
        _ = try gate.importConsentDocument(try Self.importedDocument(subject: subject), actor: Actor(id: "admin"))
        try Self.sqlite(fixture, "DELETE FROM subject WHERE id = '\(subject)'")
        #expect(try gate.subject(id: subject) == nil)
        let consentID = try #require(try gate.consents.list(subject: subject).first?.id)
        let siegburg = jsonHeaders(try #require(fixture.tokens["caseworker"]))
        try await fixture.application().test(.router) { client in
            let one = try await client.execute(uri: "/v1/consents/\(consentID)", method: .get, headers: siegburg)
            #expect(one.status == .forbidden && one.errorCode == "other-municipality", "\(one.text)")
            let list = try await client.execute(uri: "/v1/subjects/\(subject)/consents", method: .get, headers: siegburg)
            #expect(list.status == .forbidden && list.errorCode == "other-municipality", "\(list.text)")
            #expect(!list.text.contains(consentID), "the list named the consent")
            // A person ConsentGate knows nothing about still has an empty list, as before.
            let fresh = try await client.execute(uri: "/v1/subjects/RSK-2022-000703/consents", method: .get, headers: siegburg)
            #expect(fresh.status == .ok && fresh.text == "[]", "\(fresh.text)")
        }
    }
}
