import Foundation
import Hummingbird
import HummingbirdTesting
import PolicyEngine
import Signing
import Testing
@testable import WebService

/// A scan over the consent form's body limit (pages review F3): the form comes back with every entry and the file named
/// as too large, instead of a bare 413 page that lost what the caseworker had typed.
@Suite struct ConsentScanTooLargeTests {
    static let boundary = "----cgScan7MA4"
    /// A signing date the template's validity always covers (a fixed date would expire with it).
    static let yesterday = UTCDay.format(BerlinDay.day(of: Date()) - 1)

    /// A multipart body of `fields` (in order), then the scan `bytes` long when given.
    static func body(_ fields: [(String, String)], scan bytes: Int?, filename: String = "Erklärung gescannt.pdf") -> String {
        var body = ""
        for (k, v) in fields { body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(k)\"\r\n\r\n\(v)\r\n" }
        if let bytes {
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"scan\"; filename=\"\(filename)\"\r\nContent-Type: application/pdf\r\n\r\n"
            body += String(repeating: "x", count: bytes) + "\r\n"
        }
        return body + "--\(boundary)--\r\n"
    }

    /// Where the limit cuts a body decides the answer: in the file, the entries before it are read and the file is
    /// named; after the file's closing delimiter (in its `--` or CRLF), every part is whole and read; anywhere else it is
    /// the 413 every other body over a limit gets.
    @Test(arguments: [
        // (what is cut, the text the cut falls after, bytes after its start, what is read: "oversized", "whole" or "413")
        ("in the file's bytes", "application/pdf\r\n\r\n", 1_000, "oversized"),
        ("just after the file's bytes", "xxxx\r\n------cgScan7MA4--", 5, "oversized"),
        ("in the closing delimiter's --", "xxxx\r\n------cgScan7MA4--", 23, "whole"),
        ("in the final CRLF", "xxxx\r\n------cgScan7MA4--", 25, "whole"),
        ("in a text field", "name=\"guardians\"", 500, "413"),
        ("in the file part's headers", "name=\"scan\"", 3, "413"),
    ])
    func theCutDecides(_ what: String, _ marker: String, _ offset: Int, _ outcome: String) throws {
        let text = Self.body([("_csrf", "tok"), ("subject", "RSK-2022-000077"), ("guardians", String(repeating: "g", count: 3_000))], scan: 2_000)
        let whole = Data(text.utf8)
        let at = try #require(text.utf8.firstRange(of: marker.utf8)).lowerBound
        let cut = whole.prefix(text.utf8.distance(from: text.utf8.startIndex, to: at) + offset)
        #expect(cut.count < whole.count, "\(what)")
        switch outcome {
        case "413":
            do {
                _ = try MultipartForm.parse(cut, boundary: Self.boundary, truncated: true)
                Issue.record("\(what): read")
            } catch let e as WebError {
                #expect(e.status == .contentTooLarge, "\(what): \(e.status)")
            }
        default:
            let form = try MultipartForm.parse(cut, boundary: Self.boundary, truncated: true)
            #expect(form["subject"] == "RSK-2022-000077" && form["guardians"]?.count == 3_000, "\(what)")
            if outcome == "whole" {
                #expect(form.file("scan")?.data.count == 2_000 && form.oversizedFile("scan") == nil, "\(what)")
            } else {
                #expect(form.file("scan") == nil, "no part of the file is read as the file")
                #expect(form.oversizedFile("scan") == OversizedFile(filename: "Erklärung gescannt.pdf", bodyLimit: cut.count))
            }
        }
        // Not cut, the same body reads whole.
        let form = try MultipartForm.parse(whole, boundary: Self.boundary)
        #expect(form.file("scan")?.data.count == 2_000 && form.oversizedFile("scan") == nil)
    }

