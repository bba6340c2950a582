import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import WebService

/// `GET /v1/audit/stats` counts whole periods: `kind`, `limit`, `after` and `before` do not apply and are refused
/// (400 `unknown-field` naming the parameter and listing those that apply), not silently ignored as they were until
/// 2026-12-06 (found in a review of the API: `?kind=decision&limit=1` answered the whole log's figures).
@Suite struct AuditStatsFilterTests {
    @Test(arguments: ["kind=decision", "limit=1", "after=3", "before=9"])
    func aFilterTheStatisticsDoNotApplyIsRefused(_ parameter: String) async throws {
        let fixture = try WebFixture()
        defer { fixture.remove() }
        try await fixture.application().test(.router) { client in
            let name = String(parameter.prefix { $0 != "=" })
            let r = try await client.execute(uri: "/v1/audit/stats?\(parameter)&lang=en", method: .get, headers: bearer(fixture.tokens["dpo"]!))
            #expect(r.status == .badRequest && r.errorCode == "unknown-field", "\(r.text)")
            #expect(r.errorMessage == "parameter \"\(name)\" is not known here (known: actor, municipality, partner, purpose, since, subject, until, lang)", "\(r.text)")
            let ok = try await client.execute(uri: "/v1/audit/stats?partner=jobcenter&since=2026-01-01", method: .get, headers: bearer(fixture.tokens["dpo"]!))
            #expect(ok.status == .ok, "\(ok.text)")
        }
    }
}
