import Foundation
import AuditLog
import Gate
import Signing
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
            let browser = try await ChromiumPipe.withPage()
            defer { browser.close() }

            // Login page: German, labelled, focus starts in the name field.
            try await browser.navigate("\(base)/login")
            #expect(try await browser.evaluate("document.documentElement.lang") as? String == "de")
            #expect(try await browser.evaluate("document.querySelector('label[for=name]').textContent") as? String == "Kontoname")
            #expect(try await browser.evaluate("document.activeElement.id") as? String == "name")

            // Log in by keyboard only: type, Tab, type, Enter.
            try await browser.type("test-caseworker")
            try await browser.press(key: "Tab", code: "Tab", keyCode: 9)
            #expect(try await browser.evaluate("document.activeElement.id") as? String == "password")
            try await browser.type(WebFixture.password)
            try await browser.press(key: "Enter", code: "Enter", keyCode: 13, text: "\r")
            try await browser.wait(for: "location.pathname === '/' && document.body.innerText.includes('Willkommen')")

            let page = try await browser.html()
            #expect(page.contains("Willkommen, test-caseworker"))
            #expect(page.contains("data-role=\"caseworker\""))
            #expect(try await browser.evaluate("document.querySelectorAll('main, header, footer, nav').length") as? Int ?? 0 >= 4)
            // The session cookie is HttpOnly: invisible to scripts.
            #expect(try await browser.evaluate("document.cookie.includes('cg_session')") as? Bool == false)
            // The local stylesheet loaded under the CSP.
            #expect(try await browser.evaluate("getComputedStyle(document.querySelector('.site-header')).borderBottomStyle") as? String == "solid")
            // The skip link is the first stop of the keyboard.
            try await browser.evaluate("document.activeElement.blur(); document.body.focus(); true")
            try await browser.press(key: "Tab", code: "Tab", keyCode: 9)
            #expect(try await browser.evaluate("document.activeElement.className") as? String == "skip-link")

            // Print: navigation and buttons disappear.
            try await browser.send("Emulation.setEmulatedMedia", ["media": "print"])
            #expect(try await browser.evaluate("getComputedStyle(document.querySelector('.account-box')).display") as? String == "none")
            try await browser.send("Emulation.setEmulatedMedia", ["media": ""])

            // English switch.
            try await browser.evaluate("document.querySelector('nav.language a').click(); true")
            try await browser.wait(for: "document.documentElement.lang === 'en' && document.body.innerText.includes('Welcome')")
            #expect(try await browser.html().contains("Case worker"))

            // Logout by its button; the session is gone afterwards.
            try await browser.evaluate("document.querySelector('.account-box button').click(); true")
            try await browser.wait(for: "location.pathname === '/login' && document.body.innerText.includes('You are logged out')")
            try await browser.navigate("\(base)/")
            try await browser.wait(for: "location.pathname === '/login'")
            #expect(await fixture.environment.sessions.count >= 1) // only anonymous login-form sessions remain
        }
    }

    /// Records a consent (with a scan upload) and runs a referral check through the pages, then finds
    /// both in the audit log and the consent store; finally withdraws with one click.
    @Test(.enabled(if: ChromiumPipe.isInstalled, "chromium is not installed at /usr/bin/chromium: browser test skipped (apt-get install chromium)"),
          .timeLimit(.minutes(2)))
    func consentRecordingAndReferralCheck() async throws {
        let fixture = try WebFixture(configuration: WebServiceConfiguration(port: 0))
        defer { fixture.remove() }
        let scan = fixture.directory.appendingPathComponent("scan.pdf")
        let scanBytes = Data("%PDF-1.4 signed declaration of RSK-2022-000001".utf8)
        try scanBytes.write(to: scan)
        try await fixture.application().test(.live) { client in
            let base = "http://127.0.0.1:\(try #require(client.port))"
            let browser = try await ChromiumPipe.withPage()
            defer { browser.close() }
            try await browser.logIn(at: base, name: "test-caseworker", password: WebFixture.password)

            // Record the consent from the paper form, with the scan.
            try await browser.navigate("\(base)/consents/new")
            try await browser.evaluate("""
                document.getElementById('subject').value = 'RSK-2022-000001';
                document.getElementById('birth-date').value = '1985-03-14';
                document.getElementById('language').value = 'uk';
                document.getElementById('granted-on').value = '2026-01-10';
                document.getElementById('clause-kim-beratung-abh-kontakt').checked = true; true
                """)
            try await browser.chooseFile(scan.path, for: "#scan")
            try await browser.evaluate("document.querySelector('#consent-form button[type=submit]').click(); true")
            try await browser.wait(for: "location.pathname.startsWith('/consents/') && !location.pathname.endsWith('/new')")
            #expect(try await browser.evaluate("document.getElementById('consent-state').textContent") as? String == "gültig")
            let consentPath = try #require(try await browser.evaluate("location.pathname") as? String)
            let consentID = String(consentPath.dropFirst("/consents/".count))
            let stored = try fixture.environment.gate.consents.list(subject: "RSK-2022-000001")
            #expect(stored.map(\.id) == [consentID])
            #expect(stored.first?.consent?.content.evidence == SHA256.tagged(scanBytes))
            #expect(stored.first?.consent?.content.language == "uk")

            // The referral check: green and red per field.
            try await browser.navigate("\(base)/check")
            try await browser.evaluate("""
                document.getElementById('subject').value = 'RSK-2022-000001';
                document.getElementById('partner').value = 'auslaenderbehoerde';
                document.getElementById('purpose').value = 'residence-registration';
                for (const id of ['field-name-family', 'field-health-notes', 'field-contact-phone']) document.getElementById(id).checked = true;
                document.querySelector('.check-form button[type=submit]').click(); true
                """)
            try await browser.wait(for: "document.getElementById('decision') !== null")
            func outcome(_ field: String) async throws -> String? {
                try await browser.evaluate("document.querySelector('tr[data-field=\"\(field)\"] td[data-outcome]').dataset.outcome") as? String
            }
            #expect(try await outcome("name.family") == "permit")
            #expect(try await outcome("health.notes") == "deny")
            #expect(try await outcome("contact.phone") == "permit")
            #expect(try await browser.evaluate("getComputedStyle(document.querySelector('td.permit')).backgroundColor") as? String == "rgb(227, 244, 232)")
            let page = try await browser.html()
            #expect(page.contains("ausdrücklich verboten"))
            #expect(page.contains("AufenthG"))
            let index = try #require((try await browser.evaluate("document.getElementById('decision').dataset.auditIndex") as? String).flatMap { Int64($0) })
            let logged = try fixture.environment.gate.auditLog.entry(index: index).entry
            #expect(logged.kind == .decision && logged.actor == "test-caseworker" && logged.subject == "RSK-2022-000001")
            // The referral sheet of that decision.
            let sheet = try await client.execute(uri: "/check/\(index)/sheet.csv", method: .get,
                                                 headers: [.cookie: "cg_session=\(try #require(try await pageLogin(client, name: "test-caseworker")))"])
            #expect(sheet.text.hasPrefix("\u{FEFF}"))
            #expect(sheet.text.contains("name.family;Familienname;"))
            #expect(!sheet.text.contains("health.notes"))

            // Withdraw with one action.
            try await browser.navigate("\(base)\(consentPath)")
            try await browser.evaluate("document.getElementById('withdraw').click(); true")
            try await browser.wait(for: "document.getElementById('consent-state') && document.getElementById('consent-state').textContent === 'widerrufen'")
            #expect(try fixture.environment.gate.auditLog.entries(matching: AuditQuery(subject: "RSK-2022-000001", kinds: [.consentWithdrawn])).count == 1)
        }
    }
}
