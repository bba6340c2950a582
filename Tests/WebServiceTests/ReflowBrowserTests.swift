import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import WebService

/// Reflow at 320 CSS pixels (WCAG 1.4.10: 400 % zoom of a 1280 px window): no content but a data table or the stored
/// entry's text needs scrolling sideways. A review of the pages found the audit entry's fields 757 px wide (a grid that
/// did not wrap) and every text field 7 px too wide (`min-width: 18rem` plus the main padding).
///
/// An extension of the serialized `BrowserTests` suite: two browser tests at once starve the in-process server.
extension BrowserTests {
    /// The rightmost edge of any element outside a table or `pre` (which WCAG lets scroll), with what it is.
    static let widestOutsideTables = """
        (() => {
          let worst = 0, what = '';
          for (const e of document.querySelectorAll('body *')) {
            if (e.closest('table, pre, .visually-hidden')) continue;
            const r = e.getBoundingClientRect();
            if (r.width === 0 && r.height === 0) continue;
            if (r.right > worst) { worst = r.right; what = e.tagName + (e.id ? '#' + e.id : '') + (e.className ? '.' + e.className : ''); }
          }
          return [Math.round(worst), what];
        })()
        """

    @Test(.enabled(if: ChromiumPipe.isInstalled, "chromium is not installed at /usr/bin/chromium: browser test skipped (apt-get install chromium)"),
          .timeLimit(.minutes(3)))
    func thePagesReflowAt320Pixels() async throws {
        let fixture = try WebFixture(configuration: WebServiceConfiguration(port: 0))
        defer { fixture.remove() }
        try await fixture.application().test(.live) { client in
            let base = "http://127.0.0.1:\(try #require(client.port))"
            let (index, consent) = try await Self.decisionAndConsent(client, fixture: fixture)

            let browser = try await ChromiumPipe.withPage()
            defer { browser.close() }
            try await browser.send("Emulation.setDeviceMetricsOverride", ["width": 320, "height": 640, "deviceScaleFactor": 1, "mobile": false])
            var wide: [String] = []
            func measure(_ path: String) async throws {
                try await browser.navigate("\(base)\(path)")
                let r = try await browser.evaluate(Self.widestOutsideTables) as? [Any] ?? []
                let right = (r.first as? Int) ?? Int((r.first as? Double) ?? 9999)
                if right > 320 { wide.append("\(path): \(right) px (\(r.last ?? ""))") }
            }
            try await browser.logIn(at: base, name: "test-caseworker", password: WebFixture.password)
            for path in ["/", "/check", "/consents/new", "/consents/\(consent)", "/consents?subject=RSK-2022-000901"] { try await measure(path) }
            try await browser.evaluate("document.querySelector('.account-box button').click(); true")
            try await browser.wait(for: "location.pathname === '/login'")
            try await browser.logIn(at: base, name: "test-dpo", password: WebFixture.password)
            for path in ["/audit", "/audit/entries/\(index)", "/audit/entries/1", "/audit/report?subject=RSK-2022-000901", "/audit/stats"] {
                try await measure(path)
            }
            #expect(wide.isEmpty, "\(wide.joined(separator: "\n"))")
        }
    }
}
