import ChildProcess
import Foundation
import Gate
import Hummingbird
import HummingbirdTesting
import Testing
@testable import WebService

/// Device cookies kept in the database (`device_cookie`): a browser that logged in before a restart of `serve`, or
/// through another `serve` process on the same database, is still a trusted client, so wrong passwords typed for its
/// account name elsewhere do not lock it out. Before, the cookies lived in one process's memory and were lost.
@Suite struct DeviceCookiePersistenceTests {
    let fixture: WebFixture
    init() throws { fixture = try WebFixture() }

    /// The fixture's installation opened again (another pool on the same file, with fresh memory): what a restarted
    /// `serve` process has.
    func restartedEnvironment() throws -> WebEnvironment {
        let gate = try Gate.open(GateConfiguration(databasePath: fixture.directory.appendingPathComponent("consentgate.sqlite").path,
                                                   policyDirectory: WebFixture.root.appendingPathComponent("policies/kim-rhein-sieg").path,
                                                   trustFile: WebFixture.root.appendingPathComponent("keys/trust.yaml").path, demoMode: true))
        return WebEnvironment(configuration: fixture.environment.configuration, gate: gate)
    }

    /// `loginResponse` (WebTestSupport): the login form fetched, `name` and `password` posted, `device` as the cookie.
    func login(_ client: some TestClientProtocol, _ name: String, _ password: String, device: String? = nil) async throws -> TestResponse {
        try await loginResponse(client, name, password, device: device)
    }

    @Test("a device cookie issued before a restart is honoured after it, while the name's untrusted clients are locked out")
    func cookieSurvivesARestart() async throws {
        let device = try await fixture.application().test(.router) { client in
            try await login(client, "test-dpo", WebFixture.password).cookieValue("cg_device")
        }
        let issued = try #require(device)
        let restarted = try restartedEnvironment()
        try await WebApplication.build(environment: restarted).test(.router) { client in
            for i in 1...6 {
                let r = try await login(client, "test-dpo", "wrong guess \(i)")
                #expect(r.status == (i <= 5 ? .unauthorized : .tooManyRequests), "attempt \(i): \(r.status)")
            }
            let again = try await login(client, "test-dpo", WebFixture.password, device: issued)
            #expect(again.status == .seeOther, "the cookie from before the restart was not honoured: \(again.status)")
            // The renewed cookie is in the database too: the first process honours it, the old one is gone for both.
            let renewed = try #require(again.cookieValue("cg_device"))
            let store = DeviceCookieStore(database: fixture.database)
            #expect(try store.isValid(token: renewed, for: "test-dpo"))
            #expect(try !store.isValid(token: issued, for: "test-dpo"))
        }
    }

    @Test("disabling an account over the API drops its device cookies from the database")
    func disablingOverTheAPIDropsCookies() async throws {
        try await fixture.application().test(.router) { client in
            let device = try #require(try await login(client, "test-dpo", WebFixture.password).cookieValue("cg_device"))
            _ = try #require(try await login(client, "test-exporter", WebFixture.password).cookieValue("cg_device"))
            let store = DeviceCookieStore(database: fixture.database)
            #expect(try store.isValid(token: device, for: "test-dpo"))
            let r = try await client.execute(uri: "/v1/accounts/test-dpo/disable", method: .post, headers: bearer(fixture.tokens["admin"]!))
            #expect(r.status == .ok, "\(r.text)")
            #expect(try !store.isValid(token: device, for: "test-dpo"))
            #expect(try store.count(for: "test-dpo") == 0)
            #expect(try store.count(for: "test-exporter") == 1, "another account's cookie stays")
        }
    }

    /// The built binary, as `CommandTests` runs it.
    static var binary: URL { WebFixture.root.appendingPathComponent(".build/debug/consentgate") }

    @Test("a cookie issued by this process is honoured by a `consentgate serve` process on the same database; `users disable` in a shell drops it",
          .timeLimit(.minutes(3)))
    func anotherServeProcessHonoursTheCookie() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary.path), "build first: swift build --build-tests")
        let device = try await fixture.application().test(.router) { client in
            try await login(client, "test-dpo", WebFixture.password).cookieValue("cg_device")
        }
        let issued = try #require(device)
        let db = fixture.directory.appendingPathComponent("consentgate.sqlite").path
        let p = try Spawn.start(Self.binary.path, ["serve", "--db", db, "--port", "0", "--demo"],
                                environment: .inherited(overriding: ["CONSENTGATE_LANG": "en"]),
                                workingDirectory: WebFixture.root.path, stderr: .null)
        defer { p.terminate(); _ = try? p.waitForExit() }
        let text = p.waitForStandardOutput(timeout: 20) { $0.contains("/  (") }
        let port = try #require(text.firstMatch(of: /http:\/\/127\.0\.0\.1:(\d+)\//)?.1, "no URL in: \(text)")
        let base = "http://127.0.0.1:\(port)/login"
        /// A login in the other process with curl: the form (session cookie, CSRF token), then the POST; its status.
        func loginThere(_ password: String, device: String? = nil) throws -> String {
            let form = try Spawn.run("/usr/bin/env", ["curl", "-s", "-D", "-", base])
            let session = try #require(form.stdoutText.firstMatch(of: /cg_session=([^;\s]+)/)?.1)
            let csrf = try #require(csrfToken(in: form.stdoutText))
            let cookie = "cg_session=\(session)" + (device.map { "; cg_device=\($0)" } ?? "")
            let post = try Spawn.run("/usr/bin/env", ["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-H", "Cookie: \(cookie)",
                                                      "--data-urlencode", "name=test-dpo", "--data-urlencode", "password=\(password)",
                                                      "--data-urlencode", "_csrf=\(csrf)", base])
            return post.stdoutText
        }
        for i in 1...5 { #expect(try loginThere("wrong guess \(i)") == "401", "attempt \(i)") }
        #expect(try loginThere(WebFixture.password) == "429", "the untrusted clients of the name are locked out")
        #expect(try loginThere(WebFixture.password, device: issued) == "303", "the other process did not honour the cookie")
        p.terminate()
        _ = try p.waitForExit()
        // `users disable` in a shell: the account's cookies (the one just renewed by the other process) are gone.
        let store = DeviceCookieStore(database: fixture.database)
        #expect(try store.count(for: "test-dpo") == 1)
        let disable = try Spawn.run(Self.binary.path, ["users", "disable", "--demo", "--db", db, "test-dpo"],
                                    environment: .inherited(overriding: ["CONSENTGATE_LANG": "en"]), workingDirectory: WebFixture.root.path)
        #expect(disable.status == 0, "\(disable.stderrText)")
        #expect(try store.count(for: "test-dpo") == 0)
    }
}
