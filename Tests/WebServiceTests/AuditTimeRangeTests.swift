import AuditLog
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import WebService

/// A `since`/`until` in year 0000 took the whole web service down (one DPO read: the formatter trapped on the year
/// −1 Foundation read it as), and one that an offset carried past 9999 wrapped to year 0000 and answered the opposite
/// (time review, findings 1 and 2). Both are a 400 naming the parameter and the years accepted, on the API and the
/// pages, and the service goes on; an `at` of a check before 1900 is refused the same way (finding 3).
@Suite struct AuditTimeRangeTests {
    static let bounds = ["since=0000-01-01T00:00:00Z", "until=0000-01-01", "since=1582-10-10", "until=9999-12-31T23:59:59-01:00"]

    @Test(arguments: ["/v1/audit/entries", "/v1/audit/stats"], bounds)
    func aBoundOutsideTheYearsIsA400(_ path: String, _ bound: String) async throws {
        let fixture = try WebFixture()
        defer { fixture.remove() }
        try await fixture.application().test(.router) { client in
            let r = try await client.execute(uri: "\(path)?\(bound.replacingOccurrences(of: "-01:00", with: "-01%3A00"))&lang=en",
                                             method: .get, headers: bearer(fixture.tokens["dpo"]!))
            let name = String(bound.prefix { $0 != "=" })
            #expect(r.status == .badRequest && r.errorCode == "invalid-field", "\(bound): \(r.text)")
            #expect(r.errorMessage?.hasPrefix("parameter \(name): ") == true && r.errorMessage?.contains("only times in the years 1900 to 9999, as written and in UTC, are accepted") == true,
                    "\(r.text)")
            let health = try await client.execute(uri: "/health", method: .get)
            #expect(health.status == .ok)
        }
    }

    @Test(arguments: ["/audit", "/audit/stats"])
    func aBoundOutsideTheYearsIsRefusedOnThePages(_ path: String) async throws {
        let fixture = try WebFixture()
        defer { fixture.remove() }
        try await fixture.application().test(.router) { client in
            let cookie: HTTPFields = [.cookie: "cg_session=\(try #require(try await pageLogin(client, name: "test-dpo")))"]
            let r = try await client.execute(uri: "\(path)?since=0000-01-01", method: .get, headers: cookie)
            #expect(r.status == .badRequest, "\(r.text)")
            let ok = try await client.execute(uri: "\(path)?since=1900-01-01", method: .get, headers: cookie)
            #expect(ok.status == .ok, "\(ok.text)")
        }
    }

    @Test(arguments: ["0001-01-01T00:00:00Z", "1582-10-10T00:00:00Z"])
    func aCheckAtATimeOutsideTheYearsIsRefused(_ at: String) async throws {
        let fixture = try WebFixture()
        defer { fixture.remove() }
        let log = fixture.environment.gate.auditLog
        try await fixture.application().test(.router) { client in
            let before = try log.size()
            let body = #"{"subject": "RSK-2022-000720", "partner": "jobcenter", "purpose": "job-placement", "fields": ["name.family"], "at": ""# + at + #""}"#
            let r = try await client.execute(uri: "/v1/decisions?lang=en", method: .post, headers: jsonHeaders(fixture.tokens["caseworker"]!),
                                             body: ByteBuffer(string: body))
            #expect(r.status == .badRequest, "\(r.text)")
            #expect(r.text.contains("only times in the years 1900 to 9999"), "\(r.text)")
            #expect(try log.size() == before, "nothing logged")
        }
    }
}
