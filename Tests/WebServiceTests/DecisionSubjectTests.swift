import AuditLog
import Foundation
import Gate
import Hummingbird
import HummingbirdTesting
import Testing
@testable import WebService

/// The subject of a decision is a case id by the same rule as a consent's subject (1–64 letters, digits,
/// `- _ . /`, starting with a letter or digit): a name, an id with white space or control characters at
/// either end, is a 400 `invalid-field` naming `subject`, on the JSON route (fast and strict reading) and
/// on the check page, and nothing is logged.
@Suite struct DecisionSubjectTests {
    let fixture: WebFixture
    init() throws { fixture = try WebFixture() }

    static func body(subjectJSON: String) -> String {
        #"{"subject": "# + subjectJSON + #", "partner": "jobcenter", "purpose": "job-placement", "fields": ["name.family"]}"#
    }

    /// Subjects as JSON string literals (the escaped ones take the strict reading, the others the fast one).
    static let refused = [
        #""Max Mustermann""#, #""RSK-2022-000041 ""#, #"" RSK-2022-000041""#, #""RSK-2022-000041\n""#,
        #""RSK-2022-000041\t""#, #""-RSK-1""#, #""""#, #""   ""#, #""RSK\u00e4-1""#, #""Ärger""#,
        "\"" + String(repeating: "1", count: 65) + "\"",
    ]

    @Test(arguments: refused)
    func decisionSubjectsOutsideTheCaseIDRuleAreRefused(subjectJSON: String) async throws {
        let before = try fixture.environment.gate.auditLog.size()
        try await fixture.application().test(.router) { client in
            let r = try await client.execute(uri: "/v1/decisions", method: .post, headers: jsonHeaders(fixture.tokens["caseworker"]!),
                                             body: ByteBuffer(string: Self.body(subjectJSON: subjectJSON)))
            #expect(r.status == .badRequest, "\(subjectJSON): \(r.text)")
            #expect(r.errorCode == "invalid-field", "\(subjectJSON): \(r.text)")
            #expect(r.errorMessage?.hasPrefix("Feld \"subject\": ungültiger Wert: eine Fallnummer aus 1–64") == true, "\(r.text)")
            let en = try await client.execute(uri: "/v1/decisions?lang=en", method: .post, headers: jsonHeaders(fixture.tokens["caseworker"]!),
                                              body: ByteBuffer(string: Self.body(subjectJSON: subjectJSON)))
            #expect(en.errorMessage?.hasPrefix("field \"subject\": invalid value: a case id of 1-64") == true, "\(en.text)")
        }
        #expect(try fixture.environment.gate.auditLog.size() == before, "a refused decision was logged")
    }

    /// Recording a consent applies the same rule to its subject, as a 400 of the request (not the Gate's 422).
    @Test(arguments: refused)
    func consentSubjectsOutsideTheCaseIDRuleAreRefused(subjectJSON: String) async throws {
        let before = try fixture.environment.gate.auditLog.size()
        let body = #"{"subject": "# + subjectJSON + #", "attributes": {"birth-date": "1990-01-01"}, "template": "kim-beratung", "language": "de", "clauses": ["jobcenter"]}"#
        try await fixture.application().test(.router) { client in
            let r = try await client.execute(uri: "/v1/consents", method: .post, headers: jsonHeaders(fixture.tokens["caseworker"]!),
                                             body: ByteBuffer(string: body))
            #expect(r.status == .badRequest, "\(subjectJSON): \(r.text)")
            #expect(r.errorCode == "invalid-field", "\(subjectJSON): \(r.text)")
            #expect(r.errorMessage?.hasPrefix("Feld \"subject\": ungültiger Wert") == true, "\(r.text)")
        }
        #expect(try fixture.environment.gate.auditLog.size() == before, "a refused consent was logged")
    }

    @Test(arguments: [#""RSK/2022/1""#, #""RSK-2022-000041""#, #""a""#, #""X.y_z-1""#, #""RSK\/2022\/2""#])
    func caseIDsWithinTheRuleAreDecided(subjectJSON: String) async throws {
        try await fixture.application().test(.router) { client in
            let r = try await client.execute(uri: "/v1/decisions", method: .post, headers: jsonHeaders(fixture.tokens["caseworker"]!),
                                             body: ByteBuffer(string: Self.body(subjectJSON: subjectJSON)))
            #expect(r.status == .ok, "\(subjectJSON): \(r.text)")
        }
    }

    @Test func theCheckPageRefusesANameAsCaseID() async throws {
        let before = try fixture.environment.gate.auditLog.size()
        try await fixture.application().test(.router) { client in
            let session = try #require(try await pageLogin(client, name: "test-caseworker"))
            let page = try await client.execute(uri: "/check", method: .get, headers: [.cookie: "cg_session=\(session)"])
            let csrf = try #require(csrfToken(in: page.text))
            for subject in ["Max Mustermann", "RSK-1\u{7}", "#RSK-1"] {
                let r = try await client.execute(uri: "/check", method: .post,
                    headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "cg_session=\(session)"],
                    body: formEncode([("subject", subject), ("partner", "jobcenter"), ("purpose", "job-placement"),
                                      ("fields", "name.family"), ("_csrf", csrf)]))
                #expect(r.status == .badRequest, "\(subject.debugDescription)")
                #expect(r.text.contains("Fall-ID"), "\(subject.debugDescription)")
                #expect(!r.text.contains("data-audit-index"))
            }
        }
        #expect(try fixture.environment.gate.auditLog.size() == before)
    }
}
