import Foundation
import Gate
import Hummingbird
import HummingbirdTesting
import Testing
@testable import WebService

/// The exporter's pages against a real installation and real folders (`ExportRouteTests.ExportFixture`: the shared
/// sample list in the input folder, an empty drive): the form lists the inputs, the preview's counts are the API's,
/// a run started from the page finishes and its status page shows what is on the drive (read back from the folders and
/// their manifests), bad paths are form problems that start nothing, a form without its CSRF token is refused, and
/// without export folders the page says how to set them. In German and English.
@Suite struct ExportPagesTests {
    typealias Fixture = ExportRouteTests.ExportFixture

    /// A logged-in exporter's page session on `client`: the cookie header and the form token.
    struct Session {
        let cookie: String
        let csrf: String
        var headers: HTTPFields { [.cookie: cookie] }
        var formHeaders: HTTPFields { [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"] }
    }

    static func login(_ client: some TestClientProtocol, as name: String = "test-exporter") async throws -> Session {
        let cookie = "cg_session=" + (try #require(try await pageLogin(client, name: name)))
        let start = try await client.execute(uri: "/", method: .get, headers: [.cookie: cookie])
        return Session(cookie: cookie, csrf: try #require(csrfToken(in: start.text)))
    }

    /// The form fields of a request (with the CSRF token unless `csrf` is nil).
    static func form(_ fields: [String: String], csrf: String?) -> ByteBuffer {
        formEncode((csrf.map { [("_csrf", $0)] } ?? []) + fields.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
    }

    /// Partner id → records, as a preview or status page shows them (`<tr data-partner> … data-records`).
    static func records(in html: String) -> [String: Int] {
        let regex = try! NSRegularExpression(pattern: #"<tr data-partner="([^"]+)">.*?data-records="(\d+)""#, options: [.dotMatchesLineSeparators])
        var result: [String: Int] = [:]
        for m in regex.matches(in: html, range: NSRange(html.startIndex..., in: html)) {
            result[String(html[Range(m.range(at: 1), in: html)!])] = Int(html[Range(m.range(at: 2), in: html)!])
        }
        return result
    }

    /// The first capture of `pattern` in `html`.
    static func first(_ pattern: String, in html: String) -> String? {
        let regex = try! NSRegularExpression(pattern: pattern, options: [.dotMatchesLineSeparators])
        guard let m = regex.firstMatch(in: html, range: NSRange(html.startIndex..., in: html)), let r = Range(m.range(at: 1), in: html) else { return nil }
        return String(html[r])
    }

    /// The sample list with one more row whose birth date is no date: the run quarantines it.
    static func listWithABadRow(_ f: Fixture) throws -> String {
        let sample = try String(contentsOfFile: f.inputDir + "/registrations-sample.csv", encoding: .utf8)
        let eol = sample.contains("\r\n") ? "\r\n" : "\n"   // "\r\n" is one Character: split by the line end itself
        let lines = sample.components(separatedBy: eol)
        let bad = lines[1].replacingOccurrences(of: "RSK-2022-000001", with: "RSK-2022-009999")
            .replacingOccurrences(of: "02.01.1968", with: "31.02.1968").replacingOccurrences(of: "H00001", with: "H09999")
        let text = sample.hasSuffix(eol) ? sample + bad + eol : sample + eol + bad + eol
        try text.write(toFile: f.inputDir + "/with-bad-row.csv", atomically: true, encoding: .utf8)
        return "with-bad-row.csv"
    }

    @Test("the form lists the files of the input folder, labelled, and the exporter's navigation leads to it",
          arguments: [("de", "Liste (Datei im Eingabeordner)", "Letzte Läufe", "Export für das Gruppenlaufwerk"),
                      ("en", "List (file in the input folder)", "Recent runs", "Shared-drive export")])
    func formListsInputs(language: String, inputLabel: String, runsHeading: String, title: String) async throws {
        let f = try Fixture()
        defer { f.remove() }
        let fm = FileManager.default
        try fm.createDirectory(atPath: f.inputDir + "/week-48", withIntermediateDirectories: true)
        try "x".write(toFile: f.inputDir + "/week-48/list.csv", atomically: true, encoding: .utf8)
        try "x".write(toFile: f.inputDir + "/.hidden.csv", atomically: true, encoding: .utf8)
        try "x".write(toFile: f.inputDir + "/quarantine-20261125T130000Z-3f9a0c21.csv", atomically: true, encoding: .utf8)
        try fm.createSymbolicLink(atPath: f.inputDir + "/escape", withDestinationPath: "/etc")
        try fm.createDirectory(atPath: f.drivesDir + "/second", withIntermediateDirectories: true)
        try await f.web.application().test(.router) { client in
            let s = try await Self.login(client)
            let r = try await client.execute(uri: "/exports?lang=\(language)", method: .get, headers: s.headers)
            #expect(r.status == .ok)
            let html = r.text
            #expect(html.contains("<html lang=\"\(language)\">"))
            #expect(html.contains("<h1>\(title)</h1>"))
            #expect(html.contains("<label for=\"input\">\(inputLabel)</label>"))
            #expect(html.contains("<label for=\"drive\">") && html.contains("for=\"full\">") && html.contains("<label for=\"mapping\">"))
            let select = try #require(Self.first(#"(<select id="input".*?</select>)"#, in: html))
            #expect(select.contains("<option value=\"registrations-sample.csv\">registrations-sample.csv</option>"), "\(select)")
            #expect(select.contains("<option value=\"week-48/list.csv\">"), "\(select)")
            #expect(!select.contains("hidden") && !select.contains("quarantine-") && !select.contains("escape/"), "\(select)")
            #expect(html.contains("id=\"drive\" name=\"drive\" value=\".\""))
            #expect(html.contains("<datalist id=\"drive-list\"><option value=\".\"></option><option value=\"drive\"></option><option value=\"second\"></option></datalist>"))
            #expect(html.contains("action=\"/exports/dry-run\"") && html.contains("formaction=\"/exports\""))
            #expect(html.contains("name=\"_csrf\" value=\"\(s.csrf)\""))
            #expect(html.contains("<h2 id=\"runs-heading\">\(runsHeading)</h2>"))
            let start = try await client.execute(uri: "/?lang=\(language)", method: .get, headers: s.headers)
            #expect(start.text.contains("<a href=\"/exports\">\(title)</a>"))
        }
    }

    @Test("a preview shows per partner the records the API's dry run gives, and writes nothing",
          arguments: ["de", "en"])
    func previewEqualsTheAPIsDryRun(language: String) async throws {
        let f = try Fixture()
        defer { f.remove() }
        let auditBefore = try f.web.environment.gate.auditLog.size()
        try await f.web.application().test(.router) { client in
            let api = try await client.execute(uri: "/v1/exports/dry-run", method: .post, headers: jsonHeaders(f.token),
                                               body: try ExportRouteTests.body(["input": "registrations-sample.csv", "drive": "drive"]))
            #expect(api.status == .ok)
            let expected = Dictionary(uniqueKeysWithValues: ((api.json["partners"] as? [[String: Any]]) ?? [])
                .map { ($0["partner"] as? String ?? "", $0["records"] as? Int ?? -1) })
            #expect(expected.values.contains { $0 > 0 })

            let s = try await Self.login(client)
            let r = try await client.execute(uri: "/exports/dry-run?lang=\(language)", method: .post, headers: s.formHeaders,
                                             body: Self.form(["input": "registrations-sample.csv", "drive": "drive"], csrf: s.csrf))
            #expect(r.status == .ok, "\(r.text)")
            #expect(Self.records(in: r.text) == expected)
            #expect(r.text.contains(language == "de" ? "Probelauf: nichts wurde geschrieben" : "Dry run: nothing was written"))
            // What would go, in the conditional ("gingen" read as done: a wording review).
            #expect(r.text.contains(language == "de" ? "Datensätze würden an die Stellen gehen." : "records would go to the partners."), "\(r.text)")
            #expect(r.text.contains(language == "de" ? "Gelesene Zeilen: 200" : "Rows read: 200"))
            // The button starts that very run.
            let startForm = try #require(Self.first(#"(<form method="post" action="/exports" class="no-print" id="start-form">.*?</form>)"#, in: r.text))
            #expect(startForm.contains("name=\"input\" value=\"registrations-sample.csv\"") && startForm.contains("name=\"drive\" value=\"drive\""))
            #expect(startForm.contains("name=\"_csrf\""))
        }
        #expect(ExportRouteTests.files(under: f.drivesDir) == ["drive"])
        #expect(ExportRouteTests.files(under: f.inputDir) == ["registrations-sample.csv"])
        #expect(try f.web.environment.gate.auditLog.size() == auditBefore)
        #expect(await f.web.environment.exportRuns.count == 0)
    }

    @Test("a run started from the page finishes; its status page shows the records on the drive and the quarantine report",
          arguments: ["de", "en"])
    func startedRunFinishesWithTheDrivesCounts(language: String) async throws {
        let f = try Fixture()
        defer { f.remove() }
        let list = try Self.listWithABadRow(f)
        try await f.web.application().test(.router) { client in
            let s = try await Self.login(client)
            let started = try await client.execute(uri: "/exports?lang=\(language)", method: .post, headers: s.formHeaders,
                                                   body: Self.form(["input": list, "drive": "drive"], csrf: s.csrf))
            #expect(started.status == .seeOther, "\(started.text)")
            let location = try #require(started.headers[.location])
            let id = String(location.dropFirst("/exports/".count))
            #expect(location == "/exports/\(id)" && !id.isEmpty)

            var page = ""
            let deadline = Date().addingTimeInterval(120)
            repeat {
                let r = try await client.execute(uri: location + "?lang=\(language)", method: .get, headers: s.headers)
                #expect(r.status == .ok)
                page = r.text
                guard page.contains("data-state=\"running\"") || page.contains("data-state=\"queued\"") else { break }
                #expect(page.contains("<meta http-equiv=\"refresh\" content=\"3\">"), "a waiting or running run's page reloads itself")
                try await Task.sleep(for: .milliseconds(100))
            } while Date() < deadline
            #expect(page.contains("<section aria-labelledby=\"run-heading\" id=\"run\" data-state=\"succeeded\">"), "\(page)")
            #expect(page.contains(language == "de" ? "<dd id=\"run-state\">abgeschlossen</dd>" : "<dd id=\"run-state\">finished</dd>"))
            #expect(!page.contains("http-equiv=\"refresh\""), "a finished run's page stays")
            #expect(page.contains("<dd>test-exporter</dd>"))
            let zones = language == "de" ? [" MEZ</time>", " MESZ</time>"] : [" CET</time>", " CEST</time>"]
            #expect(zones.contains { page.contains($0) }, "times in Europe/Berlin")
            let runID = try #require(Self.first(#"<dd><code>([0-9TZ]+-[0-9a-f]+)</code></dd>"#, in: page))

            // What the page says per partner is what is on the drive: one published folder per partner with records,
            // its manifest naming the run and counting the same records as the page and the file's data rows.
            let shown = Self.records(in: page)
            #expect(shown.values.contains { $0 > 0 })
            let policy = f.web.environment.gate.policy
            var onDrive: [String: Int] = [:]
            for partnerFolder in try FileManager.default.contentsOfDirectory(atPath: f.driveDir) where !partnerFolder.hasPrefix(".") {
                let runFolder = f.driveDir + "/" + partnerFolder + "/" + runID
                guard FileManager.default.fileExists(atPath: runFolder + "/manifest.json") else { continue }
                let manifest = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: runFolder + "/manifest.json"))) as? [String: Any])
                #expect(manifest["run-id"] as? String == runID)
                let partner = try #require(manifest["partner"] as? String)
                #expect(policy.bundle.partner(partner)?.folder == partnerFolder)
                let file = try #require((manifest["files"] as? [[String: Any]])?.first { $0["name"] as? String == "registrations.csv" })
                let records = try #require(file["records"] as? Int)
                onDrive[partner] = records
                #expect(FileManager.default.fileExists(atPath: runFolder + "/manifest.sig"))
                // Relative to the service's drive folder, of which the form chose `drive`.
                #expect(page.contains("<code>drive/\(partnerFolder)/\(runID)</code>"), "the page names drive/\(partnerFolder)/\(runID)")
            }
            #expect(onDrive == shown.filter { $0.value > 0 }, "page \(shown), drive \(onDrive)")

            // One row held back: counted, and the report's place in the input folder named (a file that is there).
            #expect(page.contains("data-quarantined=\"1\""), "\(page)")
            let report = try #require(Self.first(#"<code id="quarantine-report">([^<]+)</code>"#, in: page))
            #expect(report == "quarantine-\(runID).csv")
            #expect(FileManager.default.fileExists(atPath: f.inputDir + "/" + report))

            // The form page lists the run, linked.
            let form = try await client.execute(uri: "/exports?lang=\(language)", method: .get, headers: s.headers)
            #expect(form.text.contains("<tr data-run=\"\(id)\"><th scope=\"row\"><a href=\"/exports/\(id)\">\(runID)</a></th>"), "\(form.text)")
        }
    }

    @Test("a waiting or running run's page reloads itself every 3 seconds, unless asked not to; a finished one does not",
          arguments: [("de", "wartet", "läuft", "Nicht mehr automatisch neu laden", "Begonnen</dt><dd><time datetime=\"2026-11-30T00:55:00Z\">30.11.2026, 01:55 MEZ"),
                      ("en", "waiting", "running", "Stop reloading automatically", "Began</dt><dd><time datetime=\"2026-11-30T00:55:00Z\">30 Nov 2026, 01:55 CET")])
    func runningPageRefreshes(language: String, waiting: String, state: String, stopLink: String, began: String) async throws {
        let f = try Fixture()
        defer { f.remove() }
        let registry = f.web.environment.exportRuns
        let run = try await registry.start(actor: "test-exporter", at: Date(timeIntervalSince1970: 1_796_000_000))   // 2026-11-30 00:53 UTC
        try await f.web.application().test(.router) { client in
            let s = try await Self.login(client)
            // Waiting for a lane for long work: says so, and reloads.
            let queued = try await client.execute(uri: "/exports/\(run.id)?lang=\(language)", method: .get, headers: s.headers)
            #expect(queued.text.contains("data-state=\"queued\""))
            #expect(queued.text.contains("<dd id=\"run-state\">\(waiting)</dd>"), "\(queued.text)")
            #expect(queued.text.contains(language == "de" ? "Der Lauf wartet, bis eine andere lange Arbeit endet" : "The run is waiting for other long work to end"))
            #expect(queued.text.contains("<meta http-equiv=\"refresh\" content=\"3\">"))
            #expect(!queued.text.contains(language == "de" ? "Begonnen" : "Began"))
            let queuedForm = try await client.execute(uri: "/exports?lang=\(language)", method: .get, headers: s.headers)
            #expect(queuedForm.text.contains("<td data-state=\"queued\">\(waiting)</td>"), "\(queuedForm.text)")

            await registry.began(run.id, at: Date(timeIntervalSince1970: 1_796_000_100))   // 00:55 UTC
            let running = try await client.execute(uri: "/exports/\(run.id)?lang=\(language)", method: .get, headers: s.headers)
            #expect(running.status == .ok)
            #expect(running.text.contains("<link rel=\"stylesheet\" href=\"/assets/style.css\">\n<meta http-equiv=\"refresh\" content=\"3\"></head>"),
                    "in the head: \(running.text)")
            #expect(running.text.contains("<dd id=\"run-state\">\(state)</dd>"))
            #expect(running.text.contains(began), "\(running.text)")
            #expect(running.text.contains("<a href=\"/exports/\(run.id)?refresh=off\">\(stopLink)</a>"))
            #expect(running.text.contains(language == "de" ? "<title>Exportlauf vom 30.11.2026, 01:53 MEZ – ConsentGate</title>"
                                                           : "<title>Export run of 30 Nov 2026, 01:53 CET – ConsentGate</title>"))
            let still = try await client.execute(uri: "/exports/\(run.id)?refresh=off&lang=\(language)", method: .get, headers: s.headers)
            #expect(still.status == .ok)
            #expect(!still.text.contains("http-equiv"))
            #expect(still.text.contains("<a href=\"/exports/\(run.id)\">"))
            // The form page lists it as running, without counts.
            let form = try await client.execute(uri: "/exports?lang=\(language)", method: .get, headers: s.headers)
            #expect(form.text.contains("<td data-state=\"running\">\(state)</td><td>test-exporter</td><td>–</td><td>–</td><td>–</td>"), "\(form.text)")

