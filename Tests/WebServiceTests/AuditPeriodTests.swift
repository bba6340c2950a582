import AuditLog
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import WebService

/// A period given the wrong way round (or of no length: `until` is exclusive) is refused, naming `until`, on the API
/// and on the DPO's pages (found in a review of the pages, 2026-12-06: two swapped dates answered "nothing recorded",
/// which a DPO reads as a fact about the log). Nothing is logged for a refused read.
@Suite struct AuditPeriodTests {
    @Test(arguments: ["/v1/audit/entries", "/v1/audit/stats"])
    func aReversedPeriodIsRefusedOnTheAPI(_ path: String) async throws {
        let fixture = try WebFixture()
        defer { fixture.remove() }
        let log = fixture.environment.gate.auditLog
        try await fixture.application().test(.router) { client in
            let before = try log.size()
            for (since, until) in [("2026-12-31", "2026-01-01"), ("2026-06-01", "2026-06-01"), ("2026-06-01T12:00:00Z", "2026-06-01T13:59:59+02:00")] {
                let r = try await client.execute(uri: "\(path)?since=\(since)&until=\(until.replacingOccurrences(of: "+", with: "%2B"))&lang=en",
                                                 method: .get, headers: bearer(fixture.tokens["dpo"]!))
                #expect(r.status == .badRequest && r.errorCode == "invalid-field", "\(since) \(until): \(r.text)")
                #expect(r.errorMessage == "parameter until: \"\(until)\" is not after since \"\(since)\" (until is exclusive): the period is empty", "\(r.text)")
            }
            #expect(try log.size() == before, "a refused read is not logged")
            let ok = try await client.execute(uri: "\(path)?since=2026-01-01&until=2026-01-02", method: .get, headers: bearer(fixture.tokens["dpo"]!))
            #expect(ok.status == .ok)
        }
    }

    @Test(arguments: ["/audit", "/audit/stats"])
    func aReversedPeriodIsRefusedOnThePages(_ path: String) async throws {
        let fixture = try WebFixture()
        defer { fixture.remove() }
        try await fixture.application().test(.router) { client in
            let cookie: HTTPFields = [.cookie: "cg_session=\(try #require(try await pageLogin(client, name: "test-dpo")))"]
            let r = try await client.execute(uri: "\(path)?since=2026-12-31&until=2026-01-01", method: .get, headers: cookie)
            #expect(r.status == .badRequest)
            #expect(r.text.contains("„Bis (Datum, ausschließlich)“ 01.01.2026 liegt nicht nach „Ab (Datum)“ 31.12.2026"), "\(r.text)")
            let ok = try await client.execute(uri: "\(path)?since=2026-01-01&until=2026-12-31", method: .get, headers: cookie)
            #expect(ok.status == .ok)
        }
    }
}
