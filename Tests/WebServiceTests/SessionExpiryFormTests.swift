import AuditLog
import Foundation
import Gate
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Signing
import Testing
@testable import WebService

/// A case manager's form sent after the page session ended (idle timeout) or with the CSRF token of another session
/// loses nothing: the answer is the login form carrying the entries (escaped, never the CSRF token or a password),
/// and after the login the form comes back filled in with a note, to be checked and sent again. Nothing is done with
/// the old request, and a cross-site POST cannot pre-fill anything.
@Suite struct SessionExpiryFormTests {
    let fixture: WebFixture
    init() throws { fixture = try WebFixture() }

    /// A browser POST from this service's own page (Fetch metadata) unless `site` says otherwise (nil: no header at all).
    static func browserHeaders(cookie: String?, site: String? = "same-origin", contentType: String = "application/x-www-form-urlencoded") -> HTTPFields {
        var h: HTTPFields = [.contentType: contentType]
        if let cookie { h[.cookie] = cookie }
        if let site { h[HTTPField.Name("Sec-Fetch-Site")!] = site }
        return h
    }

    /// A session of `account` that went idle 31 minutes ago (expired by the store's 30-minute rule).
    func expiredSession(_ account: String) async throws -> WebSession {
        let stamp = try #require(try fixture.environment.accounts.activeAccountWithStamp(named: account)).stamp
        return try await fixture.environment.sessions.create(accountName: account, credentialsStamp: stamp, now: Date().addingTimeInterval(-31 * 60))
    }

    /// The hidden `kept.*` and `kept-form` fields of a login page, unescaped, in page order.
    static func keptFields(in html: String) -> [(String, String)] {
        let pattern = #"<input type="hidden" name="(kept[^"]*)" value="([^"]*)">"#
        let regex = try! NSRegularExpression(pattern: pattern)
        return regex.matches(in: html, range: NSRange(html.startIndex..., in: html)).map { m in
            let name = String(html[Range(m.range(at: 1), in: html)!])
            let value = String(html[Range(m.range(at: 2), in: html)!])
                .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&lt;", with: "<")
                .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&amp;", with: "&")
            return (name, value)
        }
    }

    func decisionCount() throws -> Int {
        try fixture.environment.gate.auditLog.entries(matching: AuditQuery(kinds: [.decision])).count
    }

    @Test func expiredCheckFormComesBackFilledInAfterLogin() async throws {
        let expired = try await expiredSession("test-caseworker")
        let tricky = "RSK-2022-000001\"><script>alert(1)</script>"
        try await fixture.application().test(.router) { client in
            let posted: [(String, String)] = [("_csrf", expired.csrfToken), ("subject", tricky), ("birth-date", "2012-05-01"),
                                              ("partner", "jobcenter"), ("purpose", "job-placement"), ("fields", "name.family"),
                                              ("fields", "contact.phone"), ("password", "nicht-weitergeben")]
            let r = try await client.execute(uri: "/check", method: .post, headers: Self.browserHeaders(cookie: "cg_session=\(expired.id)"),
                                             body: formEncode(posted))
            #expect(r.status == .unauthorized)
            let html = r.text
            #expect(html.contains("<form method=\"post\" action=\"/login\""))
            #expect(html.contains("id=\"kept-note\" role=\"status\" tabindex=\"-1\" autofocus"), "the note takes the focus")
            #expect(html.contains("Ihre Eingaben sind aufbewahrt"))
            #expect(!html.contains("<script>alert"), "escaped")
            #expect(!html.contains(expired.csrfToken) && !html.contains("nicht-weitergeben"), "never the old CSRF token or a password")
            let kept = Self.keptFields(in: html)
            #expect(kept.contains { $0 == ("kept-form", "check") })
            #expect(kept.contains { $0 == ("kept.subject", tricky) })
            #expect(kept.filter { $0.0 == "kept.fields" }.map(\.1) == ["name.family", "contact.phone"])
            #expect(try decisionCount() == 0, "nothing was checked")
            // Log in from that page: its new anonymous session, its CSRF token, the carried entries.
            let anon = try #require(r.cookieValue("cg_session"))
            let csrf = try #require(csrfToken(in: html))
            let login = try await client.execute(uri: "/login", method: .post, headers: Self.browserHeaders(cookie: "cg_session=\(anon)"),
                body: formEncode([("_csrf", csrf), ("name", "test-caseworker"), ("password", WebFixture.password)] + kept))
            #expect(login.status == .seeOther)
            #expect(login.headers[.location] == "/check")
            let session = try #require(login.cookieValue("cg_session"))
            let form = try await client.execute(uri: "/check", method: .get, headers: [.cookie: "cg_session=\(session)"])
            #expect(form.status == .ok)
            let page = form.text
            #expect(page.contains("id=\"kept-note\" role=\"status\" tabindex=\"-1\" autofocus"))
            #expect(page.contains("Ihre Eingaben wurden aufbewahrt"))
            #expect(page.contains("value=\"RSK-2022-000001&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\""))
            #expect(page.contains("value=\"2012-05-01\""))
            #expect(page.contains("<option value=\"jobcenter\" selected"), "\(page)")
            #expect(!page.contains("id=\"decision\""), "shown, not checked")
            #expect(try decisionCount() == 0, "the old request is never acted on")
            // Shown once.
            let again = try await client.execute(uri: "/check", method: .get, headers: [.cookie: "cg_session=\(session)"])
            #expect(!again.text.contains("kept-note") && !again.text.contains("value=\"2012-05-01\""))
        }
    }

