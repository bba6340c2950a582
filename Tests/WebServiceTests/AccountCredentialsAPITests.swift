import AuditLog
import Foundation
import Gate
import Hummingbird
import HummingbirdTesting
import Testing
@testable import WebService

/// An administrator renews a lost or leaked API token and disables an account through the API; a changed password
/// or token (also from the command line, another process) ends the account's page sessions at their next request.
@Suite struct AccountCredentialsAPITests {
    let fixture: WebFixture
    init() throws { fixture = try WebFixture() }


    @Test func adminRenewsTokenOldOneStopsWorking() async throws {
        let old = fixture.tokens["dpo"]!
        try await fixture.application().test(.router) { client in
            #expect(try await client.execute(uri: "/v1/me", method: .get, headers: bearer(old)).status == .ok)
            let r = try await client.execute(uri: "/v1/accounts/test-dpo/token", method: .post, headers: bearer(fixture.tokens["admin"]!))
            #expect(r.status == .ok, "\(r.text)")
            let token = try #require(r.json["token"] as? String)
            #expect(token != old && (r.json["account"] as? [String: Any])?["name"] as? String == "test-dpo")
            #expect(try await client.execute(uri: "/v1/me", method: .get, headers: bearer(old)).status == .unauthorized)
            let me = try await client.execute(uri: "/v1/me", method: .get, headers: bearer(token))
            #expect(me.status == .ok && me.json["name"] as? String == "test-dpo")
            #expect(try fixture.accountEvents(for: "test-dpo").last! == ("test-admin", "credentials-changed"))
            #expect(try StoreChecks.problem(in: fixture.database.writer) == nil)
        }
    }

    @Test func adminDisablesAccountItsSessionsEndAtOnce() async throws {
        try await fixture.application().test(.router) { client in
            let session = try #require(try await pageLogin(client, name: "test-exporter"))
            #expect(try await client.execute(uri: "/", method: .get, headers: [.cookie: "cg_session=\(session)"]).status == .ok)
            let before = await fixture.environment.sessions.count
            let r = try await client.execute(uri: "/v1/accounts/test-exporter/disable", method: .post, headers: bearer(fixture.tokens["admin"]!))
            #expect(r.status == .ok && r.json["disabled-at"] is String, "\(r.text)")
            #expect(await fixture.environment.sessions.count == before - 1, "the session is gone from the store, not only refused")
            #expect(try await client.execute(uri: "/v1/me", method: .get, headers: bearer(fixture.tokens["exporter"]!)).status == .unauthorized)
            let again = try await client.execute(uri: "/v1/accounts/test-exporter/disable", method: .post, headers: bearer(fixture.tokens["admin"]!))
            #expect(again.status == .conflict && again.errorCode == "conflict")
            let renew = try await client.execute(uri: "/v1/accounts/test-exporter/token", method: .post, headers: bearer(fixture.tokens["admin"]!))
            #expect(renew.status == .conflict && renew.text.contains("gesperrt"), "\(renew.text)")
            #expect(try fixture.accountEvents(for: "test-exporter").map(\.event) == ["created", "disabled"])
        }
    }

    /// Path, status, error code.
    static let refusals: [(String, HTTPResponse.Status, String)] = [
        ("/v1/accounts/niemand/token", .notFound, "not-found"),
        ("/v1/accounts/niemand/disable", .notFound, "not-found"),
        ("/v1/accounts/an%20na/token", .badRequest, "invalid-field"),
        ("/v1/accounts/%3Cscript%3E/disable", .badRequest, "invalid-field"),
    ]

    @Test(arguments: refusals)
    func refusedWithPreciseStatus(_ c: (String, HTTPResponse.Status, String)) async throws {
        let before = try fixture.environment.gate.auditLog.size()
        try await fixture.application().test(.router) { client in
            let r = try await client.execute(uri: c.0, method: .post, headers: bearer(fixture.tokens["admin"]!))
            #expect(r.status == c.1 && r.errorCode == c.2, "\(r.status) \(r.text)")
        }
        #expect(try fixture.environment.gate.auditLog.size() == before, "nothing logged")
    }

    @Test("a password changed elsewhere (the CLI, another process) ends the page sessions begun with the old one")
    func passwordChangeEndsSessions() async throws {
        try await fixture.application().test(.router) { client in
            let session = try #require(try await pageLogin(client, name: "test-dpo"))
            #expect(try await client.execute(uri: "/", method: .get, headers: [.cookie: "cg_session=\(session)"]).status == .ok)
            // Another process changes the password: a store without this server's read cache or session store.
            let other = try Gate.open(fixture.environment.gate.configuration)
            _ = try other.changeAccountCredentials(name: "test-dpo", newToken: false, password: .set("ein ganz neues Passwort"),
                                                   actor: Actor(id: "cli"), passwordParameters: WebFixture.fastHashing)
            let after = try await client.execute(uri: "/", method: .get, headers: [.cookie: "cg_session=\(session)"])
            #expect(after.status == .seeOther && after.headers[.location] == "/login", "\(after.status)")
            #expect(try await pageLogin(client, name: "test-dpo") == nil, "the old password no longer logs in")
            let fresh = try #require(try await pageLogin(client, name: "test-dpo", password: "ein ganz neues Passwort"))
            #expect(try await client.execute(uri: "/", method: .get, headers: [.cookie: "cg_session=\(fresh)"]).status == .ok)
            // A renewed token (not the password) also ends the sessions: the stamp binds both.
            _ = try other.changeAccountCredentials(name: "test-dpo", newToken: true, password: .keep, actor: Actor(id: "cli"))
            #expect(try await client.execute(uri: "/", method: .get, headers: [.cookie: "cg_session=\(fresh)"]).status == .seeOther)
        }
    }
}
