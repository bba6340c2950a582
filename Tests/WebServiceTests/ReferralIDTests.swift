import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import WebService

/// The `referral` of `POST /v1/decisions` is held to a referral id's shape (found in the web review: any string up to the
/// body limit, escape sequences and text-direction overrides included, was logged as the referral and shown in the
/// DPO's pages and the person's Art. 15 report).
@Suite struct ReferralIDTests {
    static func body(_ referralJSON: String) -> ByteBuffer {
        ByteBuffer(string: #"{"subject": "RSK-2099-000001", "partner": "jobcenter", "purpose": "job-placement", "fields": ["name.family"], "referral": \#(referralJSON)}"#)
    }

    @Test(arguments: [#""\u001b[31mX""#, #""REF\u202e17""#, #""""#, "\"" + String(repeating: "x", count: 129) + "\"", #""a\tb""#,
                      // Blank, a line separator, invisible zero-width characters (an API review, session 41).
                      #"" ""#, #""\u3000 ""#, #""REF\u202817""#, #""REF\u200b17""#, #""\ufeffREF""#])
    func aReferralThatIsNoIdIs400(_ referralJSON: String) async throws {
        let fixture = try WebFixture()
        defer { fixture.remove() }
        let log = fixture.environment.gate.auditLog
        try await fixture.application().test(.router) { client in
            let before = try log.size()
            let r = try await client.execute(uri: "/v1/decisions?lang=en", method: .post, headers: jsonHeaders(fixture.tokens["caseworker"]!),
                                             body: Self.body(referralJSON))
            #expect(r.status == .badRequest, "\(referralJSON): \(r.text)")
            #expect(r.errorCode == "invalid-field")
            #expect(r.errorMessage?.contains("referral") == true, "\(r.text)")
            #expect(try log.size() == before)
        }
    }

    @Test func anOrdinaryReferralIdIsLogged() async throws {
        let fixture = try WebFixture()
        defer { fixture.remove() }
        try await fixture.application().test(.router) { client in
            let r = try await client.execute(uri: "/v1/decisions", method: .post, headers: jsonHeaders(fixture.tokens["caseworker"]!),
                                             body: Self.body(#""ÜB-2026/17 Jobcenter""#))
            #expect(r.status == .ok, "\(r.text)")
            let long = try await client.execute(uri: "/v1/decisions", method: .post, headers: jsonHeaders(fixture.tokens["caseworker"]!),
                                                body: Self.body("\"" + String(repeating: "x", count: 128) + "\""))
            #expect(long.status == .ok)
        }
    }
}
