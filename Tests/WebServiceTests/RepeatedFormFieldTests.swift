import AuditLog
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import WebService

/// A page form with a field sent twice that is no checkbox group is refused (400 `malformed-form` naming it), and
/// nothing is decided or recorded: before, the first value counted silently (found by probing the service: `/check`
/// with `partner` twice logged a decision for the first). Checkbox groups (`fields`, clauses) repeat by design.
@Suite struct RepeatedFormFieldTests {
    static let check: [(String, String)] = [("subject", "RSK-2026-000904"), ("birth-date", "1985-03-14"), ("partner", "jobcenter"),
                                            ("purpose", "job-placement"), ("fields", "name.family"), ("fields", "address.city")]

    @Test(arguments: [("partner", "auslaenderbehoerde"), ("subject", "RSK-OTHER-1"), ("_csrf", "x")])
    func aRepeatedFieldOfTheCheckIsRefused(_ name: String, _ second: String) async throws {
        let fixture = try WebFixture()
        try await fixture.application().test(.router) { client in
            let session = try #require(try await pageLogin(client, name: "test-caseworker"))
            let form = try await client.execute(uri: "/check", method: .get, headers: [.cookie: "cg_session=\(session)"])
            let csrf = try #require(csrfToken(in: form.text))
            let log = fixture.environment.gate.auditLog
            let size = try log.size()
            let refused = try await client.execute(uri: "/check", method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "cg_session=\(session); cg_lang=en"],
                body: formEncode(Self.check + [("_csrf", csrf), (name, second)]))
            #expect(refused.status == .badRequest, "\(refused.text)")
            #expect(refused.text.contains("form field &quot;\(name)&quot; sent more than once; send each field once"), "\(refused.text)")
            #expect(try log.size() == size, "nothing decided or logged")
            // The same form with each field once (and the field group twice) is checked.
            let checked = try await client.execute(uri: "/check", method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "cg_session=\(session)"],
                body: formEncode(Self.check + [("_csrf", csrf)]))
            #expect(checked.status == .seeOther, "\(checked.text)")
            #expect(try log.entries(matching: AuditQuery(kinds: [.decision])).count == 1)
        }
    }

    @Test func checkboxGroupsAndKeptEntriesRepeatByDesign() {
        for name in ["fields", "clause", "clauses", "clauses.kim-beratung", "kept.fields", "kept.clauses.kim-beratung"] {
            #expect(FormData.isMultiValued(name), "\(name)")
        }
        for name in ["partner", "subject", "_csrf", "scan", "kept.subject", "fieldsx"] {
            #expect(!FormData.isMultiValued(name), "\(name)")
        }
    }

    /// The scan sent as a text field is no scan: the form comes back saying so at the file control, and nothing is
    /// recorded without evidence (before, the consent was recorded without a scan and without a word); sent as text and
    /// as a file, it is a field sent twice.
    @Test func aScanSentAsTextIsRefused() async throws {
        let fixture = try WebFixture()
        try await fixture.application().test(.router) { client in
            let cookie = try #require(try await pageLogin(client, name: "test-caseworker"))
            let page = try await client.execute(uri: "/consents/new", method: .get, headers: [.cookie: "cg_session=\(cookie)"])
            let csrf = try #require(csrfToken(in: page.text))
            let fields = [("_csrf", csrf), ("subject", "RSK-2022-000078"), ("template", "kim-beratung"), ("language", "uk"),
                          ("clauses.kim-beratung", "jugendamt"), ("granted-on", ConsentScanTooLargeTests.yesterday), ("scan", "not a file")]
            let headers: HTTPFields = [.cookie: "cg_session=\(cookie); cg_lang=en",
                                       .contentType: "multipart/form-data; boundary=\(ConsentScanTooLargeTests.boundary)"]
            let asText = try await client.execute(uri: "/consents", method: .post, headers: headers,
                                                  body: ByteBuffer(string: ConsentScanTooLargeTests.body(fields, scan: nil)))
            #expect(asText.status == .badRequest, "\(asText.text)")
            #expect(asText.text.contains("id=\"consent-form\"") && asText.text.contains("the scan came as text, not as a file; please choose the file"),
                    "\(asText.text)")
            let both = try await client.execute(uri: "/consents", method: .post, headers: headers,
                                                body: ByteBuffer(string: ConsentScanTooLargeTests.body(fields, scan: 100)))
            #expect(both.status == .badRequest && both.text.contains("form field &quot;scan&quot; sent more than once"), "\(both.text)")
            #expect(try fixture.environment.gate.consents.list(subject: "RSK-2022-000078").isEmpty, "nothing recorded")
        }
    }
}
