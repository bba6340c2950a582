import ChildProcess
import Foundation
import Gate
import Hummingbird
import HummingbirdTesting
import Signing
import Testing
@testable import WebService

/// An account row written into the database by hand (no `account-event` in the log) gets 401 on the API and cannot
/// log in on the pages; a logged account changed by hand is refused at its next request, page session included.
@Suite struct AccountRowLogAPITests {
    let fixture: WebFixture
    init() throws { fixture = try WebFixture() }

    /// Runs SQL on the fixture's database with the stock `sqlite3` command: a change behind ConsentGate's back.
    func sqlite(_ sql: String) throws {
        let r = try Spawn.run("/usr/bin/env", ["sqlite3", "-cmd", ".timeout 10000", fixture.database.path, sql],
                              stdout: .inherit, stderr: .inherit)
        try #require(r.status == 0)
    }

    @Test func handInsertedAdminGets401AndCannotLogIn() async throws {
        let token = try APIToken.generate()
        let hash = try PasswordHashing.hash(WebFixture.password, parameters: WebFixture.fastHashing)
        try await fixture.application().test(.router) { client in
            #expect(try await client.execute(uri: "/v1/me", method: .get, headers: bearer(fixture.tokens["admin"]!)).status == .ok)
            try sqlite("""
                INSERT INTO account (name, role, municipality, password_hash, token_digest, created_at)
                VALUES ('mallory', 'admin', NULL, '\(hash)', '\(APIToken.digest(token))', '2026-11-25T12:00:00Z')
                """)
            let r = try await client.execute(uri: "/v1/accounts", method: .get, headers: bearer(token))
            #expect(r.status == .unauthorized && r.errorCode == "unauthenticated", "\(r.text)")
            #expect(try await pageLogin(client, name: "mallory") == nil)
            // Logged accounts are unaffected.
            #expect(try await client.execute(uri: "/v1/accounts", method: .get, headers: bearer(fixture.tokens["admin"]!)).status == .ok)
        }
    }

    @Test func roleChangedByHandEndsTheTokenAndThePageSession() async throws {
        try await fixture.application().test(.router) { client in
            let session = try #require(try await pageLogin(client, name: "test-dpo"))
            #expect(try await client.execute(uri: "/", method: .get, headers: [.cookie: "cg_session=\(session)"]).status == .ok)
            #expect(try await client.execute(uri: "/v1/me", method: .get, headers: bearer(fixture.tokens["dpo"]!)).status == .ok)
            try sqlite("UPDATE account SET role = 'admin' WHERE name = 'test-dpo'")
            #expect(try await client.execute(uri: "/v1/me", method: .get, headers: bearer(fixture.tokens["dpo"]!)).status == .unauthorized)
            let page = try await client.execute(uri: "/", method: .get, headers: [.cookie: "cg_session=\(session)"])
            #expect(page.status == .seeOther && page.headers[.location] == "/login")
        }
    }
}