    @Test(arguments: [("cross-site", nil), ("same-site", nil), ("cross-site", "http://localhost"), (nil, "http://evil.example"), (nil, "null"), (nil, nil)] as [(String?, String?)])
    func crossSitePostPrefillsNothing(_ site: String?, _ origin: String?) async throws {
        try await fixture.application().test(.router) { client in
            var headers = Self.browserHeaders(cookie: nil, site: site)
            if let origin { headers[.origin] = origin }
            let r = try await client.execute(uri: "/check", method: .post, headers: headers,
                body: formEncode([("subject", "RSK-2022-000009"), ("partner", "jobcenter"), ("purpose", "job-placement"), ("fields", "name.family")]))
            if site != nil {
                // A browser that says the POST came from another site's page is refused before anything (FetchMetadataPolicy).
                #expect(r.status == .forbidden)
                #expect(r.text.contains("Anfrage von einer anderen Website abgelehnt") && !r.text.contains("RSK-2022-000009"), "\(r.text)")
                return
            }
            #expect(r.status == .unauthorized)
            #expect(r.text.contains("action=\"/login\"") && r.text.contains("konnten nicht aufbewahrt werden"))
            #expect(Self.keptFields(in: r.text).isEmpty && !r.text.contains("RSK-2022-000009"))
            // Log in anyway: nothing comes back.
            let anon = try #require(r.cookieValue("cg_session"))
            let login = try await client.execute(uri: "/login", method: .post, headers: Self.browserHeaders(cookie: "cg_session=\(anon)"),
                body: formEncode([("_csrf", try #require(csrfToken(in: r.text))), ("name", "test-caseworker"), ("password", WebFixture.password)]))
            #expect(login.headers[.location] == "/")
        }
    }

    @Test func sameOriginByOriginHeaderIsKept() async throws {
        try await fixture.application().test(.router) { client in
            var headers = Self.browserHeaders(cookie: nil, site: nil)
            headers[.origin] = "http://localhost"  // the router test client's authority
            let r = try await client.execute(uri: "/check", method: .post, headers: headers, body: formEncode([("subject", "RSK-2022-000009")]))
            #expect(Self.keptFields(in: r.text).contains { $0 == ("kept.subject", "RSK-2022-000009") })
        }
    }

    @Test func tooLongEntriesAreNotKeptAndTheNoteSaysSo() async throws {
        try await fixture.application().test(.router) { client in
            let r = try await client.execute(uri: "/check", method: .post, headers: Self.browserHeaders(cookie: nil),
                body: formEncode([("subject", "RSK-2022-000009"), ("guardians", String(repeating: "x", count: 20_000))]))
            #expect(r.status == .unauthorized && Self.keptFields(in: r.text).isEmpty)
            #expect(r.text.contains("konnten nicht aufbewahrt werden"))
        }
    }

    @Test func consentFormWithCSRFOfAnotherLoginKeepsEntriesAndTheScanChecksum() async throws {
        try await fixture.application().test(.router) { client in
            // Logged in again in another tab: the cookie is the new session, the form carries the old one's token.
            let session = try #require(try await pageLogin(client, name: "test-caseworker"))
            let stale = try await fixture.environment.sessions.create(accountName: nil)
            let scan = "%PDF-1.4 signed declaration"
            let boundary = "----kept\(UUID().uuidString.prefix(8))"
            var body = ""
            for (k, v) in [("_csrf", stale.csrfToken), ("subject", "RSK-2022-000077"), ("template", "kim-beratung"), ("language", "uk"),
                           ("clauses.kim-beratung", "jugendamt"), ("granted-on", recentSigningDay), ("guardians", "Olena K.")] {
                body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(k)\"\r\n\r\n\(v)\r\n"
            }
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"scan\"; filename=\"scan.pdf\"\r\nContent-Type: application/pdf\r\n\r\n\(scan)\r\n--\(boundary)--\r\n"
            let r = try await client.execute(uri: "/consents", method: .post,
                headers: Self.browserHeaders(cookie: "cg_session=\(session); cg_lang=en", contentType: "multipart/form-data; boundary=\(boundary)"),
                body: ByteBuffer(string: body))
            #expect(r.status == .forbidden)
            #expect(r.text.contains("Your entries have been kept") && !r.text.contains("Ihre Eingaben"), "one language")
            #expect(!r.text.contains(scan) && !r.text.contains(stale.csrfToken))
            let kept = Self.keptFields(in: r.text)
            #expect(kept.contains { $0 == ("kept.scan-digest", SHA256.tagged(Data(scan.utf8))) })
            #expect(kept.contains { $0 == ("kept.scan-name", "scan.pdf") })
            #expect(try fixture.environment.gate.consents.list(subject: "RSK-2022-000077").isEmpty, "nothing recorded")
            let login = try await client.execute(uri: "/login", method: .post, headers: Self.browserHeaders(cookie: "cg_session=\(session); cg_lang=en"),
                body: formEncode([("_csrf", try #require(csrfToken(in: r.text))), ("name", "test-caseworker"), ("password", WebFixture.password)] + kept))
            #expect(login.headers[.location] == "/consents/new")
            let newSession = try #require(login.cookieValue("cg_session"))
            let form = try await client.execute(uri: "/consents/new", method: .get, headers: [.cookie: "cg_session=\(newSession); cg_lang=en"])
            let page = form.text
            #expect(page.contains("id=\"kept-note\"") && page.contains("The scan has been kept as its checksum"))
            #expect(page.contains("value=\"RSK-2022-000077\"") && page.contains("<option value=\"uk\" selected>"))
            #expect(page.contains("name=\"scan-digest\" value=\"\(SHA256.tagged(Data(scan.utf8)))\""))
            #expect(page.contains("Olena K.</textarea>"))
            #expect(try fixture.environment.gate.consents.list(subject: "RSK-2022-000077").isEmpty, "shown, never recorded by itself")
        }
    }

    @Test func failedLoginCarriesTheEntriesAgain() async throws {
        try await fixture.application().test(.router) { client in
            let r = try await client.execute(uri: "/check", method: .post, headers: Self.browserHeaders(cookie: nil),
                                             body: formEncode([("subject", "RSK-2022-000009")]))
            let anon = try #require(r.cookieValue("cg_session"))
            let kept = Self.keptFields(in: r.text)
            let wrong = try await client.execute(uri: "/login", method: .post, headers: Self.browserHeaders(cookie: "cg_session=\(anon)"),
                body: formEncode([("_csrf", try #require(csrfToken(in: r.text))), ("name", "test-caseworker"), ("password", "falsch falsch falsch")] + kept))
            #expect(wrong.status == .unauthorized)
            #expect(Self.keptFields(in: wrong.text).contains { $0 == ("kept.subject", "RSK-2022-000009") })
            #expect(wrong.text.contains("id=\"login-error\""))
        }
    }

    @Test func otherPagePostsStillAnswerTheErrorPage() async throws {
        try await fixture.application().test(.router) { client in
            let r = try await client.execute(uri: "/logout", method: .post, headers: Self.browserHeaders(cookie: nil), body: formEncode([("_csrf", "x")]))
            #expect(r.status == .unauthorized && !r.text.contains("kept-note"))
        }
    }
}

/// Kept entries are handed only to a case worker's new session: another role logging in from that page starts at `/`.
@Suite struct SessionExpiryOtherRoleTests {
    let fixture: WebFixture
    init() throws { fixture = try WebFixture() }

    @Test func aDPOLoggingInGetsTheStartPage() async throws {
        try await fixture.application().test(.router) { client in
            let r = try await client.execute(uri: "/check", method: .post, headers: SessionExpiryFormTests.browserHeaders(cookie: nil),
                                             body: formEncode([("subject", "RSK-2022-000009")]))
            let kept = SessionExpiryFormTests.keptFields(in: r.text)
            #expect(!kept.isEmpty)
            let anon = try #require(r.cookieValue("cg_session"))
            let login = try await client.execute(uri: "/login", method: .post, headers: SessionExpiryFormTests.browserHeaders(cookie: "cg_session=\(anon)"),
                body: formEncode([("_csrf", try #require(csrfToken(in: r.text))), ("name", "test-dpo"), ("password", WebFixture.password)] + kept))
            #expect(login.status == .seeOther && login.headers[.location] == "/")
        }
    }
}
