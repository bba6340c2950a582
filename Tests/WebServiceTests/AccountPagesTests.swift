import AuditLog
import Foundation
import Gate
import GRDB
import Hummingbird
import HummingbirdTesting
import Testing
@testable import WebService

/// An administrator's page session in a test: GETs with its cookie, form POSTs with its CSRF token (read from the
/// accounts page) unless told otherwise.
struct AdminPageSession {
    let client: any TestClientProtocol
    let cookie: String
    let csrf: String

    /// Logs `name` in through the pages and reads the CSRF token from `/accounts`.
    static func logIn(_ client: some TestClientProtocol, name: String = "test-admin") async throws -> AdminPageSession {
        let cookie = try #require(try await pageLogin(client, name: name))
        let page = try await client.execute(uri: "/accounts", method: .get, headers: [.cookie: "cg_session=\(cookie)"])
        return AdminPageSession(client: client, cookie: cookie, csrf: try #require(csrfToken(in: page.text), "\(page.status) \(page.text)"))
    }

    func get(_ uri: String) async throws -> TestResponse {
        try await client.execute(uri: uri, method: .get, headers: [.cookie: "cg_session=\(cookie)"])
    }

    /// POSTs `fields` as a form with the session's CSRF token (`csrf: nil`: none; another string: that one).
    func post(_ uri: String, _ fields: [(String, String)], csrf: String?? = .some(nil)) async throws -> TestResponse {
        var all = fields
        switch csrf {
        case .some(.none): all.append(("_csrf", self.csrf))
        case let .some(.some(token)): all.append(("_csrf", token))
        case .none: break
        }
        return try await client.execute(uri: uri, method: .post,
            headers: [.cookie: "cg_session=\(cookie)", .contentType: "application/x-www-form-urlencoded"], body: formEncode(all))
    }
}

/// The value of the one-time token field on a page that answers a POST, if there is one.
func shownToken(in html: String) -> String? {
    guard let r = html.range(of: "id=\"new-token-value\" readonly value=\"") else { return nil }
    return String(html[r.upperBound...].prefix { $0 != "\"" })
}

/// `/accounts` for an administrator: the list, adding an account of each role, a new token shown once that works as a
/// bearer token, disabling with confirmation, the `account-event`s with the administrator as actor, both languages.
@Suite struct AccountPagesTests {
    let fixture: WebFixture
    init() throws { fixture = try WebFixture() }


    @Test func listShowsEveryAccountWithRoleInWordsAndTheAddForm() async throws {
        try fixture.environment.gate.disableAccount(name: "test-exporter", actor: Actor(id: "test"))
        try await fixture.application().test(.router) { client in
            let admin = try await AdminPageSession.logIn(client)
            let r = try await admin.get("/accounts")
            #expect(r.status == .ok)
            let html = r.text
            for name in ["test-admin", "test-caseworker", "test-caseworker-other", "test-dpo", "test-exporter"] {
                #expect(html.contains("<tr data-account=\"\(name)\"><th scope=\"row\">\(name)</th>"), "\(name)")
            }
            #expect(html.contains("<td data-role=\"caseworker\">Fallmanagement</td><td>Siegburg</td>"))
            #expect(html.contains("<td data-role=\"dpo\">Datenschutzbeauftragte/r</td>"))
            #expect(html.contains("MEZ</time>") || html.contains("MESZ</time>"))
            // The disabled account: since when, and no buttons; the only admin: no disable button, the reason in words.
            let exporterRow = try #require(html.components(separatedBy: "<tr data-account=\"test-exporter\">").last?.components(separatedBy: "</tr>").first)
            #expect(exporterRow.contains("gesperrt seit <time") && !exporterRow.contains("<form"), "\(exporterRow)")
            let adminRow = try #require(html.components(separatedBy: "<tr data-account=\"test-admin\">").last?.components(separatedBy: "</tr>").first)
            #expect(adminRow.contains("Letztes aktives Administrationskonto") && !adminRow.contains("/accounts/disable"), "\(adminRow)")
            #expect(adminRow.contains("action=\"/accounts/token\""))
            let dpoRow = try #require(html.components(separatedBy: "<tr data-account=\"test-dpo\">").last?.components(separatedBy: "</tr>").first)
            #expect(dpoRow.contains("action=\"/accounts/disable\"") && dpoRow.contains("name=\"_csrf\""))
            // The add form: a municipality choice from the policy, the note about passwords; the navigation links.
            #expect(html.contains("<form method=\"post\" action=\"/accounts\" id=\"add-account\">"))
            #expect(html.contains("<option value=\"Hennef (Sieg)\">Hennef (Sieg)</option>"))
            #expect(html.contains("consentgate users password"))
            #expect(html.contains("<a href=\"/accounts\" aria-current=\"page\">Konten</a>") && html.contains("<a href=\"/keys\">Schlüssel</a>"))
        }
    }

