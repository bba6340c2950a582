import AuditLog
import Foundation
import Gate
import Hummingbird
import HummingbirdTesting
import PolicyEngine
import Signing
import Testing
@testable import WebService

/// A fresh installation for one test: a real SQLite file in a temporary folder, one account per role
/// (case workers in two municipalities), and the web environment over it. The folder is removed when the fixture is
/// released — a local of the test or a stored property of its suite, so after the test, also when it failed or
/// threw — or earlier by `remove()`.
final class WebFixture: Sendable {
    let directory: URL
    let database: AppDatabase
    let environment: WebEnvironment
    /// Role name (or `caseworker-other`) → API token.
    let tokens: [String: String]
    /// The password of every fixture account.
    static let password = "correct horse battery staple"
    /// Cheaper scrypt for fixtures (still real scrypt; production uses ln=15, r=8, p=3): the accounts' hashes and, by
    /// default, the service's `passwordParameters`, so fixture logins neither rehash nor run production-strength decoys.
    static let fastHashing = PasswordHashing.Parameters(logN: 10, r: 8, p: 1)
    /// For tests that need each password check to take a while (an unknown name's decoy, ~0.1 s: a burst of requests
    /// all arrive while checks run): the standard until 2026-12-05, a third of today's work, so they stay as fast as before.
    static let slowHashing = PasswordHashing.Parameters(logN: 15, r: 8, p: 1)

    /// `passwordParameters` replaces the configuration's (the service's rehash target and decoy strength).
    init(configuration: WebServiceConfiguration = WebServiceConfiguration(), municipality: String = "Siegburg",
         passwordParameters: PasswordHashing.Parameters = fastHashing) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cg-web-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var opened = false
        defer { if !opened { try? FileManager.default.removeItem(at: directory) } }   // a failed set-up leaves nothing
        self.directory = directory
        let gate = try Gate.open(GateConfiguration(databasePath: directory.appendingPathComponent("consentgate.sqlite").path,
                                                   policyDirectory: Self.root.appendingPathComponent("policies/kim-rhein-sieg").path,
                                                   trustFile: Self.root.appendingPathComponent("keys/trust.yaml").path, demoMode: true))
        database = gate.database
        var configuration = configuration
        configuration.passwordParameters = passwordParameters
        environment = WebEnvironment(configuration: configuration, gate: gate)
        var tokens: [String: String] = [:]
        let admin = Actor(id: "test-setup")
        for role in AccountRole.allCases {
            let created = try gate.addAccount(name: "test-\(role.rawValue)", role: role, municipality: role == .caseworker ? municipality : nil,
                                              password: Self.password, actor: admin, passwordParameters: Self.fastHashing)
            tokens[role.rawValue] = created.token
        }
        tokens["caseworker-other"] = try gate.addAccount(name: "test-caseworker-other", role: .caseworker, municipality: "Troisdorf",
                                                         password: Self.password, actor: admin, passwordParameters: Self.fastHashing).token
        self.tokens = tokens
        opened = true
    }

    deinit { remove() }

    /// The package root (policies/ and keys/ are read from there).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The application over this fixture (not started: tests drive it with `.router` or `.live`).
    func application() -> some ApplicationProtocol { WebApplication.build(environment: environment) }

    func remove() { try? FileManager.default.removeItem(at: directory) }

    /// `(actor, event)` of every `account-event` of `account` in the fixture's audit log, oldest first.
    func accountEvents(for account: String) throws -> [(actor: String, event: String)] {
        try environment.gate.auditLog.entries(matching: AuditQuery(kinds: [.accountEvent])).compactMap {
            guard case let .accountEvent(e) = $0.entry.content, e.account == account else { return nil }
            return ($0.entry.actor, e.event)
        }
    }
}

