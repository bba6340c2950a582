import AuditLog
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import WebService

/// Pages requested as a resource by another site's page are refused before anything runs (`FetchMetadataPolicy`):
/// a sibling host of the county network could otherwise embed `/audit/report?subject=…` as an image and plant
/// `audit-read` entries in a DPO's name (the `SameSite=Strict` cookie goes along to same-site hosts).
@Suite struct FetchMetadataPolicyTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var site: String?
        var mode: String?
        var dest: String?
        var answered: Bool
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "an image on a sibling host", site: "same-site", mode: "no-cors", dest: "image", answered: false),
        Case(name: "a fetch from another site", site: "cross-site", mode: "cors", dest: "empty", answered: false),
        Case(name: "an iframe on a sibling host", site: "same-site", mode: "navigate", dest: "iframe", answered: false),
        Case(name: "an iframe on another site", site: "cross-site", mode: "navigate", dest: "iframe", answered: false),
        Case(name: "an object on a sibling host", site: "same-site", mode: "navigate", dest: "object", answered: false),
        Case(name: "a script on another site", site: "cross-site", mode: "no-cors", dest: "script", answered: false),
        Case(name: "a link on a sibling host", site: "same-site", mode: "navigate", dest: "document", answered: true),
        Case(name: "a link on another site", site: "cross-site", mode: "navigate", dest: "document", answered: true),
        Case(name: "the service's own page", site: "same-origin", mode: "cors", dest: "empty", answered: true),
        Case(name: "a typed address or bookmark", site: "none", mode: "navigate", dest: "document", answered: true),
        Case(name: "no Fetch metadata (older browser, curl)", site: nil, mode: nil, dest: nil, answered: true),
    ]

    @Test(arguments: cases)
    func aDPOPageAnswersNavigationsAndRefusesOtherSitesResourceRequests(_ c: Case) async throws {
        let fixture = try WebFixture()
        defer { fixture.remove() }
        let gate = fixture.environment.gate
        try await fixture.application().test(.router) { client in
            let dpo = try #require(try await pageLogin(client, name: "test-dpo"))
            var headers: HTTPFields = [.cookie: "cg_session=\(dpo)"]
            if let site = c.site { headers[.secFetchSite] = site }
            if let mode = c.mode { headers[.secFetchMode] = mode }
            if let dest = c.dest { headers[.secFetchDest] = dest }
            let reads = { try gate.auditLog.entries(matching: AuditQuery(kinds: [.auditRead])).count }
            let before = try reads()
            let r = try await client.execute(uri: "/audit/report?subject=RSK-2022-000001&lang=en", method: .get, headers: headers)
            if c.answered {
                #expect(r.status == .ok, "\(r.text)")
                #expect(try reads() == before + 1)
            } else {
                #expect(r.status == .forbidden)
                #expect(r.text.contains("request from another site refused"), "\(r.text)")
                #expect(try reads() == before, "a refused request logs no read in the DPO's name")
            }
        }
    }

    /// A form POST from another host is refused even with the session's CSRF token (which another host cannot read,
    /// but this refuses it a step earlier); the service's own form still works.
    @Test func aFormPostFromAnotherHostIsRefused() async throws {
        let fixture = try WebFixture()
        defer { fixture.remove() }
        try await fixture.application().test(.router) { client in
            let form = try await client.execute(uri: "/login", method: .get)
            let anon = try #require(form.cookieValue("cg_session"))
            let csrf = try #require(csrfToken(in: form.text))
            let body = "_csrf=\(csrf)&name=test-dpo&password=\(WebFixture.password)"
            var headers: HTTPFields = [.cookie: "cg_session=\(anon)", .contentType: "application/x-www-form-urlencoded"]
            headers[.secFetchSite] = "same-site"; headers[.secFetchMode] = "navigate"; headers[.secFetchDest] = "document"
            let refused = try await client.execute(uri: "/login", method: .post, headers: headers, body: ByteBuffer(string: body))
            #expect(refused.status == .forbidden)
            headers[.secFetchSite] = "same-origin"
            let own = try await client.execute(uri: "/login", method: .post, headers: headers, body: ByteBuffer(string: body))
            #expect(own.status == .seeOther, "\(own.status) \(own.text)")
        }
    }
}
