import Foundation
import Gate
import Hummingbird
import HummingbirdTesting
import Testing
@testable import WebService

/// The page login against guessing: a name with U+0000 never reaches the account look-up (SQLite would
/// read `test-dpo\0x` as `test-dpo`, and each suffix was a fresh throttle bucket), and parallel wrong
/// guesses cannot outrun the throttle (each attempt is counted before its password is checked).
@Suite struct LoginHardeningTests {
    let fixture: WebFixture
    init() throws { fixture = try WebFixture() }

    /// An anonymous session and its CSRF token, as the login form hands them out.
    func loginForm(_ client: some TestClientProtocol) async throws -> (session: String, csrf: String) {
        let form = try await client.execute(uri: "/login", method: .get)
        return (try #require(form.cookieValue("cg_session")), try #require(csrfToken(in: form.text)))
    }

    func postLogin(_ client: some TestClientProtocol, form: (session: String, csrf: String), name: String, password: String) async throws -> TestResponse {
        try await client.execute(uri: "/login", method: .post,
            headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "cg_session=\(form.session)"],
            body: formEncode([("name", name), ("password", password), ("_csrf", form.csrf)]))
    }

    @Test func aNameWithNULNeverLogsIn() async throws {
        try await fixture.application().test(.router) { client in
            let form = try await loginForm(client)
            for name in ["test-dpo\u{0}zz", "test-dpo\u{0}"] {
                let r = try await postLogin(client, form: form, name: name, password: WebFixture.password)
                #expect(r.status == .badRequest, "\(name.debugDescription): \(r.status)")
                #expect(r.setCookie("cg_session") == nil)
                #expect(r.text.contains("U+0000"))
            }
        }
    }

    @Test func aLockedOutAccountStaysLockedForNULSuffixedNames() async throws {
        try await fixture.application().test(.router) { client in
            let form = try await loginForm(client)
            for i in 1...5 {
                #expect(try await postLogin(client, form: form, name: "test-dpo", password: "wrong guess \(i)").status == .unauthorized)
            }
            #expect(try await postLogin(client, form: form, name: "test-dpo", password: WebFixture.password).status == .tooManyRequests)
            for i in 1...3 {
                let r = try await postLogin(client, form: form, name: "test-dpo\u{0}\(i)", password: WebFixture.password)
                #expect(r.status != .seeOther, "logged in past the lock-out with a NUL-suffixed name")
                #expect(r.setCookie("cg_session") == nil)
            }
        }
    }

    /// Names outside the account-name rule are refused before the throttle and the look-up, so they
    /// neither log in nor use up the attempts of a real account.
    @Test func namesOutsideTheRuleAreRefusedWithoutCountingAgainstTheAccount() async throws {
        try await fixture.application().test(.router) { client in
            let form = try await loginForm(client)
            for name in ["test-dpo\u{1}", "test-dpo/x", "tëst-dpo", String(repeating: "a", count: 65)] {
                for _ in 1...3 {
                    #expect(try await postLogin(client, form: form, name: name, password: "wrong guess").status == .unauthorized)
                }
            }
            #expect(try await postLogin(client, form: form, name: "test-dpo", password: WebFixture.password).status == .seeOther)
        }
    }

    /// The review's race: 30 parallel wrong guesses used to run 22 password checks; at most 5 may.
    /// (`ghost` is unknown, so each check is the decoy scrypt, here of `WebFixture.slowHashing`, ~0.1 s: every
    /// request is inside the check while the others arrive.)
    @Test func parallelWrongGuessesAreCheckedAtMostFiveTimes() async throws {
        let fixture = try WebFixture(passwordParameters: WebFixture.slowHashing)
        try await fixture.application().test(.router) { client in
            let form = try await loginForm(client)
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for i in 0..<20 {
                    group.addTask { try await postLogin(client, form: form, name: "ghost", password: "wrong guess \(i)").status }
                }
                var all: [HTTPResponse.Status] = []
                for try await s in group { all.append(s) }
                return all
            }
            #expect(statuses.filter { $0 == .unauthorized }.count == 5, "\(statuses.map(\.code))")
            #expect(statuses.filter { $0 == .tooManyRequests }.count == 15, "\(statuses.map(\.code))")
        }
    }

    /// A successful login forgets the attempts before it.
    @Test func aSuccessfulLoginClearsTheAttempts() async throws {
        try await fixture.application().test(.router) { client in
            let form = try await loginForm(client)
            for i in 1...4 {
                #expect(try await postLogin(client, form: form, name: "test-dpo", password: "wrong guess \(i)").status == .unauthorized)
            }
            #expect(try await postLogin(client, form: form, name: "test-dpo", password: WebFixture.password).status == .seeOther)
            let again = try await loginForm(client)
            for i in 1...4 {
                #expect(try await postLogin(client, form: again, name: "test-dpo", password: "wrong guess \(i)").status == .unauthorized)
            }
            #expect(try await postLogin(client, form: again, name: "test-dpo", password: WebFixture.password).status == .seeOther)
        }
    }

    /// Defence in depth: the store itself never looks up a name outside the rule.
    @Test func theAccountStoreRefusesNamesWithNUL() throws {
        let store = fixture.environment.accounts
        #expect(try store.account(named: "test-dpo") != nil)
        #expect(try store.account(named: "test-dpo\u{0}x") == nil)
        #expect(try store.account(named: "test-dpo\u{0}") == nil)
        #expect(try store.authenticate(name: "test-dpo\u{0}x", password: WebFixture.password) == nil)
        #expect(try store.authenticate(name: "test-dpo", password: WebFixture.password) != nil)
        #expect(throws: AccountError.invalidName("test-dpo\u{0}x")) { try fixture.environment.gate.disableAccount(name: "test-dpo\u{0}x", actor: Actor(id: "test")) }
        #expect(try store.account(named: "test-dpo")?.isActive == true)
    }
}
