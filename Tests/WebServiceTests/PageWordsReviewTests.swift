import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import WebService

/// Pages in one language, with names for people (found in a black-box review): an error page's status in the page's
/// language, a role refusal by the role's name (and its id), the audit list's partner and purpose by the names its
/// filters offer, an export's columns by the policy's labels.
@Suite struct PageWordsReviewTests {
    @Test(arguments: [("de", "404 Nicht gefunden", "403 Nicht erlaubt",
                       "Ihre Rolle „Fallmanagement“ (caseworker) darf das nicht (erlaubt: „Datenschutzbeauftragte/r“ (dpo))."),
                      ("en", "404 Not Found", "403 Forbidden",
                       "your role “Case worker” (caseworker) may not do this (allowed: “Data protection officer” (dpo)).")])
    func errorPagesSpeakThePagesLanguage(language: String, notFound: String, forbidden: String, refusal: String) async throws {
        let fixture = try WebFixture()
        defer { fixture.remove() }
        try await fixture.application().test(.router) { client in
            let cookie: HTTPFields = [.cookie: "cg_session=\(try #require(try await pageLogin(client, name: "test-caseworker")))"]
            let missing = try await client.execute(uri: "/nope?lang=\(language)", method: .get, headers: cookie)
            #expect(missing.status == .notFound)
            #expect(missing.text.contains("<strong>\(notFound)</strong>"), "\(missing.text)")
            let refused = try await client.execute(uri: "/audit?lang=\(language)", method: .get, headers: cookie)
            #expect(refused.status == .forbidden)
            #expect(refused.text.contains("<strong>\(forbidden)</strong>"))
            #expect(refused.text.contains(HTML.escape(refusal)), "\(refused.text)")
            if language == "de" { #expect(!missing.text.contains("Not Found") && !refused.text.contains("Forbidden")) }
        }
    }

    @Test(arguments: [("de", "Jobcenter", "Arbeitsvermittlung und Grundsicherung"), ("en", "Jobcentre", "Job placement and basic income support")])
    func theAuditListNamesPartnersAndPurposes(language: String, partner: String, purpose: String) async throws {
        let fixture = try WebFixture()
        defer { fixture.remove() }
        try await fixture.application().test(.router) { client in
            let decision = try await client.execute(uri: "/v1/decisions", method: .post, headers: jsonHeaders(fixture.tokens["caseworker"]!),
                body: ByteBuffer(string: #"{"subject": "RSK-2022-000901", "partner": "jobcenter", "purpose": "job-placement", "fields": ["name.family"]}"#))
            try #require(decision.status == .ok)
            let cookie: HTTPFields = [.cookie: "cg_session=\(try #require(try await pageLogin(client, name: "test-dpo")))"]
            let page = try await client.execute(uri: "/audit?lang=\(language)&partner=jobcenter", method: .get, headers: cookie)
            #expect(page.status == .ok)
            #expect(page.text.contains("<td data-partner=\"jobcenter\">\(partner)</td><td data-purpose=\"job-placement\">\(HTML.escape(purpose))</td>"),
                    "\(page.text)")
        }
    }

    @Test(arguments: [("de", "Familienname (name.family)"), ("en", "Family name (name.family)")])
    func anExportsColumnsAreNamedByTheirLabels(language: String, column: String) async throws {
        let f = try ExportRouteTests.ExportFixture()
        defer { f.remove() }
        try await f.web.application().test(.router) { client in
            let s = try await ExportPagesTests.login(client)
            let r = try await client.execute(uri: "/exports/dry-run?lang=\(language)", method: .post, headers: s.formHeaders,
                                             body: ExportPagesTests.form(["input": "registrations-sample.csv", "drive": "drive"], csrf: s.csrf))
            #expect(r.status == .ok, "\(r.text)")
            #expect(r.text.contains(column), "\(r.text)")
        }
    }
}
