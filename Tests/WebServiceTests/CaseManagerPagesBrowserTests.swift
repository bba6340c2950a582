import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import WebService

/// The case manager's pages in a real browser (headless Chromium over the DevTools protocol, as
/// `BrowserTests`): a refused form puts the keyboard on the error summary, whose link leads to the field,
/// with every entry still there; the printed check result is the result only; the declaration to print opens
/// from the session.
///
/// An extension of the serialized `BrowserTests` suite, not a suite of its own: two browser tests at once
/// block both threads of the cooperative pool on a 2-core machine with their synchronous waits, and the
/// in-process server then answers neither (each times out).
extension BrowserTests {
    @Test(.enabled(if: ChromiumPipe.isInstalled, "chromium is not installed at /usr/bin/chromium: browser test skipped (apt-get install chromium)"),
          .timeLimit(.minutes(2)))
    func refusedFormFocusesTheSummaryKeepsEntriesAndPrintsOnlyTheResult() async throws {
        let fixture = try WebFixture(configuration: WebServiceConfiguration(port: 0))
        defer { fixture.remove() }
        try await fixture.application().test(.live) { client in
            let base = "http://127.0.0.1:\(try #require(client.port))"
            let browser = try await ChromiumPipe.withPage()
            defer { browser.close() }
            try await browser.logIn(at: base, name: "test-caseworker", password: WebFixture.password)

            // A case id with a space: refused, the keyboard starts on the summary, its link leads to the field.
            try await browser.navigate("\(base)/check")
            try await browser.evaluate("""
                document.getElementById('subject').value = 'RSK 2022';
                document.getElementById('partner').value = 'jobcenter';
                document.getElementById('purpose').value = 'job-placement';
                for (const id of ['field-name-family', 'field-contact-phone']) document.getElementById(id).checked = true;
                document.querySelector('.check-form button[type=submit]').click(); true
                """)
            try await browser.wait(for: "document.getElementById('error-summary') !== null")
            try await browser.wait(for: "document.activeElement.id === 'error-summary'", timeout: 10)
            #expect(try await browser.evaluate("document.getElementById('subject').value") as? String == "RSK 2022")
            #expect(try await browser.evaluate("document.getElementById('partner').value") as? String == "jobcenter")
            #expect(try await browser.evaluate("document.getElementById('field-contact-phone').checked") as? Bool == true)
            #expect(try await browser.evaluate("document.getElementById('subject').getAttribute('aria-invalid')") as? String == "true")
            try await browser.press(key: "Tab", code: "Tab", keyCode: 9)
            #expect(try await browser.evaluate("document.activeElement.getAttribute('href')") as? String == "#subject")
            try await browser.press(key: "Enter", code: "Enter", keyCode: 13, text: "\r")
            try await browser.wait(for: "document.activeElement.id === 'subject'", timeout: 10)

            // Corrected by keyboard and sent with Enter: the result; printed, only the result.
            try await browser.evaluate("document.getElementById('subject').select(); true")
            try await browser.type("RSK-2022-000001")
            try await browser.press(key: "Enter", code: "Enter", keyCode: 13, text: "\r")
            try await browser.wait(for: "document.getElementById('decision') !== null")
            try await browser.send("Emulation.setEmulatedMedia", ["media": "print"])
            #expect(try await browser.evaluate("getComputedStyle(document.querySelector('.check-form')).display") as? String == "none")
            #expect(try await browser.evaluate("getComputedStyle(document.getElementById('decision')).display") as? String == "block")
            #expect(try await browser.evaluate("getComputedStyle(document.querySelector('#decision a[download]')).display") as? String == "inline")
            #expect(try await browser.evaluate("document.querySelector('#decision a[download]').getClientRects().length") as? Int == 0)
            try await browser.send("Emulation.setEmulatedMedia", ["media": ""])

            // The blank Ukrainian declaration opens from the consent form's link.
            try await browser.navigate("\(base)/consents/new")
            try await browser.evaluate("document.querySelector('a[hreflang=uk]').click(); true")
            try await browser.wait(for: "document.documentElement.lang === 'uk'")
            #expect(try await browser.evaluate("location.pathname") as? String == "/declarations/kim-beratung")
        }
    }

