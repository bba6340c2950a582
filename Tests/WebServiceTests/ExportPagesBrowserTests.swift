import Foundation
import Hummingbird
import HummingbirdTesting
import TestFolders
import Testing
@testable import WebService

/// The exporter's pages in a real browser (headless Chromium, as `BrowserTests`; an extension of that serialized suite
/// for the reason `CaseManagerPagesBrowserTests` gives): an exporter logs in, previews a run by keyboard (Enter in the
/// form is the preview, never the start), starts it from the preview, and the status page, reloading itself, ends at
/// finished; the drive folder then holds what the page says.
extension BrowserTests {
    @Test(.enabled(if: ChromiumPipe.isInstalled, "chromium is not installed at /usr/bin/chromium: browser test skipped (apt-get install chromium)"),
          .timeLimit(.minutes(3)))
    func exporterPreviewsStartsAndSeesTheRunFinished() async throws {
        let folder = try TemporaryDirectory("cg-browser-export")   // removed when the test ends
        let input = folder.url.appendingPathComponent("input").path, drives = folder.url.appendingPathComponent("drives").path
        try FileManager.default.createDirectory(atPath: input, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: drives + "/drive", withIntermediateDirectories: true)
        let sample = WebFixture.root.appendingPathComponent("../shared/data/registrations-sample.csv").standardizedFileURL.path
        try FileManager.default.copyItem(atPath: sample, toPath: input + "/registrations-sample.csv")
        let fixture = try WebFixture(configuration: WebServiceConfiguration(port: 0, exportInputDirectory: input, exportDriveDirectory: drives))
        defer { fixture.remove() }
        try await fixture.application().test(.live) { client in
            let base = "http://127.0.0.1:\(try #require(client.port))"
            let browser = try await ChromiumPipe.withPage()
            defer { browser.close() }
            try await browser.logIn(at: base, name: "test-exporter", password: WebFixture.password)

            // From the start page's link to the form.
            try await browser.evaluate("document.querySelector('.task-links a[href=\"/exports\"]').click(); true")
            try await browser.wait(for: "location.pathname === '/exports' && document.getElementById('export-form') !== null")
            #expect(try await browser.evaluate("document.querySelector('.main-nav a[aria-current=page]').getAttribute('href')") as? String == "/exports")

            try await browser.send("Accessibility.enable")
            var found: [String] = []
            func audit(_ what: String) async throws {
                let dom = try await browser.evaluate(Self.domAudit) as? [String] ?? ["audit script failed"]
                found += (dom + (try await Self.axProblems(browser))).map { "\(what): \($0)" }
            }
            try await audit("/exports")

            // A drive folder outside the allowed one: the form again, the keyboard on the error summary, the entry kept.
            try await browser.evaluate("document.getElementById('input').value = 'registrations-sample.csv'; document.getElementById('drive').value = '../..'; document.getElementById('preview').click(); true")
            try await browser.wait(for: "document.getElementById('error-summary') !== null")
            try await browser.wait(for: "document.activeElement.id === 'error-summary'", timeout: 10)
            #expect(try await browser.evaluate("document.getElementById('drive').getAttribute('aria-invalid')") as? String == "true")
            #expect(try await browser.evaluate("document.getElementById('input').value") as? String == "registrations-sample.csv")
            try await audit("/exports refused")

            // Corrected by keyboard, Enter: the preview (the default button; nothing started).
            try await browser.evaluate("document.getElementById('drive').focus(); document.getElementById('drive').select(); true")
            try await browser.type("drive")
            try await browser.press(key: "Enter", code: "Enter", keyCode: 13, text: "\r")
            try await browser.wait(for: "document.getElementById('preview-result') !== null")
            #expect(try await browser.evaluate("location.pathname") as? String == "/exports/dry-run")
            let previewTotal = try #require(Int(try await browser.evaluate("document.getElementById('preview-result').dataset.total") as? String ?? ""))
            #expect(previewTotal > 0)
            #expect(await fixture.environment.exportRuns.count == 0)
            try await audit("/exports/dry-run")
            let preview = try await browser.evaluate("""
                JSON.stringify(Object.fromEntries([...document.querySelectorAll('#partners tr[data-partner]')].map(r => [r.dataset.partner, Number(r.querySelector('[data-records]').dataset.records)])))
                """) as? String ?? ""

            // Start it from the preview, by keyboard; the status page reloads itself until the run has finished.
            try await browser.evaluate("document.getElementById('start').focus(); true")
            try await browser.press(key: "Enter", code: "Enter", keyCode: 13, text: "\r")
            try await browser.wait(for: "location.pathname.startsWith('/exports/') && location.pathname !== '/exports/dry-run' && document.getElementById('run') !== null")
            try await browser.wait(for: "!['queued', 'running'].includes(document.getElementById('run').dataset.state)", timeout: 120)
            #expect(try await browser.evaluate("document.getElementById('run').dataset.state") as? String == "succeeded")
            #expect(try await browser.evaluate("document.getElementById('run-state').textContent") as? String == "abgeschlossen")
            #expect(try await browser.evaluate("document.querySelector('meta[http-equiv=refresh]') === null") as? Bool == true)
            let shown = try await browser.evaluate("""
                JSON.stringify(Object.fromEntries([...document.querySelectorAll('#partners tr[data-partner]')].map(r => [r.dataset.partner, Number(r.querySelector('[data-records]').dataset.records)])))
                """) as? String ?? ""
            #expect(shown == preview, "the run exported what the preview showed")
            let records = try #require(try JSONSerialization.jsonObject(with: Data(shown.utf8)) as? [String: Int])
            try await audit("/exports/{id}")
            // Printed: the counts, not the links and forms.
            try await browser.send("Emulation.setEmulatedMedia", ["media": "print"])
            #expect(try await browser.evaluate("getComputedStyle(document.getElementById('partners')).display") as? String == "block")
            #expect(try await browser.evaluate("getComputedStyle(document.querySelector('main > p.no-print')).display") as? String == "none")
            try await browser.send("Emulation.setEmulatedMedia", ["media": ""])
            try await browser.navigate("\(base)/exports?lang=en")
            try await audit("/exports (en, with the run)")
            #expect(try await browser.evaluate("document.querySelector('#runs td[data-state]').textContent") as? String == "finished")
            #expect(found.isEmpty, "\(found.count) problems:\n\(found.joined(separator: "\n"))")

            // The drive: per partner with records, a published folder whose manifest counts them.
            let policy = fixture.environment.gate.policy
            for (partner, count) in records where count > 0 {
                let partnerFolder = drives + "/drive/" + (policy.bundle.partner(partner)?.folder ?? partner)
                let runs = try FileManager.default.contentsOfDirectory(atPath: partnerFolder).filter { !$0.hasPrefix(".") }
                #expect(runs.count == 1, "\(partner): \(runs)")
                let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: partnerFolder + "/" + (runs.first ?? "") + "/manifest.json"))) as? [String: Any]
                let file = (manifest?["files"] as? [[String: Any]])?.first { $0["name"] as? String == "registrations.csv" }
                #expect(file?["records"] as? Int == count, "\(partner)")
            }
        }
    }
}
