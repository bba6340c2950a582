import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import WebService

/// The byte-level reading of the bearer token on the decision path must answer exactly what the
/// Foundation-based one answers: `asciiBearerToken` (when it answers) equals `generalBearerToken`.
@Suite struct BearerTokenTests {
    static let headers = [
        "Bearer abc", "bearer abc", "BEARER abc", "BeArEr cg_0123456789abcdef", "Bearer  abc", "Bearer abc ", "Bearer\tabc",
        " Bearer abc", "Bearer", "Bearer ", "Bearer  ", "Basic abc", "Bearerx abc", "Bearer a b", "Bearer a\u{00A0}",
        "Bearer \u{00A0}a", "Bearer ä", "Bearer a\u{2003}", "Beare abc", "Bearer x", "Bearer \u{7F}", "Bearer a\u{7F}",
        "bearer\u{0130} abc", "Token abc", "Bearer a,Bearer b", "Bearer a, Bearer b",
    ]

    @Test(arguments: headers)
    func fastReadingAgreesWithTheGeneralOne(header: String) {
        let general = AuthenticationMiddleware.generalBearerToken(header)
        if let fast = AuthenticationMiddleware.asciiBearerToken(header) { #expect(fast == general) }
        #expect(AuthenticationMiddleware.bearerToken(header) == general)
    }

    @Test func commonHeadersTakeTheFastPath() {
        #expect(AuthenticationMiddleware.asciiBearerToken("Bearer cg_abc-DEF_123") == "cg_abc-DEF_123")
        #expect(AuthenticationMiddleware.asciiBearerToken("bearer t") == "t")
    }

    /// Random headers over a small alphabet of the bytes that matter (letters of the scheme, spaces,
    /// tabs, non-ASCII white space).
    @Test func randomHeaders() {
        let alphabet: [Character] = ["B", "b", "e", "E", "a", "r", "R", " ", "\t", "x", "\u{00A0}", "\u{2003}", "ä", ","]
        var state: UInt64 = 99
        for _ in 0..<50_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            var s = Bool.random() ? "Bearer " : ""
            var x = state
            for _ in 0..<Int(x % 9) { x /= 13; s.append(alphabet[Int(x % UInt64(alphabet.count))]) }
            let general = AuthenticationMiddleware.generalBearerToken(s)
            if let fast = AuthenticationMiddleware.asciiBearerToken(s) { #expect(fast == general, "\(s.debugDescription)") }
        }
    }

    @Test(arguments: [[], ["Bearer a"], ["Bearer a", "Bearer b"], ["Bearer a", "", "x"]])
    func authorizationHeaderAsTheSubscriptGivesIt(values: [String]) {
        var headers: HTTPFields = [.contentType: "application/json"]
        headers[values: .authorization] = values
        #expect(AuthenticationMiddleware.authorizationHeader(headers)?.value == headers[.authorization])
        #expect(AuthenticationMiddleware.authorizationHeader(headers)?.fields ?? 0 == values.count)
    }
}

/// The same valid token sent in two `Authorization` fields is said to be given twice (it was "API token unknown or
/// account disabled", which sent the user looking for a disabled account: API review L4); one field still works.
@Suite struct DuplicateAuthorizationTests {
    @Test func twoAuthorizationFieldsAreNamedAsSuch() async throws {
        let fixture = try WebFixture()
        defer { fixture.remove() }
        let token = fixture.tokens["dpo"]!
        try await fixture.application().test(.router) { client in
            var twice = HTTPFields()
            twice[values: .authorization] = ["Bearer \(token)", "Bearer \(token)"]
            let r = try await client.execute(uri: "/v1/me?lang=en", method: .get, headers: twice)
            #expect(r.status == .unauthorized, "\(r.status)")
            #expect(r.errorMessage == "Authorization header given more than once: send \"Bearer <token>\" exactly once", "\(r.text)")
            let once = try await client.execute(uri: "/v1/me?lang=en", method: .get, headers: bearer(token))
            #expect(once.status == .ok, "\(once.text)")
        }
    }
}
