import AuditLog
import Foundation
import Gate
import Hummingbird
import HummingbirdTesting
import Testing
@testable import WebService

/// The JSON API and service endpoints, in process.
@Suite struct APITests {
    let fixture: WebFixture
    init() throws { fixture = try WebFixture() }

    @Test func healthIsPlainOK() async throws {
        try await fixture.application().test(.router) { client in
            let r = try await client.execute(uri: "/health", method: .get)
            #expect(r.status == .ok)
            #expect(r.text == "ok\n")
            #expect(r.headers[.contentType]?.hasPrefix("text/plain") == true)
        }
    }

    @Test func meNeedsAValidToken() async throws {
        try await fixture.application().test(.router) { client in
            let none = try await client.execute(uri: "/v1/me", method: .get)
            #expect(none.status == .unauthorized)
            #expect(none.errorCode == "unauthenticated")
            #expect(none.headers[.wwwAuthenticate] == "Bearer realm=\"consentgate\"")
            let basic = try await client.execute(uri: "/v1/me", method: .get, headers: [.authorization: "Basic dXNlcjpwYXNz"])
            #expect(basic.status == .unauthorized)
            let wrong = try await client.execute(uri: "/v1/me", method: .get, headers: bearer("cg_" + String(repeating: "A", count: 43)))
            #expect(wrong.status == .unauthorized)
            #expect(wrong.errorMessage?.contains("API-Token unbekannt") == true)
            let ok = try await client.execute(uri: "/v1/me", method: .get, headers: bearer(fixture.tokens["caseworker"]!))
            #expect(ok.status == .ok)
            #expect(ok.json["name"] as? String == "test-caseworker")
            #expect(ok.json["municipality"] as? String == "Siegburg")
            #expect(ok.json["role"] as? String == "caseworker")
        }
    }

    @Test func englishOnRequest() async throws {
        try await fixture.application().test(.router) { client in
            let r = try await client.execute(uri: "/v1/me?lang=en", method: .get)
            #expect(r.errorMessage?.hasPrefix("authentication required") == true)
        }
    }

    @Test func disabledAccountTokenStopsWorking() async throws {
        try fixture.environment.gate.disableAccount(name: "test-dpo", actor: Actor(id: "test"))
        try await fixture.application().test(.router) { client in
            let r = try await client.execute(uri: "/v1/me", method: .get, headers: bearer(fixture.tokens["dpo"]!))
            #expect(r.status == .unauthorized)
        }
    }

    @Test func sessionCookieIsIgnoredOnTheAPI() async throws {
        try await fixture.application().test(.router) { client in
            let cookie = try #require(try await pageLogin(client, name: "test-admin"))
            let r = try await client.execute(uri: "/v1/accounts", method: .get, headers: [.cookie: "cg_session=\(cookie)"])
            #expect(r.status == .unauthorized)
        }
    }