    /// The groups of boxes of which at least one must be ticked, as the browser gives them to a screen reader: each a
    /// group named by its legend, which says so; sent with none ticked, the group is described by the message. The
    /// recording form printed: no controls, a note where the declaration to print is (hidden on screen).
    @Test(.enabled(if: ChromiumPipe.isInstalled, "chromium is not installed at /usr/bin/chromium: browser test skipped (apt-get install chromium)"),
          .timeLimit(.minutes(2)))
    func requiredGroupsAreAnnouncedAndThePrintedRecordingFormSaysWhereTheDeclarationIs() async throws {
        let fixture = try WebFixture(configuration: WebServiceConfiguration(port: 0))
        defer { fixture.remove() }
        try await fixture.application().test(.live) { client in
            let base = "http://127.0.0.1:\(try #require(client.port))"
            let browser = try await ChromiumPipe.withPage()
            defer { browser.close() }
            try await browser.send("Accessibility.enable")
            try await browser.logIn(at: base, name: "test-caseworker", password: WebFixture.password)
            /// Name and description of each group in the accessibility tree.
            func groups() async throws -> [(name: String, description: String)] {
                let nodes = try await browser.send("Accessibility.getFullAXTree")["nodes"] as? [[String: Any]] ?? []
                return nodes.filter { ($0["role"] as? [String: Any])?["value"] as? String == "group" && $0["ignored"] as? Bool != true }.map {
                    (($0["name"] as? [String: Any])?["value"] as? String ?? "", ($0["description"] as? [String: Any])?["value"] as? String ?? "")
                }
            }
            for (page, form, group, message) in [
                ("/check", ".check-form", "Felder, die weitergegeben werden sollen (Pflichtangabe: mindestens ein Feld ankreuzen)", "Bitte mindestens ein Feld auswählen"),
                ("/consents/new", "#consent-form", "(Pflichtangabe, wenn diese Vorlage gewählt ist: mindestens eine Klausel ankreuzen)", "Bitte mindestens eine Klausel auswählen"),
            ] {
                try await browser.navigate("\(base)\(page)")
                let before = try await groups()
                #expect(before.contains { $0.name.hasSuffix(group) }, "\(page): \(before)")
                try await browser.evaluate("""
                    document.getElementById('subject').value = 'RSK-2022-000001';
                    if (document.getElementById('partner')) { document.getElementById('partner').value = 'jobcenter'; document.getElementById('purpose').value = 'job-placement'; }
                    document.querySelector('\(form)').noValidate = true; document.querySelector('\(form) button[type=submit]').click(); true
                    """)
                try await browser.wait(for: "document.getElementById('error-summary') !== null")
                // One group described by the message (on the consent form, the chosen template's; every template's says it is required).
                let refused = try await groups().filter { $0.name.hasSuffix(group) && !$0.description.isEmpty }
                #expect(refused.count == 1 && refused.first?.description.contains(message) == true, "\(page): \(refused)")
                if page == "/consents/new" { #expect(refused.first?.name.contains("kim-beratung") == true) }
            }
            try await browser.navigate("\(base)/consents/new")
            func display(_ selector: String) async throws -> String? {
                try await browser.evaluate("getComputedStyle(document.querySelector('\(selector)')).display") as? String
            }
            #expect(try await display("#print-note") == "none")
            try await browser.send("Emulation.setEmulatedMedia", ["media": "print"])
            #expect(try await display("#consent-form") == "none")
            #expect(try await display("#print-note") == "block")
            #expect(try await browser.evaluate("document.getElementById('print-note').innerText.includes('/declarations/kim-beratung?language=uk')") as? Bool == true)
            try await browser.send("Emulation.setEmulatedMedia", ["media": ""])
        }
    }
}
