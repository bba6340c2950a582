import Foundation
import Gate
import Hummingbird
import HummingbirdTesting
import Testing
@testable import WebService

/// Wrong passwords typed for a colleague's account name must not lock the colleague out (found in a review: the
/// per-account throttle did, for 5 minutes, for anyone who knew the name). The OWASP device cookies: a browser that
/// has logged in to the account is counted on its own; untrusted clients keep the per-account limit.
@Suite struct LoginDeviceCookieTests {
    let fixture: WebFixture
    init() throws { fixture = try WebFixture() }

    /// `loginResponse` (WebTestSupport): the login form fetched, `name` and `password` posted, `device` as the cookie.
    func login(_ client: some TestClientProtocol, _ name: String, _ password: String, device: String? = nil) async throws -> TestResponse {
        try await loginResponse(client, name, password, device: device)
    }

    /// The real user's browser, having logged in before, still logs in while wrong guesses from elsewhere have used
    /// up the untrusted attempts for the name; the attacker stays refused, even with the right password.
    @Test func guessesElsewhereDoNotLockOutABrowserThatLoggedInBefore() async throws {
        try await fixture.application().test(.router) { client in
            let first = try await login(client, "test-dpo", WebFixture.password)
            #expect(first.status == .seeOther)
            let device = try #require(first.cookieValue("cg_device"))
            let attributes = try #require(first.setCookie("cg_device"))
            #expect(attributes.contains("HttpOnly") && attributes.contains("SameSite=Strict") && attributes.contains("Path=/login"), "\(attributes)")
            for i in 1...7 {
                let r = try await login(client, "test-dpo", "wrong guess \(i)")
                #expect(r.status == (i <= 5 ? .unauthorized : .tooManyRequests), "attempt \(i): \(r.status)")
            }
            #expect(try await login(client, "test-dpo", WebFixture.password).status == .tooManyRequests, "an untrusted client stays refused")
            let again = try await login(client, "test-dpo", WebFixture.password, device: device)
            #expect(again.status == .seeOther, "the colleague was locked out: \(again.status)")
            // The cookie is renewed at each login; the new one works as well, the old one no longer does.
            let renewed = try #require(again.cookieValue("cg_device"))
            #expect(renewed != device)
            #expect(try await login(client, "test-dpo", WebFixture.password, device: renewed).status == .seeOther)
            #expect(try await login(client, "test-dpo", WebFixture.password, device: device).status == .tooManyRequests)
        }
    }

    /// The device cookie is no way around the limit: its own wrong passwords lock it after five, and it counts only
    /// for the account that logged in with it (for another name, or made up, it is an untrusted client's attempt).
    @Test func aDeviceCookieHasItsOwnLimitAndOnlyForItsAccount() async throws {
        try await fixture.application().test(.router) { client in
            let device = try #require(try await login(client, "test-dpo", WebFixture.password).cookieValue("cg_device"))
            for i in 1...5 {
                #expect(try await login(client, "test-dpo", "wrong guess \(i)", device: device).status == .unauthorized)
            }
            #expect(try await login(client, "test-dpo", WebFixture.password, device: device).status == .tooManyRequests)
            // The untrusted clients of the name still have their own attempts.
            #expect(try await login(client, "test-dpo", WebFixture.password).status == .seeOther)
            // For another account the cookie does not count: that name's untrusted limit applies.
            for i in 1...5 {
                #expect(try await login(client, "test-admin", "wrong guess \(i)").status == .unauthorized)
            }
            let other = try #require(try await login(client, "test-dpo", WebFixture.password).cookieValue("cg_device"))
            #expect(try await login(client, "test-admin", WebFixture.password, device: other).status == .tooManyRequests)
            #expect(try await login(client, "test-admin", WebFixture.password, device: "made-up").status == .tooManyRequests)
        }
    }

    /// One account's logins cannot push a colleague's device cookie out (found in a review: the only limit was 50,000
    /// cookies in all, oldest first, so 50,000 logins to one's own account made every colleague an untrusted client,
    /// whom wrong passwords typed for their name lock out again). Each name keeps at most its 20 newest cookies.
    @Test func oneAccountsLoginsDoNotEvictAColleaguesDeviceCookie() async throws {
        let throttle = LoginThrottle(devices: try DeviceCookieStore.inMemory())
        let limit = 50_000  // the store's `maxDevices`
        let t0 = Date(timeIntervalSince1970: 1_000_000)
        let anna = try await throttle.succeeded(name: "anna", bucket: .untrusted(name: "anna"), now: t0)
        var mallory: [String] = []
        for i in 1...(limit + 10) {
            mallory.append(try await throttle.succeeded(name: "mallory", bucket: .untrusted(name: "mallory"),
                                                        now: t0.addingTimeInterval(Double(i))))
        }
        let later = t0.addingTimeInterval(Double(limit + 20))
        #expect(try await throttle.bucket(name: "anna", device: anna, now: later) == .device(token: anna), "the colleague's cookie was dropped")
        // The account's own newest cookies still count; its oldest were dropped.
        #expect(try await throttle.bucket(name: "mallory", device: mallory.last!, now: later) == .device(token: mallory.last!))
        #expect(try await throttle.bucket(name: "mallory", device: mallory[0], now: later) == .untrusted(name: "mallory"))
    }
}
