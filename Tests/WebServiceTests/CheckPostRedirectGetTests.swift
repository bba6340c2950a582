import AuditLog
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import WebService

/// Post-redirect-get for the referral check (found in a review of the pages: reloading the result page sent the form
/// again and logged a second decision, which the Art. 15 report and the statistics counted as another disclosure).
@Suite struct CheckPostRedirectGetTests {
    let fixture: WebFixture
    init() throws { fixture = try WebFixture() }

    @Test("POST /check answers 303 to the decision's page; reloading that page shows the result again and logs nothing",
          arguments: ["de", "en"])
    func reloadLogsNothing(lang: String) async throws {
        try await fixture.application().test(.router) { client in
            let session = try #require(try await pageLogin(client, name: "test-caseworker"))
            let cookie: HTTPFields = [.cookie: "cg_session=\(session); cg_lang=\(lang)"]
            let form = try await client.execute(uri: "/check", method: .get, headers: cookie)
            let csrf = try #require(csrfToken(in: form.text))
            let log = fixture.environment.gate.auditLog
            let decisions = try log.entries(matching: AuditQuery(kinds: [.decision])).count
            let posted = try await client.execute(uri: "/check", method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "cg_session=\(session); cg_lang=\(lang)"],
                body: formEncode([("subject", "RSK-2026-000903"), ("birth-date", "1985-03-14"), ("partner", "jobcenter"), ("purpose", "job-placement"),
                                  ("fields", "name.family"), ("fields", "address.city"), ("_csrf", csrf)]))
            #expect(posted.status == .seeOther, "\(posted.text)")
            let index = try #require(try log.entries(matching: AuditQuery(kinds: [.decision])).last?.index)
            #expect(posted.headers[.location] == "/check/\(Int(index))")
            #expect(try log.entries(matching: AuditQuery(kinds: [.decision])).count == decisions + 1)
            for _ in 0..<2 {
                let shown = try await client.execute(uri: "/check/\(Int(index))", method: .get, headers: cookie)
                #expect(shown.status == .ok)
                #expect(shown.text.contains("data-audit-index=\"\(Int(index))\""), "\(shown.text)")
                #expect(shown.text.contains("<tr data-field=\"name.family\"") && shown.text.contains("<tr data-field=\"address.city\""))
                #expect(shown.text.contains("/check/\(Int(index))/sheet.csv"))
                #expect(shown.text.contains(#"id="subject" name="subject" value="RSK-2026-000903""#), "the form filled in as sent")
                #expect(shown.text.contains(#"name="birth-date" value="1985-03-14""#))
            }
            #expect(try log.entries(matching: AuditQuery(kinds: [.decision])).count == decisions + 1, "the reloads logged nothing")

            // Another session of the same municipality: the empty form, the sheet's link; no such decision: 404.
            let other = try #require(try await pageLogin(client, name: "test-caseworker"))
            let elsewhere = try await client.execute(uri: "/check/\(Int(index))", method: .get, headers: [.cookie: "cg_session=\(other); cg_lang=\(lang)"])
            #expect(elsewhere.status == .ok)
            #expect(elsewhere.text.contains("id=\"check-not-kept\"") && elsewhere.text.contains("/check/\(Int(index))/sheet.csv"))
            #expect(!elsewhere.text.contains("data-audit-index"))
            let none = try await client.execute(uri: "/check/\(Int(index) + 1000)", method: .get, headers: cookie)
            #expect(none.status == .notFound)
        }
    }
}