extension TestResponse {
    /// The body as UTF-8 text.
    var text: String { String(buffer: body) }
    /// The body parsed as a JSON object (empty when it is not one).
    var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:] }
    /// `error.code` of a JSON error body.
    var errorCode: String? { (json["error"] as? [String: Any])?["code"] as? String }
    /// `error.message` of a JSON error body.
    var errorMessage: String? { (json["error"] as? [String: Any])?["message"] as? String }
    /// The Set-Cookie header for `name`, whole (attributes included).
    func setCookie(_ name: String) -> String? { headers[values: .setCookie].first { $0.hasPrefix("\(name)=") } }
    /// The value of the cookie `name` set by this response.
    func cookieValue(_ name: String) -> String? {
        setCookie(name).map { String($0.dropFirst(name.count + 1).prefix { $0 != ";" }) }
    }
}

/// Headers for a bearer token.
func bearer(_ token: String) -> HTTPFields { [.authorization: "Bearer \(token)"] }

/// JSON request headers with a bearer token.
func jsonHeaders(_ token: String) -> HTTPFields { [.authorization: "Bearer \(token)", .contentType: "application/json"] }

/// The `_csrf` value of the first form in a page.
func csrfToken(in html: String) -> String? {
    guard let r = html.range(of: "name=\"_csrf\" value=\"") else { return nil }
    return String(html[r.upperBound...].prefix { $0 != "\"" })
}

/// Percent-encodes a form value.
func formEncode(_ fields: [(String, String)]) -> ByteBuffer {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._*")
    let body = fields.map { k, v in
        "\(k.addingPercentEncoding(withAllowedCharacters: allowed)!)=\(v.addingPercentEncoding(withAllowedCharacters: allowed)!)"
    }.joined(separator: "&")
    return ByteBuffer(string: body)
}

/// Logs in through the pages (GET /login for the CSRF token, POST /login); returns the session cookie value.
func pageLogin(_ client: some TestClientProtocol, name: String, password: String = WebFixture.password) async throws -> String? {
    let form = try await client.execute(uri: "/login", method: .get)
    guard let anon = form.cookieValue("cg_session"), let csrf = csrfToken(in: form.text) else { return nil }
    let response = try await client.execute(uri: "/login", method: .post,
        headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "cg_session=\(anon)"],
        body: formEncode([("name", name), ("password", password), ("_csrf", csrf)]))
    return response.status == .seeOther ? response.cookieValue("cg_session") : nil
}

/// Fetches the login form (a fresh anonymous session) and posts `name` and `password`, with `device` as the
/// `cg_device` cookie when given; the login's response as it is (303 with cookies, 401, 429, …).
func loginResponse(_ client: some TestClientProtocol, _ name: String, _ password: String, device: String? = nil) async throws -> TestResponse {
    let form = try await client.execute(uri: "/login", method: .get)
    let session = try #require(form.cookieValue("cg_session")), csrf = try #require(csrfToken(in: form.text))
    let cookies = "cg_session=\(session)" + (device.map { "; cg_device=\($0)" } ?? "")
    return try await client.execute(uri: "/login", method: .post,
        headers: [.contentType: "application/x-www-form-urlencoded", .cookie: cookies],
        body: formEncode([("name", name), ("password", password), ("_csrf", csrf)]))
}

/// What a browser shows after `POST /check`'s 303 to the decision's page (`/check/{index}`, post-redirect-get): that
/// page, fetched with `cookie`; any other answer (also another 303) as it is.
func following(_ client: some TestClientProtocol, _ response: TestResponse, cookie: String) async throws -> TestResponse {
    guard response.status == .seeOther, let location = response.headers[.location], location.hasPrefix("/check/") else { return response }
    return try await client.execute(uri: location, method: .get, headers: [.cookie: cookie])
}

/// A signing day a few days back (`YYYY-MM-DD`, Berlin), for recording forms whose test is not about the date: a fixed
/// day runs past the template's two-year validity one day, and the form then asks to confirm an expired declaration
/// (the tests would fail from then on, not the code).
let recentSigningDay = UTCDay.format(BerlinDay.day(of: Date()) - 5)
