import AuditLog
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import WebService

/// A text filter of the audit log is at most 256 characters (found in the web review: `?subject=` of 60,000 characters
/// was searched for and logged with the DPO's `audit-read`, in the append-only log). 400 `invalid-field` naming it;
/// nothing logged.
@Suite struct AuditFilterLengthTests {
    @Test(arguments: ["/v1/audit/entries", "/v1/audit/stats"])
    func aLongFilterIsRefusedUnlogged(_ path: String) async throws {
        let fixture = try WebFixture()
        defer { fixture.remove() }
        let log = fixture.environment.gate.auditLog
        try await fixture.application().test(.router) { client in
            let before = try log.size()
            let long = String(repeating: "a", count: 257)
            let r = try await client.execute(uri: "\(path)?actor=\(long)&lang=en", method: .get, headers: bearer(fixture.tokens["dpo"]!))
            #expect(r.status == .badRequest)
            #expect(r.errorMessage == "parameter actor: at most 256 characters (has 257)", "\(r.text)")
            #expect(try log.size() == before)
            let ok = try await client.execute(uri: "\(path)?actor=\(String(repeating: "a", count: 256))", method: .get, headers: bearer(fixture.tokens["dpo"]!))
            #expect(ok.status == .ok)
        }
    }

    @Test func theAuditPageToo() async throws {
        let fixture = try WebFixture()
        defer { fixture.remove() }
        try await fixture.application().test(.router) { client in
            let cookie = try #require(try await pageLogin(client, name: "test-dpo"))
            let r = try await client.execute(uri: "/audit?subject=\(String(repeating: "R", count: 300))", method: .get, headers: [.cookie: "cg_session=\(cookie)"])
            #expect(r.status == .badRequest)
            #expect(r.text.contains("„Fall-ID“: höchstens 256 Zeichen (hat 300)"), "\(r.text)")
        }
    }
}

extension AuditFilterLengthTests {
    @Test func theReportsToo() async throws {
        let fixture = try WebFixture()
        defer { fixture.remove() }
        let log = fixture.environment.gate.auditLog
        try await fixture.application().test(.router) { client in
            let before = try log.size()
            let long = String(repeating: "R", count: 257)
            let api = try await client.execute(uri: "/v1/audit/report/\(long)", method: .get, headers: bearer(fixture.tokens["dpo"]!))
            #expect(api.status == .badRequest)
            let cookie = try #require(try await pageLogin(client, name: "test-dpo"))
            let page = try await client.execute(uri: "/audit/report?subject=\(long)", method: .get, headers: [.cookie: "cg_session=\(cookie)"])
            #expect(page.status == .badRequest)
            #expect(try log.size() == before)
        }
    }
}
