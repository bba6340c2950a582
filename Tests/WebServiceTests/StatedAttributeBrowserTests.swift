import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import WebService

/// The check page's box for a stateable attribute (`child-endangerment`) in a real browser: named by its label for
/// assistive technology, ticked with the keyboard (Space), and the § 8a referral then releases the health notes.
/// An extension of the serialized `BrowserTests` suite (see `CaseManagerPagesBrowserTests` for why).
extension BrowserTests {
    @Test(.enabled(if: ChromiumPipe.isInstalled, "chromium is not installed at /usr/bin/chromium: browser test skipped (apt-get install chromium)"),
          .timeLimit(.minutes(2)))
    func theStatedAttributeBoxIsLabelledAndTickedByKeyboard() async throws {
        let fixture = try WebFixture(configuration: WebServiceConfiguration(port: 0))
        defer { fixture.remove() }
        try await fixture.application().test(.live) { client in
            let base = "http://127.0.0.1:\(try #require(client.port))"
            let browser = try await ChromiumPipe.withPage()
            defer { browser.close() }
            try await browser.logIn(at: base, name: "test-caseworker", password: WebFixture.password)
            try await browser.navigate("\(base)/check")
            // The box's accessible name is its label (the policy's); the fieldset's legend says what the boxes are.
            #expect(try await browser.evaluate("document.getElementById('stated-child-endangerment').labels[0].textContent")
                    as? String == "Gewichtige Anhaltspunkte für Kindeswohlgefährdung (§ 8a SGB VIII) (child-endangerment)")
            #expect((try await browser.evaluate("document.querySelector('#stated legend').textContent") as? String)?
                .hasPrefix("Angaben zum Anlass") == true)
            try await browser.evaluate("""
                document.getElementById('subject').value = 'RSK-T-8A';
                document.getElementById('birth-date').value = '2017-06-01';
                document.getElementById('partner').value = 'jugendamt';
                document.getElementById('purpose').value = 'child-protection';
                document.getElementById('field-health-notes').checked = true;
                document.getElementById('stated-child-endangerment').focus(); true
                """)
            try await browser.press(key: " ", code: "Space", keyCode: 32, text: " ")
            try await browser.wait(for: "document.getElementById('stated-child-endangerment').checked", timeout: 10)
            try await browser.evaluate("document.querySelector('.check-form button[type=submit]').click(); true")
            try await browser.wait(for: "document.getElementById('decision') !== null")
            #expect(try await browser.evaluate("document.querySelector('tr[data-field=\"health.notes\"] td').dataset.outcome") as? String == "permit")
            #expect(try await browser.evaluate("document.querySelector('li[data-stated=\"child-endangerment\"]') !== null") as? Bool == true)
        }
    }
}
