import Foundation
import Gate
import Hummingbird
import HummingbirdTesting
import Testing
@testable import WebService

/// The pages in a real browser: the service listens on a free loopback port, headless Chromium
/// (Debian's `chromium`, installed by `.ci/run`) is driven over the DevTools protocol, and the test
/// reads the DOM. Skipped, with this reason shown, only when Chromium is not installed.
@Suite(.serialized) struct BrowserTests {
    @Test(.enabled(if: ChromiumPipe.isInstalled, "chromium is not installed at /usr/bin/chromium: browser test skipped (apt-get install chromium)"),
          .timeLimit(.minutes(2)))
    func keyboardLoginStartPageLanguagePrintAndLogout() async throws {
        let fixture = try WebFixture(configuration: WebServiceConfiguration(port: 0))
        defer { fixture.remove() }
        try await fixture.application().test(.live) { client in
            let port = try #require(client.port)
            let base = "http://127.0.0.1:\(port)"
            let browser = try ChromiumPipe()
            defer { browser.close() }
            try browser.openPage()

            // Login page: German, labelled, focus starts in the name field.
            try browser.navigate("\(base)/login")
            #expect(try browser.evaluate("document.documentElement.lang") as? String == "de")
            #expect(try browser.evaluate("document.querySelector('label[for=name]').textContent") as? String == "Kontoname")
            #expect(try browser.evaluate("document.activeElement.id") as? String == "name")

            // Log in by keyboard only: type, Tab, type, Enter.
            try browser.type("test-caseworker")
            try browser.press(key: "Tab", code: "Tab", keyCode: 9)
            #expect(try browser.evaluate("document.activeElement.id") as? String == "password")
            try browser.type(WebFixture.password)
            try browser.press(key: "Enter", code: "Enter", keyCode: 13, text: "\r")
            try browser.wait(for: "location.pathname === '/' && document.body.innerText.includes('Willkommen')")

            let page = try browser.html()
            #expect(page.contains("Willkommen, test-caseworker"))
            #expect(page.contains("data-role=\"caseworker\""))
            #expect(try browser.evaluate("document.querySelectorAll('main, header, footer, nav').length") as? Int ?? 0 >= 4)
            // The session cookie is HttpOnly: invisible to scripts.
            #expect(try browser.evaluate("document.cookie.includes('cg_session')") as? Bool == false)
            // The local stylesheet loaded under the CSP.
            #expect(try browser.evaluate("getComputedStyle(document.querySelector('.site-header')).borderBottomStyle") as? String == "solid")
            // The skip link is the first stop of the keyboard.
            try browser.evaluate("document.activeElement.blur(); document.body.focus(); true")
            try browser.press(key: "Tab", code: "Tab", keyCode: 9)
            #expect(try browser.evaluate("document.activeElement.className") as? String == "skip-link")

            // Print: navigation and buttons disappear.
            try browser.send("Emulation.setEmulatedMedia", ["media": "print"])
            #expect(try browser.evaluate("getComputedStyle(document.querySelector('.account-box')).display") as? String == "none")
            try browser.send("Emulation.setEmulatedMedia", ["media": ""])

            // English switch.
            try browser.evaluate("document.querySelector('nav.language a').click(); true")
            try browser.wait(for: "document.documentElement.lang === 'en' && document.body.innerText.includes('Welcome')")
            #expect(try browser.html().contains("Case worker"))

            // Logout by its button; the session is gone afterwards.
            try browser.evaluate("document.querySelector('.account-box button').click(); true")
            try browser.wait(for: "location.pathname === '/login' && document.body.innerText.includes('You are logged out')")
            try browser.navigate("\(base)/")
            try browser.wait(for: "location.pathname === '/login'")
            #expect(await fixture.environment.sessions.count >= 1) // only anonymous login-form sessions remain
        }
    }
}