    @Test(arguments: [(AccountRole.caseworker, "Troisdorf"), (.dpo, ""), (.exporter, ""), (.admin, "")])
    func addingAnAccountShowsItsTokenOnceAndTheTokenWorks(role: AccountRole, municipality: String) async throws {
        try await fixture.application().test(.router) { client in
            let admin = try await AdminPageSession.logIn(client)
            let r = try await admin.post("/accounts", [("name", "neu-\(role.rawValue)"), ("role", role.rawValue), ("municipality", municipality)])
            #expect(r.status == .ok, "\(r.text)")
            let token = try #require(shownToken(in: r.text), "\(r.text)")
            #expect(token.hasPrefix("cg_"))
            #expect(r.text.contains("Konto neu-\(role.rawValue) angelegt") && r.text.contains("nur dieses eine Mal angezeigt"))
            #expect(r.headers[.location] == nil && r.headers[.cacheControl] == "no-store")
            // The language switch leads to the plain list, not carrying the token.
            #expect(r.text.contains("href=\"/accounts?lang=en\"") && !r.text.contains("lang=en&"))
            let me = try await client.execute(uri: "/v1/me", method: .get, headers: bearer(token))
            #expect(me.status == .ok && me.json["name"] as? String == "neu-\(role.rawValue)" && me.json["role"] as? String == role.rawValue, "\(me.text)")
            #expect(me.json["municipality"] as? String == (municipality.isEmpty ? nil : municipality))
            // Never again on a later page.
            let later = try await admin.get("/accounts")
            #expect(later.text.contains("<tr data-account=\"neu-\(role.rawValue)\">") && !later.text.contains(token) && shownToken(in: later.text) == nil)
            #expect(try fixture.accountEvents(for: "neu-\(role.rawValue)").map { "\($0.actor) \($0.event)" } == ["test-admin created"])
            // Created without page password, as in the API.
            let hash = try await fixture.database.writer.read { db in
                try String?.fetchOne(db, sql: "SELECT password_hash FROM account WHERE name = ?", arguments: ["neu-\(role.rawValue)"])
            }
            #expect(hash == .some(nil), "the row exists, without password hash")
        }
    }

    @Test func aNewTokenReplacesTheOldAndIsShownOnce() async throws {
        let old = fixture.tokens["dpo"]!
        try await fixture.application().test(.router) { client in
            let admin = try await AdminPageSession.logIn(client)
            let dpoSession = try #require(try await pageLogin(client, name: "test-dpo"))
            let r = try await admin.post("/accounts/token", [("name", "test-dpo")])
            #expect(r.status == .ok, "\(r.text)")
            let token = try #require(shownToken(in: r.text))
            #expect(token != old && r.text.contains("Neues API-Token für test-dpo") && r.text.contains("gilt ab sofort nicht mehr"))
            #expect(try await client.execute(uri: "/v1/me", method: .get, headers: bearer(old)).status == .unauthorized)
            #expect(try await client.execute(uri: "/v1/me", method: .get, headers: bearer(token)).json["name"] as? String == "test-dpo")
            // The account's page session ended (its credentials changed).
            #expect(try await client.execute(uri: "/", method: .get, headers: [.cookie: "cg_session=\(dpoSession)"]).status == .seeOther)
            #expect(!(try await admin.get("/accounts")).text.contains(token))
            #expect(try fixture.accountEvents(for: "test-dpo").last! == ("test-admin", "credentials-changed"))
        }
    }

