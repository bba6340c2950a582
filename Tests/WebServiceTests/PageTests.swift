import Foundation
import Gate
import Hummingbird
import HummingbirdTesting
import Testing
@testable import WebService

/// Login, sessions, CSRF, language, escaping and the page frame, in process.
@Suite struct PageTests {
    let fixture: WebFixture
    init() throws { fixture = try WebFixture(municipality: "Hennef (Sieg)") }

    @Test func loginPageSetsAStrictHttpOnlySessionCookie() async throws {
        try await fixture.application().test(.router) { client in
            let r = try await client.execute(uri: "/login", method: .get)
            #expect(r.status == .ok)
            let cookie = try #require(r.setCookie("cg_session"))
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Strict"))
            #expect(!cookie.contains("Secure"))
            #expect(r.text.contains("<html lang=\"de\">"))
            #expect(r.text.contains("<label for=\"name\">Kontoname</label>"))
            #expect(r.text.contains("<main id=\"main\""))
            #expect(csrfToken(in: r.text)?.count == 43)
        }
    }

    @Test func secureCookieWhenServedOverTLS() async throws {
        let tls = try WebFixture(configuration: WebServiceConfiguration(tls: true))
        try await tls.application().test(.router) { client in
            let r = try await client.execute(uri: "/login", method: .get)
            #expect(r.setCookie("cg_session")?.contains("Secure") == true)
            // HSTS over TLS, on pages and the API alike (a review of the pages, 2026-12-06).
            for uri in ["/login", "/v1/me", "/health"] {
                let h = try await client.execute(uri: uri, method: .get)
                #expect(h.headers[values: .init("Strict-Transport-Security")!] == ["max-age=31536000"], "\(uri)")
            }
        }
        // Not over plain HTTP: there the header means nothing and a proxy in front decides.
        try await fixture.application().test(.router) { client in
            let r = try await client.execute(uri: "/login", method: .get)
            #expect(r.headers[values: .init("Strict-Transport-Security")!].isEmpty)
        }
    }

    @Test func loginRotatesTheSessionAndShowsTheRoleStartPage() async throws {
        try await fixture.application().test(.router) { client in
            let form = try await client.execute(uri: "/login", method: .get)
            let anon = try #require(form.cookieValue("cg_session"))
            let session = try #require(try await pageLogin(client, name: "test-caseworker"))
            #expect(session != anon)
            let start = try await client.execute(uri: "/", method: .get, headers: [.cookie: "cg_session=\(session)"])
            #expect(start.status == .ok)
            #expect(start.text.contains("Willkommen, test-caseworker"))
            #expect(start.text.contains("data-role=\"caseworker\""))
            #expect(start.text.contains("Fallmanagement"))
            // The account's municipality (one of the county's: a name with markup cannot be given, AccountNameTests).
            #expect(start.text.contains("Hennef (Sieg)"))
            // Times in Berlin time with zone abbreviation.
            #expect(start.text.contains("MEZ</time>") || start.text.contains("MESZ</time>"))
            let dpo = try #require(try await pageLogin(client, name: "test-dpo"))
            let dpoStart = try await client.execute(uri: "/", method: .get, headers: [.cookie: "cg_session=\(dpo)"])
            #expect(dpoStart.text.contains("Prüfprotokoll"))
        }
    }