    @Test func adminCreatesAccountAndTokenWorks() async throws {
        try await fixture.application().test(.router) { client in
            let r = try await client.execute(uri: "/v1/accounts", method: .post, headers: jsonHeaders(fixture.tokens["admin"]!),
                                             body: ByteBuffer(string: #"{"name": "carla", "role": "caseworker", "municipality": "Hennef (Sieg)"}"#))
            #expect(r.status == .created)
            let token = try #require(r.json["token"] as? String)
            let me = try await client.execute(uri: "/v1/me", method: .get, headers: bearer(token))
            #expect(me.json["municipality"] as? String == "Hennef (Sieg)")
            let again = try await client.execute(uri: "/v1/accounts", method: .post, headers: jsonHeaders(fixture.tokens["admin"]!),
                                                 body: ByteBuffer(string: #"{"name": "carla", "role": "dpo"}"#))
            #expect(again.status == .conflict)
            let list = try await client.execute(uri: "/v1/accounts", method: .get, headers: bearer(fixture.tokens["admin"]!))
            let names = (try JSONSerialization.jsonObject(with: Data(list.text.utf8)) as? [[String: Any]])?.compactMap { $0["name"] as? String }
            #expect(names?.contains("carla") == true)
            #expect(!list.text.contains("token") && !list.text.contains("scrypt"))
            // The creation is an `account-event` by the admin; the refused duplicate logged nothing.
            let events = try fixture.environment.gate.auditLog.entries(matching: AuditQuery(kinds: [.accountEvent]))
            let carla = events.filter { if case let .accountEvent(e) = $0.entry.content { return e.account == "carla" } else { return false } }
            #expect(carla.count == 1 && carla.first?.entry.actor == "test-admin", "\(carla)")
            #expect(try StoreChecks.problem(in: fixture.database.writer) == nil)
        }
    }

    /// Each bad body: status, error code and a phrase the message must contain.
    static let badBodies: [(String, String, HTTPResponse.Status, String, String)] = [
        ("malformed", #"{"name": "x", "role": "dpo""#, .badRequest, "malformed-json", "kein gültiges JSON"),
        ("not an object", #"[1, 2]"#, .badRequest, "wrong-type", "erwartet"),
        ("unknown field", #"{"name": "x", "role": "dpo", "rolle": "admin"}"#, .badRequest, "unknown-field", "\"rolle\""),
        ("wrong type", #"{"name": 17, "role": "dpo"}"#, .badRequest, "wrong-type", "\"name\": string erwartet"),
        ("missing field", #"{"name": "x"}"#, .badRequest, "missing-field", "\"role\" fehlt"),
        ("null", #"{"name": null, "role": "dpo"}"#, .badRequest, "wrong-type", "null"),
        ("bad enum", #"{"name": "x", "role": "chef"}"#, .badRequest, "invalid-field", "\"chef\" ist keine der Rollen caseworker"),
        ("empty", "", .badRequest, "malformed-json", "ohne Inhalt"),
        ("invalid name", #"{"name": "<script>", "role": "dpo"}"#, .unprocessableContent, "invalid-input", "ungültiger Kontoname"),
        ("municipality for dpo", #"{"name": "y", "role": "dpo", "municipality": "Siegburg"}"#, .unprocessableContent, "invalid-input", "keiner Kommune"),
    ]

    @Test(arguments: badBodies)
    func badRequestsGetPreciseFourHundreds(_ c: (String, String, HTTPResponse.Status, String, String)) async throws {
        try await fixture.application().test(.router) { client in
            let r = try await client.execute(uri: "/v1/accounts", method: .post, headers: jsonHeaders(fixture.tokens["admin"]!),
                                             body: ByteBuffer(string: c.1))
            #expect(r.status == c.2, "\(c.0)")
            #expect(r.errorCode == c.3, "\(c.0): \(r.text)")
            #expect(r.errorMessage?.contains(c.4) == true, "\(c.0): \(r.text)")
        }
    }

    @Test func oversizedAndWrongMediaType() async throws {
        try await fixture.application().test(.router) { client in
            let big = #"{"name": "x", "role": "dpo", "municipality": ""# + String(repeating: "a", count: 300_000) + #""}"#
            let r = try await client.execute(uri: "/v1/accounts", method: .post, headers: jsonHeaders(fixture.tokens["admin"]!),
                                             body: ByteBuffer(string: big))
            #expect(r.status == .contentTooLarge)
            #expect(r.errorCode == "body-too-large")
            #expect(r.errorMessage?.contains("262144") == true)
            let form = try await client.execute(uri: "/v1/accounts", method: .post,
                                                headers: [.authorization: "Bearer \(fixture.tokens["admin"]!)", .contentType: "text/plain"],
                                                body: ByteBuffer(string: "name=x"))
            #expect(form.status == .unsupportedMediaType)
            #expect(form.errorMessage?.contains("application/json") == true)
        }
    }

    @Test func unknownRouteIsJSON404OnTheAPI() async throws {
        try await fixture.application().test(.router) { client in
            let r = try await client.execute(uri: "/v1/nothing-here", method: .get)
            #expect(r.status == .notFound)
            #expect(r.errorCode == "not-found")
        }
    }

    /// A path that exists for other methods: 405 with the methods it has, in JSON on the API.
    static let wrongMethods: [(method: HTTPRequest.Method, uri: String, allow: String)] = [
        (.get, "/v1/decisions", "POST"),
        (.delete, "/health", "GET, HEAD"),
        (.put, "/v1/consents/c-123/withdraw", "POST"),
        (.delete, "/v1/audit/entries/7", "GET, HEAD"),
        (.patch, "/v1/accounts", "GET, HEAD, POST"),
    ]

    @Test(arguments: wrongMethods)
    func wrongMethodIs405WithAllow(_ c: (method: HTTPRequest.Method, uri: String, allow: String)) async throws {
        try await fixture.application().test(.router) { client in
            let r = try await client.execute(uri: c.uri, method: c.method,
                                             headers: [.authorization: "Bearer \(fixture.tokens["admin"]!)", .accept: "application/json"])
            #expect(r.status == .methodNotAllowed)
            #expect(r.headers[.allow] == c.allow)
            #expect(r.errorCode == "method-not-allowed")
            #expect(r.errorMessage?.contains(c.allow) == true)
        }
    }

    @Test func wrongMethodOnAPageIs405PageAndUnknownDeeperPathStays404() async throws {
        try await fixture.application().test(.router) { client in
            let page = try await client.execute(uri: "/login", method: .delete)
            #expect(page.status == .methodNotAllowed)
            #expect(page.headers[.allow] == "GET, HEAD, POST")
            #expect(page.headers[.contentType]?.hasPrefix("text/html") == true)
            let deeper = try await client.execute(uri: "/v1/decisions/extra", method: .get)
            #expect(deeper.status == .notFound)
            #expect(deeper.headers[.allow] == nil)
        }
    }

    @Test func metricsCountRequestsByRouteAndStatus() async throws {
        try await fixture.application().test(.router) { client in
            for _ in 0..<3 { try await client.execute(uri: "/health", method: .get) }
            try await client.execute(uri: "/v1/me", method: .get)
            let r = try await client.execute(uri: "/metrics", method: .get)
            #expect(r.status == .ok)
            #expect(r.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
            #expect(r.text.contains(#"consentgate_http_requests_total{method="GET",route="/health",status="200"} 3"#))
            #expect(r.text.contains(#"consentgate_http_requests_total{method="GET",route="/v1/me",status="401"} 1"#))
            #expect(r.text.contains(#"consentgate_http_request_duration_seconds_bucket{route="/health",le="+Inf"} 3"#))
            #expect(r.text.contains("# TYPE consentgate_decisions_total counter"))
        }
    }

    /// A wrong method on a route's path (405) is labelled with the route's pattern; only a path no route has is
    /// `NotFound` (a 405 was labelled `NotFound` too: an API review).
    @Test func metricsLabelA405WithItsRoute() async throws {
        try await fixture.application().test(.router) { client in
            let wrong = try await client.execute(uri: "/v1/consents/0f8e4a52-5a0b-4c3e-9d5e-2b7f1c9a6d40", method: .delete)
            #expect(wrong.status == .methodNotAllowed)
            let nowhere = try await client.execute(uri: "/nowhere", method: .get)
            #expect(nowhere.status == .notFound)
            let r = try await client.execute(uri: "/metrics", method: .get)
            #expect(r.text.contains(#"consentgate_http_requests_total{method="DELETE",route="/v1/consents/{id}",status="405"} 1"#), "\(r.text)")
            #expect(r.text.contains(#"consentgate_http_requests_total{method="GET",route="NotFound",status="404"} 1"#))
        }
    }

    @Test func securityHeadersOnEveryResponse() async throws {
        try await fixture.application().test(.router) { client in
            for uri in ["/health", "/login", "/v1/me", "/nowhere"] {
                let r = try await client.execute(uri: uri, method: .get)
                #expect(r.headers[.contentSecurityPolicy]?.contains("default-src 'none'") == true, "\(uri)")
                #expect(r.headers[values: .init("X-Frame-Options")!].first == "DENY", "\(uri)")
            }
            // The blank declaration keeps its inline style but is otherwise as strict as every page (a review, 2026-12-06).
            let form = try await client.execute(uri: "/v1/consent-templates/kim-beratung/form?language=de", method: .get,
                                                headers: bearer(fixture.tokens["caseworker"]!))
            #expect(form.status == .ok)
            let csp = form.headers[.contentSecurityPolicy] ?? ""
            #expect(csp.contains("style-src 'unsafe-inline'") && csp.contains("form-action 'none'") && csp.contains("frame-ancestors 'none'")
                    && csp.contains("base-uri 'none'"), "\(csp)")
        }
    }
}
