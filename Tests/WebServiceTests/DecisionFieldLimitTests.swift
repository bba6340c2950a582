import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import WebService

/// A decision requests at most 256 fields, each id at most 128 characters (found in the web review: a 256 KiB body of
/// 30,000 made-up field ids, or one id of 250,000 characters, became a `decision` entry of the append-only log). 400
/// `invalid-field` naming the list or the entry; nothing logged.
@Suite struct DecisionFieldLimitTests {
    static func body(_ fields: [String]) -> ByteBuffer {
        let list = fields.map { "\"\($0)\"" }.joined(separator: ",")
        return ByteBuffer(string: #"{"subject": "RSK-2099-000001", "partner": "jobcenter", "purpose": "job-placement", "fields": [\#(list)]}"#)
    }

    @Test func tooManyOrTooLongIsRefused() async throws {
        let fixture = try WebFixture()
        defer { fixture.remove() }
        let log = fixture.environment.gate.auditLog
        try await fixture.application().test(.router) { client in
            let before = try log.size()
            let many = try await client.execute(uri: "/v1/decisions?lang=en", method: .post, headers: jsonHeaders(fixture.tokens["caseworker"]!),
                                                body: Self.body((0..<257).map { "made.up-\($0)" }))
            #expect(many.status == .badRequest)
            #expect(many.errorMessage == "field \"fields\": invalid value: at most 256 fields per request (requested: 257)", "\(many.text)")
            let long = try await client.execute(uri: "/v1/decisions?lang=en", method: .post, headers: jsonHeaders(fixture.tokens["caseworker"]!),
                                                body: Self.body(["name.family", String(repeating: "x", count: 129)]))
            #expect(long.status == .badRequest)
            #expect(long.errorMessage?.hasPrefix("field \"fields[1]\"") == true, "\(long.text)")
            #expect(try log.size() == before)

            // At the limits: answered, unknown ids denied per field as the contract says.
            let edge = try await client.execute(uri: "/v1/decisions", method: .post, headers: jsonHeaders(fixture.tokens["caseworker"]!),
                                                body: Self.body(["name.family", String(repeating: "x", count: 128)] + (0..<254).map { "made.up-\($0)" }))
            #expect(edge.status == .ok, "\(edge.status)")
        }
    }
}

extension DecisionFieldLimitTests {
    @Test func theCheckFormHoldsTheSameLimit() async throws {
        let fixture = try WebFixture()
        defer { fixture.remove() }
        let log = fixture.environment.gate.auditLog
        try await fixture.application().test(.router) { client in
            let cookie = try #require(try await pageLogin(client, name: "test-caseworker"))
            let page = try await client.execute(uri: "/check", method: .get, headers: [.cookie: "cg_session=\(cookie)"])
            let csrf = try #require(csrfToken(in: page.text))
            let before = try log.size()
            let r = try await client.execute(uri: "/check", method: .post,
                headers: [.cookie: "cg_session=\(cookie)", .contentType: "application/x-www-form-urlencoded"],
                body: formEncode([("_csrf", csrf), ("subject", "RSK-2099-000005"), ("partner", "jobcenter"), ("purpose", "job-placement")]
                                 + (0..<257).map { ("fields", "made.up-\($0)") }))
            #expect(r.status == .badRequest)
            #expect(r.text.contains("höchstens 256 Felder je Anfrage (angefragt: 257)"), "\(r.text)")
            #expect(try log.size() == before)
        }
    }
}
