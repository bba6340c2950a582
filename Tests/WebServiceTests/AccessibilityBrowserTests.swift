import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import WebService

/// The accessibility audit in a real browser (one Chromium for all of it): every page of the case manager and the
/// DPO, in German and English, with data and with a refused form, read through the browser's accessibility tree
/// (`Accessibility.getFullAXTree`: every control and link has a name, and no link is a bare number) and the DOM (one
/// `h1`, headings in order, tables with caption and scoped headers, `lang`), and the keyboard focus: the ring must
/// stand out from the page (WCAG 1.4.11, 3:1 against what surrounds it).
///
/// An extension of the serialized `BrowserTests` suite, as `CaseManagerPagesBrowserTests` is: two browser tests at
/// once starve the in-process server on a 2-core machine.
extension BrowserTests {
    /// The DOM rules of one page, as problems in words (empty when it keeps them all).
    static let domAudit = """
        (() => {
          const p = [];
          if (!document.documentElement.lang) p.push('no lang on html');
          const h1 = document.querySelectorAll('h1').length;
          if (h1 !== 1) p.push(h1 + ' h1');
          let last = 0;
          for (const h of document.querySelectorAll('h1, h2, h3, h4, h5, h6')) {
            const n = +h.tagName[1];
            if (last && n > last + 1) p.push('heading ' + h.tagName + ' after h' + last + ': ' + h.textContent.trim().slice(0, 40));
            last = n;
          }
          for (const t of document.querySelectorAll('table')) {
            if (!t.querySelector('caption')) p.push('table without caption: ' + t.id);
            if (t.querySelector('th:not([scope])')) p.push('th without scope: ' + t.id);
          }
          for (const c of document.querySelectorAll('input:not([type=hidden]), select, textarea')) {
            if (c.required && c.getAttribute('aria-invalid') === 'true' && !c.getAttribute('aria-describedby')) p.push('invalid without message: ' + c.id);
          }
          return p;
        })()
        """

    /// The names the accessibility tree gives links and controls that have none, or links named by a bare number.
    static func axProblems(_ browser: ChromiumPipe) async throws -> [String] {
        let tree = try await browser.send("Accessibility.getFullAXTree")
        let nodes = tree["nodes"] as? [[String: Any]] ?? []
        var problems: [String] = []
        let named: Set<String> = ["link", "button", "textbox", "combobox", "checkbox", "searchbox", "radio", "listbox"]
        for node in nodes where node["ignored"] as? Bool != true {
            let role = (node["role"] as? [String: Any])?["value"] as? String ?? ""
            guard named.contains(role) else { continue }
            let name = ((node["name"] as? [String: Any])?["value"] as? String ?? "").trimmingCharacters(in: .whitespaces)
            if name.isEmpty { problems.append("\(role) without a name") }
            if role == "link", name.allSatisfy(\.isNumber), !name.isEmpty { problems.append("link named only \"\(name)\"") }
        }
        return problems
    }