    @Test func disablingAsksFirstThenEndsTheTokenAndThePageSession() async throws {
        let exporterToken = fixture.tokens["exporter"]!
        try await fixture.application().test(.router) { client in
            let admin = try await AdminPageSession.logIn(client)
            let exporterSession = try #require(try await pageLogin(client, name: "test-exporter"))
            // The button asks first: nothing changed yet.
            let ask = try await admin.post("/accounts/disable", [("name", "test-exporter")])
            #expect(ask.status == .ok, "\(ask.text)")
            #expect(ask.text.contains("<h1>Konto sperren?</h1>") && ask.text.contains("name=\"confirm\" value=\"yes\""))
            #expect(ask.text.contains("<a href=\"/accounts\" id=\"disable-cancel\">"))
            #expect(try fixture.environment.gate.accounts.account(named: "test-exporter")?.isActive == true)
            #expect(try await client.execute(uri: "/v1/me", method: .get, headers: bearer(exporterToken)).status == .ok)
            // Confirmed: disabled, to the list saying so.
            let done = try await admin.post("/accounts/disable", [("name", "test-exporter"), ("confirm", "yes")])
            #expect(done.status == .seeOther && done.headers[.location] == "/accounts?disabled=test-exporter", "\(done.text)")
            let list = try await admin.get("/accounts?disabled=test-exporter")
            #expect(list.text.contains("id=\"account-disabled\"") && list.text.contains("Konto test-exporter ist gesperrt"))
            #expect(try fixture.environment.gate.accounts.account(named: "test-exporter")?.isActive == false)
            #expect(try await client.execute(uri: "/v1/me", method: .get, headers: bearer(exporterToken)).status == .unauthorized)
            #expect(await fixture.environment.sessions.session(id: exporterSession) == nil)
            #expect(try await client.execute(uri: "/", method: .get, headers: [.cookie: "cg_session=\(exporterSession)"]).status == .seeOther)
            #expect(try fixture.accountEvents(for: "test-exporter").last! == ("test-admin", "disabled"))
            // `?disabled=` of an active account says nothing.
            #expect(!(try await admin.get("/accounts?disabled=test-dpo")).text.contains("account-disabled"))
        }
    }

    @Test func englishTexts() async throws {
        try await fixture.application().test(.router) { client in
            let admin = try await AdminPageSession.logIn(client)
            let list = try await admin.get("/accounts?lang=en")
            #expect(list.text.contains("<html lang=\"en\">") && list.text.contains("<h1>Accounts</h1>"))
            #expect(list.text.contains("<td data-role=\"caseworker\">Case worker</td>") && list.text.contains("Passwords are not set here"))
            #expect(list.text.contains("Last active administrator") && list.text.contains("New API token<span class=\"visually-hidden\"> for test-dpo</span>"))
            #expect(list.text.contains("CET</time>") || list.text.contains("CEST</time>"))
            let start = try await admin.get("/?lang=en")
            #expect(start.text.contains("Add accounts, issue them a new API token and disable them"))
            #expect(start.text.contains("<a href=\"/accounts\">Accounts</a>") && start.text.contains("<a href=\"/keys\">Keys</a>"))
            let created = try await admin.post("/accounts?lang=en", [("name", "anna"), ("role", "dpo")])
            #expect(created.text.contains("Account anna added: its API token") && created.text.contains("shown this once only"))
            let ask = try await admin.post("/accounts/disable?lang=en", [("name", "anna")])
            #expect(ask.text.contains("<h1>Disable the account?</h1>") && ask.text.contains("Yes, disable account anna"))
            let refused = try await admin.post("/accounts?lang=en", [("name", "bert"), ("role", "caseworker")])
            #expect(refused.text.contains("acts for one municipality: please choose it"), "\(refused.text)")
        }
    }
}
