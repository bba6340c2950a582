import AuditLog
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import WebService

/// Query parameters are read exactly or refused (found in the web review): `?subject=%ZZ` and `?subject=%FF` were read
/// as the text `%ZZ` and as U+FFFD, searched for, logged as the DPO's read and answered with an empty list; `limit=+5`
/// was taken as 5 where every other whole number of the API refuses a sign.
@Suite struct QueryEncodingTests {
    @Test(arguments: ["subject=%ZZ", "subject=%FF", "subject=a%2", "sub%ZZject=x", "kind=decision&subject=%C3%28"])
    func aBadlyEncodedParameterIs400NamingIt(_ query: String) async throws {
        let fixture = try WebFixture()
        defer { fixture.remove() }
        let log = fixture.environment.gate.auditLog
        try await fixture.application().test(.router) { client in
            let before = try log.size()
            let r = try await client.execute(uri: "/v1/audit/entries?\(query)&lang=en", method: .get, headers: bearer(fixture.tokens["dpo"]!))
            #expect(r.status == .badRequest, "\(query): \(r.text)")
            #expect(r.errorCode == "invalid-field")
            #expect(r.errorMessage?.contains("is not properly encoded") == true, "\(r.text)")
            #expect(try log.size() == before, "a refused read is not logged")
        }
    }

    @Test func wellEncodedParametersAreRead() async throws {
        let fixture = try WebFixture()
        defer { fixture.remove() }
        try await fixture.application().test(.router) { client in
            let r = try await client.execute(uri: "/v1/audit/entries?subject=RSK%2D2022%2D000001&actor=%C3%A4", method: .get,
                                             headers: bearer(fixture.tokens["dpo"]!))
            #expect(r.status == .ok, "\(r.text)")
            let page = try await client.execute(uri: "/login?x=%ZZ", method: .get)
            #expect(page.status == .badRequest)
        }
    }

    @Test(arguments: ["+5", "-1", "5.0", " 5", "0", "10001"])
    func limitIsDigitsOnly(_ limit: String) async throws {
        let fixture = try WebFixture()
        defer { fixture.remove() }
        try await fixture.application().test(.router) { client in
            let encoded = limit.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let r = try await client.execute(uri: "/v1/audit/entries?limit=\(encoded)&lang=en", method: .get, headers: bearer(fixture.tokens["dpo"]!))
            #expect(r.status == .badRequest, "limit=\(limit): \(r.status)")
            #expect(r.errorCode == "invalid-field")
            // The value given is quoted (API review L6).
            #expect(r.errorMessage?.contains("limit must be a whole number from 1 to 10000, not \"\(limit)\"") == true, "\(r.text)")
        }
    }
}
