import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import Testing
@testable import WebService

/// The administrator's accounts page in a real browser (headless Chromium, as `BrowserTests`): an admin adds a case
/// worker, sees its token once (focused, in no URL, gone after a reload), disables it through the confirmation page,
/// and the `account` table in the database says so; a refused add form puts the keyboard on its summary; every page
/// passes the accessibility audit of the other pages (`domAudit`, `axProblems`).
///
/// An extension of the serialized `BrowserTests` suite (two browser tests at once starve a 2-core machine).
extension BrowserTests {
    @Test(.enabled(if: ChromiumPipe.isInstalled, "chromium is not installed at /usr/bin/chromium: browser test skipped (apt-get install chromium)"),
          .timeLimit(.minutes(2)))
    func adminAddsACaseWorkerSeesTheTokenOnceAndDisablesIt() async throws {
        let fixture = try WebFixture(configuration: WebServiceConfiguration(port: 0))
        defer { fixture.remove() }
        try await fixture.application().test(.live) { client in
            let base = "http://127.0.0.1:\(try #require(client.port))"
            let browser = try await ChromiumPipe.withPage()
            defer { browser.close() }
            try await browser.send("Accessibility.enable")
            try await browser.logIn(at: base, name: "test-admin", password: WebFixture.password)
            // The accessibility audit of every other page (`everyPageIsNamedOrderedAndShowsTheKeyboardFocus`), on these.
            var found: [String] = []
            func audit(_ what: String) async throws {
                let dom = try await browser.evaluate(Self.domAudit) as? [String] ?? ["audit script failed"]
                found += (dom + (try await Self.axProblems(browser))).map { "\(what): \($0)" }
            }
            for path in ["/accounts?lang=en", "/keys?lang=en", "/keys?lang=de", "/accounts?lang=de"] {
                try await browser.navigate("\(base)\(path)")
                try await audit(path)
            }
            // A case worker without municipality (the browser's own check switched off): the form again, the keyboard
            // on the summary, the entries kept.
            try await browser.evaluate("""
                document.getElementById('name').value = 'carla.k';
                document.getElementById('role').value = 'caseworker';
                document.getElementById('add-account').noValidate = true;
                document.querySelector('#add-account button[type=submit]').click(); true
                """)
            try await browser.wait(for: "document.getElementById('error-summary') !== null")
            try await browser.wait(for: "document.activeElement.id === 'error-summary'", timeout: 10)
            #expect(try await browser.evaluate("document.getElementById('name').value") as? String == "carla.k")
            #expect(try await browser.evaluate("document.getElementById('municipality').getAttribute('aria-invalid')") as? String == "true")
            try await audit("/accounts refused")

            // From the start page's navigation to the accounts page; add a case worker of Troisdorf.
            try await browser.navigate("\(base)/")
            try await browser.evaluate("document.querySelector('.main-nav a[href=\"/accounts\"]').click(); true")
            try await browser.wait(for: "location.pathname === '/accounts' && document.getElementById('add-account') !== null")
            try await browser.evaluate("""
                document.getElementById('name').value = 'carla.k';
                document.getElementById('role').value = 'caseworker';
                document.getElementById('municipality').value = 'Troisdorf';
                document.querySelector('#add-account button[type=submit]').click(); true
                """)
            try await browser.wait(for: "document.getElementById('new-token-value') !== null")
            let token = try #require(try await browser.evaluate("document.getElementById('new-token-value').value") as? String)
            #expect(token.hasPrefix("cg_"))
            // The keyboard starts on the token box; the token is in no URL (the form's answer, not a redirect).
            try await browser.wait(for: "document.activeElement.id === 'new-token'", timeout: 10)
            let href = try #require(try await browser.evaluate("location.href") as? String)
            #expect(href == "\(base)/accounts" && !href.contains(token))
            try await audit("/accounts with the token")
            // Printed (Ctrl+P of the page), the token is not on the paper: a secret in a printout outlives the page.
            try await browser.send("Emulation.setEmulatedMedia", ["media": "print"])
            #expect(try await browser.evaluate("getComputedStyle(document.getElementById('new-token')).display") as? String == "none")
            #expect(try await browser.evaluate("getComputedStyle(document.getElementById('accounts')).display !== 'none'") as? Bool == true, "the account list still prints")
            try await browser.send("Emulation.setEmulatedMedia", ["media": ""])
            #expect(try await browser.evaluate("getComputedStyle(document.getElementById('new-token')).display") as? String != "none")
            let me = try await client.execute(uri: "/v1/me", method: .get, headers: bearer(token))
            #expect(me.status == .ok && me.json["municipality"] as? String == "Troisdorf", "\(me.text)")

            // Opened again: the account is listed, its token is not shown.
            try await browser.navigate("\(base)/accounts")
            #expect(try await browser.evaluate("document.querySelector('tr[data-account=\"carla.k\"] td[data-role]').textContent") as? String == "Fallmanagement")
            #expect(try await browser.evaluate("document.getElementById('new-token-value') === null && !document.body.innerHTML.includes(\(ChromiumPipe.js(token)))") as? Bool == true)

            // Disable: the row's button asks first, the confirmation's button disables.
            try await browser.evaluate("document.querySelector('tr[data-account=\"carla.k\"] form[action=\"/accounts/disable\"] button').click(); true")
            try await browser.wait(for: "document.getElementById('disable-form') !== null")
            #expect(try await browser.evaluate("document.querySelector('h1').textContent") as? String == "Konto sperren?")
            try await audit("confirmation")
            try await browser.evaluate("document.querySelector('#disable-form button[type=submit]').click(); true")
            try await browser.wait(for: "document.getElementById('account-disabled') !== null")
            #expect(try await browser.evaluate("location.search") as? String == "?disabled=carla.k")
            #expect(try await browser.evaluate("document.querySelector('tr[data-account=\"carla.k\"] form') === null") as? Bool == true)
            #expect(try await client.execute(uri: "/v1/me", method: .get, headers: bearer(token)).status == .unauthorized)
            #expect(found.isEmpty, "\(found.count) problems:\n\(found.joined(separator: "\n"))")
        }
        // The table in the database: the case worker as added, disabled, with no page password.
        let row = try fixture.database.writer.read { db in
            try Row.fetchOne(db, sql: "SELECT role, municipality, disabled_at, password_hash FROM account WHERE name = 'carla.k'")
        }
        let stored = try #require(row)
        #expect(stored["role"] as String? == "caseworker" && stored["municipality"] as String? == "Troisdorf")
        #expect((stored["disabled_at"] as String?) != nil && (stored["password_hash"] as String?) == nil)
    }
}
