import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import WebService

/// A field that may pass on a consent says which one in words a case manager can hold against the paper: the day it was
/// signed and the clause's wording, the clause id after it (it named only the clause id: a review of the pages).
@Suite struct CheckConsentReasonTests {
    @Test(arguments: [
        ("de", "Einwilligung vom 10.01.2026: „Weitergabe an das Jobcenter zur Arbeitsvermittlung und Grundsicherung“ (Klausel jobcenter)"),
        ("en", "consent of 10 Jan 2026: “Passing to the Jobcenter for job placement and basic income support” (clause jobcenter)"),
    ])
    func theReasonNamesTheDayAndTheClausesWording(_ language: String, _ expected: String) async throws {
        let fixture = try WebFixture()
        defer { fixture.remove() }
        try await fixture.application().test(.router) { client in
            let granted = try await client.execute(uri: "/v1/consents", method: .post, headers: jsonHeaders(fixture.tokens["caseworker"]!), body: ByteBuffer(string: #"""
                {"subject": "RSK-2022-000901", "attributes": {"birth-date": "1985-03-14"}, "template": "kim-beratung", "language": "de",
                 "clauses": ["jobcenter"], "granted-at": "2026-01-10T09:00:00Z"}
                """#))
            #expect(granted.status == .created, "\(granted.text)")
            let session = try #require(try await pageLogin(client, name: "test-caseworker"))
            let cookie = "cg_session=\(session); cg_lang=\(language)"
            let form = try await client.execute(uri: "/check", method: .get, headers: [.cookie: cookie])
            let posted = try await client.execute(uri: "/check", method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded", .cookie: cookie],
                body: formEncode([("_csrf", try #require(csrfToken(in: form.text))), ("subject", "RSK-2022-000901"), ("birth-date", "1985-03-14"),
                                  ("partner", "jobcenter"), ("purpose", "job-placement"), ("fields", "name.family")]))
            #expect(posted.status == .seeOther, "\(posted.text)")
            let page = try await client.execute(uri: try #require(posted.headers[.location]), method: .get, headers: [.cookie: cookie])
            let row = try #require(page.text.firstMatch(of: /<tr data-field="name.family">[\s\S]*?<\/tr>/).map { String($0.0) }, "\(page.text)")
            #expect(row.contains("data-outcome=\"permit\""), "\(row)")
            #expect(row.contains(expected), "\(row)")
        }
    }
}
