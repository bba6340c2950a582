import Foundation
import Gate
import Hummingbird
import HummingbirdTesting
import Testing
@testable import WebService

/// `POST /v1/consents` answers the consent's state as a following `GET` shows it: the birth date on
/// record counts even when the grant does not repeat it. `needs-birth-date` is a state the API sends,
/// so the OpenAPI document lists it.
@Suite struct ConsentGrantStateTests {
    let fixture: WebFixture
    init() throws { fixture = try WebFixture() }

    func grant(_ client: some TestClientProtocol, _ body: String) async throws -> (state: String?, id: String?, get: String?) {
        let token = fixture.tokens["caseworker"]!
        let r = try await client.execute(uri: "/v1/consents", method: .post, headers: jsonHeaders(token), body: ByteBuffer(string: body))
        #expect(r.status == .created, "\(r.text)")
        let consent = r.json["consent"] as? [String: Any]
        let id = consent?["id"] as? String
        let shown = try await client.execute(uri: "/v1/consents/\(id ?? "-")", method: .get, headers: bearer(token))
        return (consent?["state"] as? String, id, shown.json["state"] as? String)
    }

    @Test func aRecordedBirthDateCountsInTheGrantAnswer() async throws {
        let day = try #require(ISO8601DateFormatter().date(from: "1957-10-29T00:00:00Z"))
        try fixture.environment.gate.saveSubject(Subject(id: "RSK-2022-000063", birthDate: day, municipality: "Siegburg"))
        try await fixture.application().test(.router) { client in
            let r = try await grant(client, #"{"subject": "RSK-2022-000063", "template": "kim-beratung", "language": "de", "clauses": ["jobcenter"]}"#)
            #expect(r.state == "active")
            #expect(r.state == r.get, "the grant answered \(r.state ?? "-"), a GET shows \(r.get ?? "-")")
        }
    }

    @Test func withoutAnyBirthDateTheStateIsNeedsBirthDateBothWays() async throws {
        try await fixture.application().test(.router) { client in
            let r = try await grant(client, #"{"subject": "RSK-NEW-5", "template": "kim-beratung", "language": "de", "clauses": ["jobcenter"]}"#)
            #expect(r.state == "needs-birth-date")
            #expect(r.state == r.get)
            // Stated with a later grant, the birth date counts for that answer and from then on.
            let later = try await grant(client, #"{"subject": "RSK-NEW-5", "attributes": {"birth-date": "1990-01-01"}, "template": "kim-beratung", "language": "de", "clauses": ["jobcenter"]}"#)
            #expect(later.state == "active")
            #expect(later.state == later.get)
        }
    }

    /// A grant stating another birth date than the recorded one replaces it, and the answer says so as the log entry
    /// does (the ages when the person signed); a grant restating it says nothing.
    @Test func aReplacedBirthDateIsInTheAnswer() async throws {
        let day = try #require(ISO8601DateFormatter().date(from: "1957-10-29T00:00:00Z"))
        try fixture.environment.gate.saveSubject(Subject(id: "RSK-2022-000064", birthDate: day, municipality: "Siegburg"))
        let token = fixture.tokens["caseworker"]!
        try await fixture.application().test(.router) { client in
            for (date, clause, change) in [("1958-10-29", "jobcenter", ["age-before": 69, "age-after": 68]),
                                           ("1958-10-29", "sprachkurs", nil)] as [(String, String, [String: Int]?)] {
                let body = #"{"subject": "RSK-2022-000064", "attributes": {"birth-date": "\#(date)"}, "template": "kim-beratung", "language": "de", "clauses": ["\#(clause)"], "granted-at": "2026-11-01T10:00:00Z"}"#
                let r = try await client.execute(uri: "/v1/consents", method: .post, headers: jsonHeaders(token), body: ByteBuffer(string: body))
                #expect(r.status == .created, "\(r.text)")
                #expect(r.json["birth-date-changed"] as? [String: Int] == change, "\(r.text)")
            }
        }
    }

    /// The consent page shows what the grant's answer and log entry say: the consent whose recording replaced the birth
    /// date on record says so with both ages at signing, in German and English; a consent that restated the date says
    /// nothing (before, only the API answer and the log told, and a case manager on the pages never learnt it).
    @Test func theConsentPageShowsAReplacedBirthDate() async throws {
        let day = try #require(ISO8601DateFormatter().date(from: "1957-10-29T00:00:00Z"))
        try fixture.environment.gate.saveSubject(Subject(id: "RSK-2022-000066", birthDate: day, municipality: "Siegburg"))
        let token = fixture.tokens["caseworker"]!
        try await fixture.application().test(.router) { client in
            var ids: [String] = []
            for clause in ["jobcenter", "sprachkurs"] {
                let body = #"{"subject": "RSK-2022-000066", "attributes": {"birth-date": "1958-10-29"}, "template": "kim-beratung", "language": "de", "clauses": ["\#(clause)"], "granted-at": "2026-11-01T10:00:00Z"}"#
                let r = try await client.execute(uri: "/v1/consents", method: .post, headers: jsonHeaders(token), body: ByteBuffer(string: body))
                ids.append(try #require((r.json["consent"] as? [String: Any])?["id"] as? String, "\(r.text)"))
            }
            let session = try #require(try await pageLogin(client, name: "test-caseworker"))
            for (language, words) in [("de", "das gespeicherte Geburtsdatum ersetzt (Alter bei der Unterschrift: bisher 69, jetzt 68)"),
                                      ("en", "replaced the birth date on record (age at signing: before 69, now 68)")] {
                let changed = try await client.execute(uri: "/consents/\(ids[0])", method: .get, headers: [.cookie: "cg_session=\(session); cg_lang=\(language)"])
                #expect(changed.status == .ok)
                #expect(changed.text.contains("id=\"birth-date-changed\" data-age-before=\"69\" data-age-after=\"68\"") && changed.text.contains(words),
                        "\(changed.text)")
            }
            let restated = try await client.execute(uri: "/consents/\(ids[1])", method: .get, headers: [.cookie: "cg_session=\(session); cg_lang=de"])
            // Signed on 2026-11-01: active until 2028-11-01, expired after (the page says its state as of now).
            let state = Date() < ISO8601DateFormatter().date(from: "2028-11-01T10:00:00Z")! ? "active" : "expired"
            #expect(restated.status == .ok && restated.text.contains("data-state=\"\(state)\""), "\(restated.text)")
            #expect(!restated.text.contains("birth-date-changed"), "\(restated.text)")
        }
    }

    @Test func theDocumentListsEveryConsentState() throws {
        let line = try #require(OpenAPIDocument.yaml.split(separator: "\n").first { $0.contains("state: {enum: [active") })
        for state in ["active", "not-yet-valid", "expired", "withdrawn", "invalid", "needs-birth-date"] {
            #expect(line.contains(state), "\(state) missing from Consent.state: \(line)")
        }
    }
}

