import Foundation
import Hummingbird
import HummingbirdTesting
import PolicyEngine
import Signing
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

/// The reason's words when the clause has no wording of its own (a template such as the retired kim-erklaerung-2022,
/// whose clauses carry none): the day it was signed and the clause id; a consent the check did not see: the id alone.
@Suite struct CheckConsentReasonFallbackTests {
    @Test func aClauseWithoutWordingIsNamedByDayAndId() throws {
        let fixture = try WebFixture()
        defer { fixture.remove() }
        let policy = fixture.environment.gate.policy
        let signed = try #require(RFC3339.parse("2022-06-01T10:00:00Z"))
        let fact = ConsentFact(id: "c1", templateID: "kim-erklaerung-2022", templateVersion: 1, clauses: ["jobcenter"],
                               grantedAt: signed, expiresAt: signed.addingTimeInterval(86_400 * 700))
        #expect(CheckPage.consentReason("c1", clause: "jobcenter", consents: [fact], policy: policy, language: .de)
                == "Einwilligung vom 01.06.2022, Klausel jobcenter")
        #expect(CheckPage.consentReason("c1", clause: "jobcenter", consents: [fact], policy: policy, language: .en)
                == "consent of 1 Jun 2022, clause jobcenter")
        #expect(CheckPage.consentReason("c2", clause: "jobcenter", consents: [fact], policy: policy, language: .de)
                == "Einwilligung, Klausel jobcenter")
    }
}