    /// The WCAG contrast ratio of two CSS `rgb(…)` colours.
    static func contrast(_ a: String, _ b: String) -> Double {
        func luminance(_ css: String) -> Double {
            let parts = css.split(whereSeparator: { !"0123456789.".contains($0) }).compactMap { Double($0) }
            guard parts.count >= 3 else { return 1 }
            let c = parts.prefix(3).map { v -> Double in
                let s = v / 255
                return s <= 0.04045 ? s / 12.92 : pow((s + 0.055) / 1.055, 2.4)
            }
            return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]
        }
        let (x, y) = (luminance(a), luminance(b))
        return (max(x, y) + 0.05) / (min(x, y) + 0.05)
    }

    /// Data for the page tests: a decision (its audit index) and a consent (its id, in Ukrainian) of the case worker's
    /// municipality, for RSK-2022-000901.
    static func decisionAndConsent(_ client: some TestClientProtocol, fixture: WebFixture) async throws -> (index: Int, consent: String) {
        let decided = try await client.execute(uri: "/v1/decisions", method: .post, headers: jsonHeaders(fixture.tokens["caseworker"]!),
            body: ByteBuffer(string: #"{"subject": "RSK-2022-000901", "partner": "auslaenderbehoerde", "purpose": "residence-registration", "fields": ["name.family", "health.notes"]}"#))
        let index = try #require((decided.json["audit"] as? [String: Any])?["index"] as? Int, "\(decided.text)")
        let granted = try await client.execute(uri: "/v1/consents", method: .post, headers: jsonHeaders(fixture.tokens["caseworker"]!), body: ByteBuffer(string: #"""
            {"subject": "RSK-2022-000901", "attributes": {"birth-date": "1985-03-14"}, "template": "kim-beratung", "language": "uk",
             "clauses": ["abh-kontakt"], "granted-at": "2026-01-10T09:00:00Z"}
            """#))
        let consent = try #require((granted.json["consent"] as? [String: Any])?["id"] as? String, "\(granted.text)")
        return (index, consent)
    }

    @Test(.enabled(if: ChromiumPipe.isInstalled, "chromium is not installed at /usr/bin/chromium: browser test skipped (apt-get install chromium)"),
          .timeLimit(.minutes(3)))
    func everyPageIsNamedOrderedAndShowsTheKeyboardFocus() async throws {
        let fixture = try WebFixture(configuration: WebServiceConfiguration(port: 0))
        defer { fixture.remove() }
        try await fixture.application().test(.live) { client in
            let base = "http://127.0.0.1:\(try #require(client.port))"
            let (index, consent) = try await Self.decisionAndConsent(client, fixture: fixture)

            let browser = try await ChromiumPipe.withPage()
            defer { browser.close() }
            try await browser.send("Accessibility.enable")
            var found: [String] = []
            func audit(_ what: String) async throws {
                let dom = try await browser.evaluate(Self.domAudit) as? [String] ?? ["audit script failed"]
                let ax = try await Self.axProblems(browser)
                found += (dom + ax).map { "\(what): \($0)" }
            }
            func visit(_ path: String) async throws {
                try await browser.navigate("\(base)\(path)")
                try await audit(path)
            }

            try await visit("/login")
            try await visit("/login?lang=en")
            try await browser.logIn(at: base, name: "test-caseworker", password: WebFixture.password)
            for lang in ["de", "en"] {
                for path in ["/", "/check", "/consents/new", "/consents/\(consent)", "/consents/\(consent)?done=recorded", "/declarations/kim-beratung?language=uk",
                             "/consents/\(consent)/declaration", "/consents", "/consents?subject=RSK-2022-000901", "/consents?subject=RSK%201"] {
                    try await visit(path + (path.contains("?") ? "&" : "?") + "lang=\(lang)")
                }
                // A refused check and a check with its result.
                try await browser.navigate("\(base)/check")
                try await browser.evaluate("document.getElementById('subject').value = 'RSK 1'; document.querySelector('.check-form').noValidate = true; document.querySelector('.check-form button[type=submit]').click(); true")
                try await browser.wait(for: "document.getElementById('error-summary') !== null")
                try await audit("/check refused (\(lang))")
                try await browser.evaluate("""
                    document.getElementById('subject').value = 'RSK-2022-000901';
                    document.getElementById('partner').value = 'auslaenderbehoerde';
                    document.getElementById('purpose').value = 'residence-registration';
                    for (const id of ['field-name-family', 'field-health-notes']) document.getElementById(id).checked = true;
                    document.querySelector('.check-form button[type=submit]').click(); true
                    """)
                try await browser.wait(for: "document.getElementById('decision') !== null")
                try await audit("/check result (\(lang))")
                // A refused consent form.
                try await browser.navigate("\(base)/consents/new")
                try await browser.evaluate("document.getElementById('consent-form').noValidate = true; document.querySelector('#consent-form button[type=submit]').click(); true")
                try await browser.wait(for: "document.getElementById('error-summary') !== null")
                try await audit("/consents refused (\(lang))")
            }
            try await browser.evaluate("document.querySelector('.account-box button').click(); true")
            try await browser.wait(for: "location.pathname === '/login'")
            try await browser.logIn(at: base, name: "test-dpo", password: WebFixture.password)
            for lang in ["de", "en"] {
                for path in ["/", "/audit", "/audit/entries/\(index)?explain=1", "/audit/report", "/audit/report?subject=RSK-2022-000901",
                             "/audit/stats", "/consents/\(consent)"] {
                    try await visit(path + (path.contains("?") ? "&" : "?") + "lang=\(lang)")
                }
            }
            #expect(found.isEmpty, "\(found.count) problems:\n\(found.joined(separator: "\n"))")

            // The keyboard focus stands out from the page: the ring on the first link after the skip link, against the
            // page behind it (the ring is drawn outside the link, 2px away), 3:1 at least.
            try await browser.navigate("\(base)/audit")
            try await browser.evaluate("document.activeElement.blur(); true")
            try await browser.press(key: "Tab", code: "Tab", keyCode: 9)
            try await browser.press(key: "Tab", code: "Tab", keyCode: 9)
            #expect(try await browser.evaluate("document.activeElement.textContent") as? String == "ConsentGate")
            let ring = try #require(try await browser.evaluate("getComputedStyle(document.activeElement).outlineColor") as? String)
            let width = try await browser.evaluate("getComputedStyle(document.activeElement).outlineWidth") as? String
            let page = try #require(try await browser.evaluate("getComputedStyle(document.body).backgroundColor") as? String)
            #expect(width == "3px")
            #expect(Self.contrast(ring, page) >= 3, "focus ring \(ring) on \(page): \(Self.contrast(ring, page)):1")
        }
    }
}
