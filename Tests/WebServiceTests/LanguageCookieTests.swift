import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import WebService

/// The `cg_lang` cookie carries `Secure` when the service is reached over TLS, like the session cookie (found in the web
/// review: it never did).
@Suite struct LanguageCookieTests {
    @Test(arguments: [true, false])
    func theLanguageCookieIsSecureOverTLS(_ tls: Bool) async throws {
        let fixture = try WebFixture(configuration: WebServiceConfiguration(tls: tls))
        defer { fixture.remove() }
        try await fixture.application().test(.router) { client in
            let r = try await client.execute(uri: "/login?lang=en", method: .get)
            let cookie = try #require(r.setCookie("cg_lang"))
            #expect(cookie.contains("Secure") == tls, "\(cookie)")
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"))
            #expect(r.setCookie("cg_session")?.contains("Secure") == tls)
        }
    }
}
