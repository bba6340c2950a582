import Foundation
import Gate
import Hummingbird
import HummingbirdTesting
import PolicyEngine
import Testing
@testable import WebService

/// `POST /v1/decisions` and the `/check` page state the policy's stateable attributes (neither `subject:` nor `from:`,
/// e.g. `child-endangerment`) for one decision. Found in a domain review: the API answered 400 unknown field
/// `attributes.child-endangerment` and the page had no control for it, so the § 8a referral to the Jugendamt (purpose
/// "Schutzauftrag bei Kindeswohlgefährdung", offered on the page) always ended in "condition not met".
@Suite struct StatedAttributeDecisionTests {
    /// The § 8a referral of a 9-year-old in Siegburg (the fixture case worker's municipality), with `extra` attributes.
    static func body(_ subject: String, extra: String) -> ByteBuffer {
        ByteBuffer(string: #"{"subject": "\#(subject)", "attributes": {"birth-date": "2017-06-01", "municipality": "Siegburg"\#(extra)}, "partner": "jugendamt", "purpose": "child-protection", "fields": ["name.family", "health.notes"], "at": "2026-06-01T10:00:00Z"}"#)
    }

    /// One field object of a decision's `fields`, by field id.
    static func field(_ response: TestResponse, _ id: String) -> [String: Any]? {
        let json = try? JSONSerialization.jsonObject(with: Data(response.text.utf8)) as? [String: Any]
        return (json?["fields"] as? [[String: Any]])?.first { $0["field"] as? String == id }
    }

    @Test func theAPIReleasesWithAStatedChildEndangermentAndTheReplayReproduces() async throws {
        let fixture = try WebFixture()
        let gate = fixture.environment.gate
        try await fixture.application().test(.router) { client in
            let token = fixture.tokens["caseworker"]!
            let stated = try await client.execute(uri: "/v1/decisions", method: .post, headers: jsonHeaders(token),
                                                  body: Self.body("RSK-T-8A", extra: #", "child-endangerment": true"#))
            #expect(stated.status == .ok, "\(stated.text)")
            #expect(Self.field(stated, "health.notes")?["outcome"] as? String == "permit", "\(stated.text)")
            #expect(Self.field(stated, "health.notes")?["rule"] as? String == "jugendamt-child-protection")
            let without = try await client.execute(uri: "/v1/decisions", method: .post, headers: jsonHeaders(token),
                                                   body: Self.body("RSK-T-8B", extra: ""))
            #expect(without.status == .ok, "\(without.text)")
            #expect(Self.field(without, "health.notes")?["reason"] as? String == "condition-not-met", "\(without.text)")
            let json = try JSONSerialization.jsonObject(with: Data(stated.text.utf8)) as? [String: Any]
            let index = try #require((json?["audit"] as? [String: Any])?["index"] as? Int)
            let replay = try gate.explainDecision(index: Int64(index))
            #expect(replay.reproduces && replay.sameToday, "\(replay.differencesArchived)")
        }
    }

    /// An unknown key is still refused, now listing the stateable attributes as allowed; a stateable attribute of the
    /// wrong JSON type is a 400 naming the field; a key derived from the record (`age`) is unknown here too. Nothing
    /// is logged.
    @Test(arguments: [
        (#", "endangerment": true"#, "unknown-field", "unknown field \"attributes.endangerment\" (allowed: birth-date, child-endangerment, guardian-of-school-age-child, guardians, household-school-age-child, municipality, unaccompanied-minor)"),
        (#", "age": 9"#, "unknown-field", "child-endangerment"),
        (#", "child-endangerment": "true""#, "wrong-type", "field \"attributes.child-endangerment\": expected boolean"),
        (#", "child-endangerment": null"#, "wrong-type", "attributes.child-endangerment"),
    ])
    func aStatementTheAPICannotUseIsA400(extra: String, code: String, message: String) async throws {
        let fixture = try WebFixture()
        let gate = fixture.environment.gate
        try await fixture.application().test(.router) { client in
            let before = try gate.auditLog.size()
            let r = try await client.execute(uri: "/v1/decisions?lang=en", method: .post, headers: jsonHeaders(fixture.tokens["caseworker"]!),
                                             body: Self.body("RSK-T-8A", extra: extra))
            #expect(r.status == .badRequest, "\(r.text)")
            #expect(r.errorCode == code, "\(r.text)")
            #expect(r.errorMessage?.contains(message) == true, "\(r.text)")
            #expect(try gate.auditLog.size() == before)
        }
    }

    /// A consent grant's `attributes` hold recorded facts only: a stateable attribute stays an unknown field there.
    @Test func aGrantDoesNotTakeAStatedAttribute() async throws {
        let fixture = try WebFixture()
        try await fixture.application().test(.router) { client in
            let r = try await client.execute(uri: "/v1/consents?lang=en", method: .post, headers: jsonHeaders(fixture.tokens["caseworker"]!),
                body: ByteBuffer(string: #"{"subject": "RSK-T-8C", "attributes": {"birth-date": "1990-01-01", "child-endangerment": true}, "template": "kim-beratung", "language": "de", "clauses": ["jobcenter"]}"#))
            #expect(r.status == .badRequest, "\(r.text)")
            #expect(r.errorCode == "unknown-field" && r.errorMessage?.contains("attributes.child-endangerment") == true, "\(r.text)")
        }
    }

    /// The check page offers one labelled checkbox per stateable `bool` attribute (German and English); ticking
    /// `child-endangerment` releases the health notes, says what was stated, and the box stays ticked when the form
    /// comes back with a problem.
    @Test(arguments: [("de", "Gewichtige Anhaltspunkte für Kindeswohlgefährdung (§ 8a SGB VIII)", "Für diese Entscheidung angegeben"),
                      ("en", "Weighty indications of child endangerment (§ 8a SGB VIII)", "Stated for this decision")])
    func theCheckPageOffersAndStatesIt(language: String, label: String, statedWords: String) async throws {
        let fixture = try WebFixture()
        try await fixture.application().test(.router) { client in
            let cookie = try #require(try await pageLogin(client, name: "test-caseworker"))
            let headers: HTTPFields = [.cookie: "cg_session=\(cookie)", .acceptLanguage: language]
            let form = try await client.execute(uri: "/check?lang=\(language)", method: .get, headers: headers)
            #expect(form.text.contains(#"<input type="checkbox" id="stated-child-endangerment" name="stated" value="child-endangerment">"#), "\(form.text)")
            #expect(form.text.contains(#"<label class="inline" for="stated-child-endangerment">\#(label)"#), "\(form.text)")
            #expect(form.text.contains(#"id="stated-household-school-age-child""#))
            let csrf = try #require(csrfToken(in: form.text))
            var post = headers
            post[.contentType] = "application/x-www-form-urlencoded"
            let fields = [("_csrf", csrf), ("subject", "RSK-T-8A"), ("birth-date", "2017-06-01"), ("partner", "jugendamt"),
                          ("purpose", "child-protection"), ("stated", "child-endangerment")]
            let r = try await following(client, try await client.execute(uri: "/check?lang=\(language)", method: .post, headers: post,
                                                                         body: formEncode(fields + [("fields", "health.notes")])),
                                        cookie: headers[.cookie] ?? "")
            #expect(r.status == .ok, "\(r.text)")
            #expect(r.text.contains(#"<tr data-field="health.notes">"#) && r.text.contains(#"data-outcome="permit""#), "\(r.text)")
            #expect(r.text.contains(statedWords) && r.text.contains(#"<li data-stated="child-endangerment">"#), "\(r.text)")
            #expect(r.text.contains(#"value="child-endangerment" checked>"#), "\(r.text)")
            // Without any field: the form comes back with the problem, the box still ticked.
            let problem = try await client.execute(uri: "/check?lang=\(language)", method: .post, headers: post, body: formEncode(fields))
            #expect(problem.status == .badRequest, "\(problem.text)")
            #expect(problem.text.contains(#"value="child-endangerment" checked>"#), "\(problem.text)")
        }
    }
}
