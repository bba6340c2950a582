import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import WebService

/// A scan over the consent form's limit, chosen in a real browser over a real socket (pages review F3): Chromium shows
/// the form again with what was typed and the file named as too large; nothing is recorded. The server answers after
/// the limit and reads the rest of the upload away, so the browser gets the page, not a reset connection.
@Suite(.serialized) struct ConsentScanTooLargeBrowserTests {
    @Test(.enabled(if: ChromiumPipe.isInstalled, "chromium is not installed at /usr/bin/chromium: browser test skipped (apt-get install chromium)"),
          .timeLimit(.minutes(2)))
    func anOversizedScanInTheBrowserKeepsTheForm() async throws {
        let fixture = try WebFixture(configuration: WebServiceConfiguration(port: 0, maxFormBodyBytes: 256 * 1024))
        defer { fixture.remove() }
        let scan = fixture.directory.appendingPathComponent("grosser-scan.pdf")
        try Data(repeating: 0x25, count: 3 * 1024 * 1024).write(to: scan)
        try await fixture.application().test(.live) { client in
            let base = "http://127.0.0.1:\(try #require(client.port))"
            let browser = try await ChromiumPipe.withPage()
            defer { browser.close() }
            try await browser.logIn(at: base, name: "test-caseworker", password: WebFixture.password)
            try await browser.navigate("\(base)/consents/new")
            try await browser.evaluate("""
                document.getElementById('subject').value = 'RSK-2022-000001';
                document.getElementById('birth-date').value = '1985-03-14';
                document.getElementById('guardians').value = 'Olena K.';
                document.getElementById('clause-kim-beratung-abh-kontakt').checked = true; true
                """)
            try await browser.chooseFile(scan.path, for: "#scan")
            try await browser.evaluate("document.querySelector('#consent-form button[type=submit]').click(); true")
            try await browser.wait(for: "document.getElementById('scan-error') !== null")
            let message = try await browser.evaluate("document.getElementById('scan-error').textContent") as? String
            #expect(message?.contains("Die Datei \"grosser-scan.pdf\" ist zu groß (höchstens 256 KiB mit dem Formular)") == true, "\(message ?? "")")
            #expect(try await browser.evaluate("document.getElementById('subject').value") as? String == "RSK-2022-000001")
            #expect(try await browser.evaluate("document.getElementById('birth-date').value") as? String == "1985-03-14")
            #expect(try await browser.evaluate("document.getElementById('guardians').value") as? String == "Olena K.")
            #expect(try await browser.evaluate("document.getElementById('clause-kim-beratung-abh-kontakt').checked") as? Bool == true)
            #expect(try fixture.environment.gate.consents.list(subject: "RSK-2022-000001").isEmpty, "nothing recorded")
        }
    }
}