    @Test func wrongPasswordIs401WithoutHint() async throws {
        try await fixture.application().test(.router) { client in
            let form = try await client.execute(uri: "/login", method: .get)
            let anon = try #require(form.cookieValue("cg_session"))
            let csrf = try #require(csrfToken(in: form.text))
            for (name, password) in [("test-dpo", "wrong password!!"), ("nobody", WebFixture.password)] {
                let r = try await client.execute(uri: "/login", method: .post,
                    headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "cg_session=\(anon)"],
                    body: formEncode([("name", name), ("password", password), ("_csrf", csrf)]))
                #expect(r.status == .unauthorized)
                #expect(r.text.contains("Kontoname oder Passwort falsch"))
                #expect(r.text.contains("role=\"alert\""))
                #expect(r.setCookie("cg_session") == nil)
            }
        }
    }

    @Test func csrfIsCheckedOnEveryPost() async throws {
        try await fixture.application().test(.router) { client in
            let form = try await client.execute(uri: "/login", method: .get)
            let anon = try #require(form.cookieValue("cg_session"))
            let csrf = try #require(csrfToken(in: form.text))
            let headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded", .cookie: "cg_session=\(anon)"]
            // Missing, wrong, and a valid token from another session.
            let other = try await client.execute(uri: "/login", method: .get)
            let otherCSRF = try #require(csrfToken(in: other.text))
            // The wrong token differs from the right one in its first character (a fixed "x" would equal a
            // token that happens to start with "x": one in 64).
            let wrong = (csrf.first == "x" ? "y" : "x") + csrf.dropFirst()
            for token in [nil, wrong, otherCSRF] {
                var fields = [("name", "test-dpo"), ("password", WebFixture.password)]
                if let token { fields.append(("_csrf", token)) }
                let r = try await client.execute(uri: "/login", method: .post, headers: headers, body: formEncode(fields))
                #expect(r.status == .forbidden)
                #expect(r.text.contains("CSRF"))
            }
            // Without any session cookie.
            let none = try await client.execute(uri: "/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                                                body: formEncode([("name", "test-dpo"), ("password", WebFixture.password), ("_csrf", csrf)]))
            #expect(none.status == .forbidden)
            // Logged in: logout without the token is refused and the session survives.
            let session = try #require(try await pageLogin(client, name: "test-dpo"))
            let logout = try await client.execute(uri: "/logout", method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "cg_session=\(session)"], body: formEncode([]))
            #expect(logout.status == .forbidden)
            let still = try await client.execute(uri: "/", method: .get, headers: [.cookie: "cg_session=\(session)"])
            #expect(still.status == .ok)
        }
    }

    @Test func logoutEndsTheSession() async throws {
        try await fixture.application().test(.router) { client in
            let session = try #require(try await pageLogin(client, name: "test-exporter"))
            let start = try await client.execute(uri: "/", method: .get, headers: [.cookie: "cg_session=\(session)"])
            let csrf = try #require(csrfToken(in: start.text))
            let r = try await client.execute(uri: "/logout", method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "cg_session=\(session)"],
                body: formEncode([("_csrf", csrf)]))
            #expect(r.status == .seeOther)
            #expect(r.headers[.location] == "/login?loggedout=1")
            #expect(r.setCookie("cg_session")?.contains("Max-Age=0") == true)
            let after = try await client.execute(uri: "/", method: .get, headers: [.cookie: "cg_session=\(session)"])
            #expect(after.status == .seeOther)
            #expect(after.headers[.location] == "/login")
        }
    }

    @Test func disablingAnAccountEndsItsSession() async throws {
        try await fixture.application().test(.router) { client in
            // Not test-admin: the fixture's only administrator cannot be disabled (LastAdminTests).
            let session = try #require(try await pageLogin(client, name: "test-dpo"))
            try fixture.environment.gate.disableAccount(name: "test-dpo", actor: Actor(id: "test"))
            let r = try await client.execute(uri: "/", method: .get, headers: [.cookie: "cg_session=\(session)"])
            #expect(r.status == .seeOther)
            #expect(await fixture.environment.sessions.session(id: session) == nil)
        }
    }

    @Test func englishSwitchIsRememberedInACookie() async throws {
        try await fixture.application().test(.router) { client in
            let r = try await client.execute(uri: "/login?lang=en", method: .get)
            #expect(r.text.contains("<html lang=\"en\">"))
            #expect(r.text.contains("Account name"))
            #expect(r.text.contains("href=\"/login?lang=de\""))
            #expect(r.cookieValue("cg_lang") == "en")
            let again = try await client.execute(uri: "/login", method: .get, headers: [.cookie: "cg_lang=en"])
            #expect(again.text.contains("Log in"))
        }
    }

    @Test func unauthenticatedPagePostIs401PageAndUnknownPageIs404Page() async throws {
        try await fixture.application().test(.router) { client in
            let r = try await client.execute(uri: "/logout", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                                             body: formEncode([("_csrf", "x")]))
            #expect(r.status == .unauthorized)
            #expect(r.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(r.text.contains("href=\"/login\""))
            // Words for a person, not the API's (a review of the pages, 2026-12-06).
            #expect(r.text.contains("Diese Seite zeigt sich erst nach der Anmeldung") && !r.text.contains("Bearer"), "\(r.text)")
            let english = try await client.execute(uri: "/check?lang=en", method: .get)
            #expect(english.status == .unauthorized && english.text.contains("This page shows only after you log in") && !english.text.contains("API token"), "\(english.text)")
            let missing = try await client.execute(uri: "/nirgends", method: .get)
            #expect(missing.status == .notFound)
            #expect(missing.text.contains("Nicht gefunden: /nirgends"))
        }
    }

    @Test func malformedFormIs400() async throws {
        try await fixture.application().test(.router) { client in
            let form = try await client.execute(uri: "/login", method: .get)
            let anon = try #require(form.cookieValue("cg_session"))
            let r = try await client.execute(uri: "/login", method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "cg_session=\(anon)"],
                body: ByteBuffer(string: "name=%ZZ&password=x"))
            #expect(r.status == .badRequest)
            #expect(r.text.contains("fehlerhaft kodiert"))
        }
    }

    @Test func stylesheetIsLocalWithPrintRules() async throws {
        try await fixture.application().test(.router) { client in
            let r = try await client.execute(uri: "/assets/style.css", method: .get)
            #expect(r.status == .ok)
            #expect(r.headers[.contentType] == "text/css; charset=utf-8")
            #expect(r.text.contains("@media print"))
            #expect(!r.text.contains("http://") && !r.text.contains("https://"))
        }
    }

    @Test func htmlEscaping() {
        let evil = "<script>alert('x')</script>&"
        let h: HTML = "<p title=\"\(evil)\">\(evil)</p>"
        #expect(h.markup == "<p title=\"&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;\">&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;</p>")
    }

    @Test func berlinTimeHandlesSummerAndWinter() {
        let winter = Date(timeIntervalSince1970: 1_795_600_800) // 2026-11-25T10:00:00Z
        #expect(BerlinTime.format(winter, language: .de) == "25.11.2026, 11:00 MEZ")
        #expect(BerlinTime.format(winter, language: .en) == "25 Nov 2026, 11:00 CET")
        let summer = Date(timeIntervalSince1970: 1_783_159_200) // 2026-07-04T10:00:00Z
        #expect(BerlinTime.format(summer, language: .de) == "04.07.2026, 12:00 MESZ")
    }
}