            await registry.finish(run.id, result: .failure(WebError.notFound("x")))
            let failed = try await client.execute(uri: "/exports/\(run.id)?lang=\(language)", method: .get, headers: s.headers)
            #expect(failed.text.contains("data-state=\"failed\""))
            #expect(!failed.text.contains("http-equiv"))
            #expect(failed.text.contains(language == "de" ? "Nicht gefunden: x" : "not found: x"))
            let unknown = try await client.execute(uri: "/exports/no-such-run?lang=\(language)", method: .get, headers: s.headers)
            #expect(unknown.status == .notFound)
        }
    }

    @Test("a run that fails shows the job's error in words, as the API gives it", arguments: ["de", "en"])
    func failedRunShowsTheError(language: String) async throws {
        let f = try Fixture()
        defer { f.remove() }
        try "Spalte;Andere\n1;2\n".write(toFile: f.inputDir + "/wrong.csv", atomically: true, encoding: .utf8)
        try await f.web.application().test(.router) { client in
            let s = try await Self.login(client)
            let started = try await client.execute(uri: "/exports", method: .post, headers: s.formHeaders,
                                                   body: Self.form(["input": "wrong.csv", "drive": "drive"], csrf: s.csrf))
            let location = try #require(started.headers[.location])
            var page = ""
            let deadline = Date().addingTimeInterval(60)
            repeat {
                page = try await client.execute(uri: location + "?lang=\(language)", method: .get, headers: s.headers).text
                if !page.contains("data-state=\"running\""), !page.contains("data-state=\"queued\"") { break }
                try await Task.sleep(for: .milliseconds(50))
            } while Date() < deadline
            #expect(page.contains("data-state=\"failed\""))
            let api = try await client.execute(uri: "/v1" + location + "?lang=\(language)", method: .get, headers: bearer(f.token))
            let error = try #require(api.json["error"] as? String)
            #expect(page.contains(HTML.escape(error)), "\(page)")
            #expect(page.contains(language == "de" ? "Der Lauf ist fehlgeschlagen:" : "The run failed:"))

            // The same list previewed: the job's refusal above the buttons, the form kept, nothing run.
            let preview = try await client.execute(uri: "/exports/dry-run?lang=\(language)", method: .post, headers: s.formHeaders,
                                                   body: Self.form(["input": "wrong.csv", "drive": "drive"], csrf: s.csrf))
            #expect(preview.status == .unprocessableContent)
            #expect(preview.text.contains("<p class=\"field-error\" id=\"run-error\">"))
            #expect(preview.text.contains(HTML.escape(error)))
            #expect(preview.text.contains("<option value=\"wrong.csv\" selected>"))
        }
    }

    @Test("a path outside the folders or a missing file is a problem at its field; nothing runs",
          arguments: [
              (["input": "../input/registrations-sample.csv", "drive": "drive"], "input", 422),
              (["input": "/etc/passwd", "drive": "drive"], "input", 422),
              (["input": "nope.csv", "drive": "drive"], "input", 422),
              (["input": "", "drive": "drive"], "input", 400),
              (["input": "registrations-sample.csv", "drive": "../.."], "drive", 422),
              (["input": "registrations-sample.csv", "drive": "not-mounted"], "drive", 422),
              (["input": "registrations-sample.csv", "drive": "drive", "mapping": "../../mapping.map"], "mapping", 422),
              (["input": "registrations-sample.csv", "drive": "drive", "mapping": "nope.map"], "mapping", 422),
          ])
    func badPathsAreFormProblems(fields: [String: String], field: String, status: Int) async throws {
        let f = try Fixture()
        defer { f.remove() }
        let auditBefore = try f.web.environment.gate.auditLog.size()
        try await f.web.application().test(.router) { client in
            let s = try await Self.login(client)
            for uri in ["/exports", "/exports/dry-run"] {
                for language in ["de", "en"] {
                    let r = try await client.execute(uri: uri + "?lang=\(language)", method: .post, headers: s.formHeaders,
                                                     body: Self.form(fields, csrf: s.csrf))
                    #expect(Int(r.status.code) == status, "\(uri) \(fields): \(r.status)")
                    #expect(r.text.contains("id=\"error-summary\""), "\(uri) \(fields)")
                    #expect(r.text.contains("<p class=\"field-error\" id=\"\(field)-error\">"), "\(uri) \(fields)")
                    #expect(r.text.contains("id=\"\(field)\" name=\"\(field)\"") && r.text.contains("aria-invalid=\"true\" aria-describedby=\"\(field)-error"),
                            "\(uri) \(fields)")
                    #expect(r.text.contains(language == "de" ? "Bitte korrigieren Sie diese Angaben" : "Please correct these entries"))
                    if status == 422 {
                        // Named by the box's label, not the API's member name (a wording review).
                        let labels = ["input": ("Liste (Datei im Eingabeordner)", "List (file in the input folder)"),
                                      "drive": ("Ordner auf dem Gruppenlaufwerk", "Folder on the shared drive"),
                                      "mapping": ("Zuordnungsdatei für Spaltenüberschriften", "Header mapping file")]
                        let label = try #require(labels[field])
                        #expect(r.text.contains(language == "de" ? "„\(label.0)“: " : "“\(label.1)”: "), "\(r.text)")
                        #expect(!r.text.contains(language == "de" ? "Feld &quot;\(field)&quot;" : "field &quot;\(field)&quot;"), "\(r.text)")
                    }
                    // Every entry kept.
                    if let drive = fields["drive"] { #expect(r.text.contains("name=\"drive\" value=\"\(HTML.escape(drive))\"")) }
                }
            }
        }
        #expect(await f.web.environment.exportRuns.count == 0)
        #expect(ExportRouteTests.files(under: f.drivesDir) == ["drive"])
        #expect(try f.web.environment.gate.auditLog.size() == auditBefore)
    }

    @Test("a form without the session's CSRF token is refused and starts nothing")
    func missingCSRFIsRefused() async throws {
        let f = try Fixture()
        defer { f.remove() }
        try await f.web.application().test(.router) { client in
            let s = try await Self.login(client)
            for csrf in [nil, "not-the-token"] as [String?] {
                for uri in ["/exports", "/exports/dry-run"] {
                    let r = try await client.execute(uri: uri, method: .post, headers: s.formHeaders,
                                                     body: Self.form(["input": "registrations-sample.csv", "drive": "drive"], csrf: csrf))
                    #expect(r.status == .forbidden, "\(uri) \(csrf ?? "none")")
                    #expect(r.text.contains("CSRF"))
                }
            }
            // Another role gets no form either.
            let dpo = try await Self.login(client, as: "test-dpo")
            #expect(try await client.execute(uri: "/exports", method: .get, headers: dpo.headers).status == .forbidden)
        }
        #expect(await f.web.environment.exportRuns.count == 0)
        #expect(ExportRouteTests.files(under: f.drivesDir) == ["drive"])
    }

    @Test("without export folders the page says which options of serve set them, and nothing can be started",
          arguments: [("de", "Der Export ist auf diesem Server nicht eingerichtet"), ("en", "Export is not set up on this server")])
    func notConfiguredExplains(language: String, words: String) async throws {
        let web = try WebFixture()
        defer { web.remove() }
        try await web.application().test(.router) { client in
            let s = try await Self.login(client)
            let r = try await client.execute(uri: "/exports?lang=\(language)", method: .get, headers: s.headers)
            #expect(r.status == .ok)
            #expect(r.text.contains(words))
            #expect(r.text.contains("consentgate serve --export-input-dir"))
            #expect(r.text.contains("--export-drive-dir"))
            #expect(!r.text.contains("id=\"export-form\""))
            let post = try await client.execute(uri: "/exports?lang=\(language)", method: .post, headers: s.formHeaders,
                                                body: Self.form(["input": "x.csv", "drive": "."], csrf: s.csrf))
            #expect(post.status == .conflict)
            #expect(post.text.contains("--export-input-dir"))
        }
        #expect(await web.environment.exportRuns.count == 0)
    }
}