    @Test func aScanOverTheLimitKeepsTheFormsEntries() async throws {
        let fixture = try WebFixture(configuration: WebServiceConfiguration(maxFormBodyBytes: 128 * 1024))
        defer { fixture.remove() }
        try await fixture.application().test(.router) { client in
            let cookie = try #require(try await pageLogin(client, name: "test-caseworker"))
            let page = try await client.execute(uri: "/consents/new", method: .get, headers: [.cookie: "cg_session=\(cookie)"])
            let csrf = try #require(csrfToken(in: page.text))
            // The limit is said before the upload, as configured (it was said only once a file was refused: a review).
            #expect(page.text.contains("<p id=\"scan-hint\" class=\"muted\">Eine Datei (PDF oder Bild), höchstens 128 KiB mit dem Formular.</p>"), "\(page.text)")
            #expect(page.text.contains("<input type=\"file\" id=\"scan\" name=\"scan\" aria-describedby=\"scan-hint\">"), "\(page.text)")
            let fields = [("_csrf", csrf), ("subject", "RSK-2022-000077"), ("template", "kim-beratung"), ("language", "uk"),
                          ("clauses.kim-beratung", "jugendamt"), ("granted-on", Self.yesterday), ("guardians", "Olena K.")]
            let headers: HTTPFields = [.cookie: "cg_session=\(cookie)", .contentType: "multipart/form-data; boundary=\(Self.boundary)"]
            let r = try await client.execute(uri: "/consents", method: .post, headers: headers,
                                              body: ByteBuffer(string: Self.body(fields, scan: 1024 * 1024)))
            #expect(r.status == .contentTooLarge)
            let html = r.text
            #expect(html.contains("id=\"consent-form\""), "the form again, not the bare error page")
            #expect(html.contains("Die Datei &quot;Erklärung gescannt.pdf&quot; ist zu groß (höchstens 128 KiB mit dem Formular)"), "\(html)")
            #expect(html.contains("id=\"scan-error\""), "the problem is at the file control")
            #expect(html.contains("value=\"RSK-2022-000077\"") && html.contains("Olena K.</textarea>"), "entries kept")
            #expect(html.contains("<option value=\"uk\" selected>"))
            #expect(html.contains("value=\"\(Self.yesterday)\""))
            #expect(!html.contains("name=\"scan-digest\""), "no checksum of a file not read")
            #expect(try fixture.environment.gate.consents.list(subject: "RSK-2022-000077").isEmpty, "nothing recorded")

            // The same form with a scan under the limit is recorded.
            let ok = try await client.execute(uri: "/consents", method: .post, headers: headers,
                                               body: ByteBuffer(string: Self.body(fields, scan: 64 * 1024)))
            #expect(ok.status == .seeOther, "\(ok.status): \(ok.text)")
            let stored = try fixture.environment.gate.consents.list(subject: "RSK-2022-000077")
            #expect(stored.count == 1)
            #expect(stored.first?.consent?.content.evidence == SHA256.tagged(Data(String(repeating: "x", count: 64 * 1024).utf8)))
        }
    }
}

/// A consent form sent after its session ended, with a scan too large to read: the entries are kept through the login,
/// and the form after it says the file was not taken (a review: it came back without the scan and without a word).
@Suite struct ConsentScanTooLargeAfterSessionEndTests {
    @Test func theFormAfterTheLoginSaysTheScanWasNotTaken() async throws {
        let fixture = try WebFixture(configuration: WebServiceConfiguration(maxFormBodyBytes: 128 * 1024))
        defer { fixture.remove() }
        try await fixture.application().test(.router) { client in
            let session = try #require(try await pageLogin(client, name: "test-caseworker"))
            let stale = try await fixture.environment.sessions.create(accountName: nil)
            let fields = [("_csrf", stale.csrfToken), ("subject", "RSK-2022-000077"), ("template", "kim-beratung"), ("language", "uk"),
                          ("clauses.kim-beratung", "jugendamt"), ("granted-on", ConsentScanTooLargeTests.yesterday), ("guardians", "Olena K.")]
            var headers = SessionExpiryFormTests.browserHeaders(cookie: "cg_session=\(session); cg_lang=en",
                                                                contentType: "multipart/form-data; boundary=\(ConsentScanTooLargeTests.boundary)")
            headers[.cookie] = "cg_session=\(session); cg_lang=en"
            let refused = try await client.execute(uri: "/consents", method: .post, headers: headers,
                body: ByteBuffer(string: ConsentScanTooLargeTests.body(fields, scan: 512 * 1024, filename: "big.pdf")))
            #expect(refused.status == .forbidden)
            let kept = SessionExpiryFormTests.keptFields(in: refused.text)
            #expect(kept.contains { $0 == ("kept.scan-too-large", "big.pdf") }, "\(kept)")
            #expect(kept.contains { $0 == ("kept.subject", "RSK-2022-000077") })
            let login = try await client.execute(uri: "/login", method: .post,
                headers: SessionExpiryFormTests.browserHeaders(cookie: "cg_session=\(session); cg_lang=en"),
                body: formEncode([("_csrf", try #require(csrfToken(in: refused.text))), ("name", "test-caseworker"), ("password", WebFixture.password)] + kept))
            #expect(login.headers[.location] == "/consents/new")
            let newSession = try #require(login.cookieValue("cg_session"))
            let form = try await client.execute(uri: "/consents/new", method: .get, headers: [.cookie: "cg_session=\(newSession); cg_lang=en"])
            #expect(form.text.contains("The file “big.pdf” was too large and was not taken"), "\(form.text)")
            #expect(form.text.contains("value=\"RSK-2022-000077\""))
            #expect(try fixture.environment.gate.consents.list(subject: "RSK-2022-000077").isEmpty)
        }
    }
}
