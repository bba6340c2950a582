import Foundation
import Gate
import Hummingbird
import HummingbirdTesting
import Testing
@testable import WebService

/// A decision request names each field once (CONTRACTS §4: `released` lists the permitted fields in request order):
/// `POST /v1/decisions` naming a field twice is a 400 `invalid-field` naming the field, and the referral check page
/// refuses a forged form that repeats a field with the message at the fields (not a 500); neither logs anything.
@Suite struct DecisionFieldListTests {
    let fixture: WebFixture
    init() throws { fixture = try WebFixture() }

    static func body(fieldsJSON: String) -> String {
        #"{"subject": "RSK-2022-000041", "partner": "jobcenter", "purpose": "job-placement", "fields": "# + fieldsJSON + "}"
    }

    /// Field lists as JSON (an escaped letter takes the strict reading, the others the fast one), with the refusal.
    static let refused: [(String, de: String, en: String)] = [
        (#"["name.family", "name.family"]"#,
         "Feld \"name.family\" ist zweimal angefragt (Einträge 1 und 2 der angefragten Felder); jedes Feld nur einmal angeben",
         "field \"name.family\" is requested twice (entries 1 and 2 of the requested fields); name each field once"),
        (#"["name.family", "address.street", "name.famil\u0079"]"#,
         "Feld \"name.family\" ist zweimal angefragt (Einträge 1 und 3 der angefragten Felder); jedes Feld nur einmal angeben",
         "field \"name.family\" is requested twice (entries 1 and 3 of the requested fields); name each field once"),
        (#"["no.such.field", "no.such.field", "no.such.field"]"#,
         "Feld \"no.such.field\" ist 3-mal angefragt (Einträge 1, 2 und 3 der angefragten Felder); jedes Feld nur einmal angeben",
         "field \"no.such.field\" is requested 3 times (entries 1, 2 and 3 of the requested fields); name each field once"),
        (#"[]"#, "Feld \"fields\": ungültiger Wert: mindestens ein Feld angeben",
         "field \"fields\": invalid value: name at least one field"),
    ]

    @Test(arguments: refused)
    func repeatedOrNoFieldsAreA400AndNotLogged(fieldsJSON: String, de: String, en: String) async throws {
        let before = try fixture.environment.gate.auditLog.size()
        try await fixture.application().test(.router) { client in
            for (uri, message) in [("/v1/decisions", de), ("/v1/decisions?lang=en", en)] {
                let r = try await client.execute(uri: uri, method: .post, headers: jsonHeaders(fixture.tokens["caseworker"]!),
                                                 body: ByteBuffer(string: Self.body(fieldsJSON: fieldsJSON)))
                #expect(r.status == .badRequest, "\(fieldsJSON): \(r.text)")
                #expect(r.errorCode == "invalid-field", "\(fieldsJSON): \(r.text)")
                #expect(r.errorMessage == message, "\(r.text)")
            }
        }
        #expect(try fixture.environment.gate.auditLog.size() == before, "a refused decision was logged")
    }

    @Test func distinctFieldsAreDecidedInRequestOrder() async throws {
        try await fixture.application().test(.router) { client in
            let r = try await client.execute(uri: "/v1/decisions", method: .post, headers: jsonHeaders(fixture.tokens["caseworker"]!),
                                             body: ByteBuffer(string: Self.body(fieldsJSON: #"["health.notes", "name.family"]"#)))
            #expect(r.status == .ok, "\(r.text)")
            let fields = (r.json["fields"] as? [[String: Any]])?.compactMap { $0["field"] as? String }
            #expect(fields == ["health.notes", "name.family"])
        }
    }

    @Test(arguments: [
        [("fields", "name.family"), ("fields", "name.family")],
        [("fields", "name.family"), ("fields", "address.street"), ("fields", "name.family")],
    ])
    func theCheckPageRefusesAForgedFormRepeatingAField(fields: [(String, String)]) async throws {
        let before = try fixture.environment.gate.auditLog.size()
        try await fixture.application().test(.router) { client in
            let session = try #require(try await pageLogin(client, name: "test-caseworker"))
            for (uri, message) in [("/check", "Feld \"name.family\" ist zweimal angefragt"), ("/check?lang=en", "field \"name.family\" is requested twice")] {
                let page = try await client.execute(uri: uri, method: .get, headers: [.cookie: "cg_session=\(session)"])
                let csrf = try #require(csrfToken(in: page.text))
                let r = try await client.execute(uri: uri, method: .post,
                    headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "cg_session=\(session)"],
                    body: formEncode([("subject", "RSK-2022-000041"), ("partner", "jobcenter"), ("purpose", "job-placement")]
                                     + fields + [("_csrf", csrf)]))
                #expect(r.status == .badRequest, "\(r.text)")
                #expect(r.text.contains("id=\"error-summary\""), "the refusal is in the page's error summary")
                #expect(r.text.contains("id=\"fields-error\""), "and at the fields")
                #expect(r.text.contains(message.replacingOccurrences(of: "\"", with: "&quot;")) || r.text.contains(message), "\(r.text)")
                #expect(!r.text.contains("data-audit-index"), "no decision is shown")
            }
        }
        #expect(try fixture.environment.gate.auditLog.size() == before, "a refused check was logged")
    }
}
