import ChildProcess
import Foundation
import Gate
import Hummingbird
import HummingbirdTesting
import Testing
@testable import WebService

/// `POST /v1/decisions` answers from the read cache, but a change made by another process — the
/// account disabled, the subject moved to another municipality — applies from the very next request.
@Suite struct DecisionCacheTests {
    let fixture: WebFixture
    init() throws { fixture = try WebFixture() }

    static let body = #"""
    {"subject": "RSK-2022-000077", "partner": "auslaenderbehoerde", "purpose": "residence-registration",
     "fields": ["name.family"], "at": "2026-11-25T10:00:00Z"}
    """#

    /// Runs SQL on the fixture's database with the stock `sqlite3` command: another process.
    func sqlite(_ sql: String) throws {
        let r = try Spawn.run("/usr/bin/env", ["sqlite3", "-cmd", ".timeout 10000", fixture.database.path, sql],
                              stdout: .inherit, stderr: .inherit)
        try #require(r.status == 0)
    }

    func decide(_ client: some TestClientProtocol, _ token: String) async throws -> TestResponse {
        try await client.execute(uri: "/v1/decisions", method: .post, headers: jsonHeaders(token), body: ByteBuffer(string: Self.body))
    }

    @Test func accountDisabledByAnotherProcessIsRefusedAtTheNextRequest() async throws {
        defer { fixture.remove() }
        let token = fixture.tokens["caseworker"]!
        try await fixture.application().test(.router) { client in
            #expect(try await decide(client, token).status == .ok)
            #expect(try await decide(client, token).status == .ok)
            try sqlite("UPDATE account SET disabled_at = '2026-11-25T12:00:00Z' WHERE name = 'test-caseworker'")
            let r = try await decide(client, token)
            #expect(r.status == .unauthorized)
            #expect(r.errorCode == "unauthenticated")
        }
    }

    @Test func subjectMovedByAnotherProcessIsRefusedAtTheNextRequest() async throws {
        defer { fixture.remove() }
        let token = fixture.tokens["caseworker"]!
        try fixture.environment.gate.saveSubject(Subject(id: "RSK-2022-000077", municipality: "Siegburg"))
        try await fixture.application().test(.router) { client in
            #expect(try await decide(client, token).status == .ok)
            #expect(try await decide(client, token).status == .ok)
            try sqlite("UPDATE subject SET municipality = 'Troisdorf' WHERE id = 'RSK-2022-000077'")
            let r = try await decide(client, token)
            #expect(r.status == .forbidden)
            #expect(r.errorCode == "other-municipality")
            // The other municipality's case worker now may.
            #expect(try await decide(client, fixture.tokens["caseworker-other"]!).status == .ok)
        }
    }
}
