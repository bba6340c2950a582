import AuditLog
import Foundation
import Gate
import Hummingbird
import HummingbirdTesting
import Testing
@testable import WebService

/// The domain pages in process: the municipality rule on pages and downloads, and the DPO pages
/// (verification status, explain again, report, statistics), each DPO read logged.
@Suite struct DomainPageTests {
    let fixture: WebFixture
    init() throws { fixture = try WebFixture() }

    func post(_ client: some TestClientProtocol, _ uri: String, session: String, fields: [(String, String)]) async throws -> TestResponse {
        let page = try await client.execute(uri: "/", method: .get, headers: [.cookie: "cg_session=\(session)"])
        let csrf = try #require(csrfToken(in: page.text))
        // A check is answered 303 to its page (post-redirect-get), which a browser follows.
        return try await following(client, try await client.execute(uri: uri, method: .post,
            headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "cg_session=\(session)"],
            body: formEncode(fields + [("_csrf", csrf)])), cookie: "cg_session=\(session)")
    }

    @Test func checkPageAndMunicipalityRuleOnPages() async throws {
        try await fixture.application().test(.router) { client in
            let mine = try #require(try await pageLogin(client, name: "test-caseworker"))
            let other = try #require(try await pageLogin(client, name: "test-caseworker-other"))
            let r = try await post(client, "/check", session: mine, fields: [
                ("subject", "RSK-2022-000001"), ("birth-date", "1985-03-14"), ("partner", "auslaenderbehoerde"),
                ("purpose", "residence-registration"), ("fields", "name.family"), ("fields", "health.notes")])
            #expect(r.status == .ok)
            #expect(r.text.contains("data-outcome=\"permit\"") && r.text.contains("data-outcome=\"deny\""))
            let index = try #require(r.text.firstMatch(of: /data-audit-index="(\d+)"/).map { String($0.1) })
            let sheetMine = try await client.execute(uri: "/check/\(index)/sheet.csv", method: .get, headers: [.cookie: "cg_session=\(mine)"])
            #expect(sheetMine.status == .ok)
            #expect(sheetMine.headers[.contentDisposition]?.contains("uebergabe-\(index).csv") == true)
            let sheetOther = try await client.execute(uri: "/check/\(index)/sheet.csv", method: .get, headers: [.cookie: "cg_session=\(other)"])
            // Another municipality's decision is answered like no decision at all (no index oracle), its page too.
            #expect(sheetOther.status == .notFound)
            let pageOther = try await client.execute(uri: "/check/\(index)", method: .get, headers: [.cookie: "cg_session=\(other)"])
            #expect(pageOther.status == .notFound && !pageOther.text.contains("RSK-2022-000001"))
            #expect(!sheetOther.text.contains("RSK-2022-000001"))
            // No fields chosen: a 400 naming the problem, not a crash.
            let empty = try await post(client, "/check", session: mine, fields: [("subject", "X"), ("partner", "jobcenter"), ("purpose", "job-placement")])
            #expect(empty.status == .badRequest)
            #expect(empty.text.contains("mindestens ein Feld"))
        }
    }

    /// The check page offers the recorded people of the case worker's own municipality to pick from, and
    /// never another municipality's.
    @Test func checkPageListsOnlyTheOwnMunicipalitysPeople() async throws {
        let gate = fixture.environment.gate
        try gate.saveSubject(Subject(id: "RSK-2024-000101", municipality: "Siegburg"))
        try gate.saveSubject(Subject(id: "RSK-2024-000102", municipality: "Siegburg"))
        try gate.saveSubject(Subject(id: "RSK-2024-000201", municipality: "Troisdorf"))
        try await fixture.application().test(.router) { client in
            let mine = try #require(try await pageLogin(client, name: "test-caseworker"))
            let page = try await client.execute(uri: "/check", method: .get, headers: [.cookie: "cg_session=\(mine)"])
            #expect(page.status == .ok)
            let listed = page.text.matches(of: /<option value="(RSK-[0-9-]+)"><\/option>/).map { String($0.1) }
            #expect(listed == ["RSK-2024-000101", "RSK-2024-000102"])
            #expect(page.text.contains("list=\"subject-list\""))
            let other = try #require(try await pageLogin(client, name: "test-caseworker-other"))
            let theirs = try await client.execute(uri: "/check", method: .get, headers: [.cookie: "cg_session=\(other)"])
            #expect(theirs.text.contains("RSK-2024-000201") && !theirs.text.contains("RSK-2024-000101"))
        }
    }

    @Test func consentPagesRespectTheMunicipality() async throws {
        let token = fixture.tokens["caseworker"]!
        try await fixture.application().test(.router) { client in
            let grant = try await client.execute(uri: "/v1/consents", method: .post, headers: jsonHeaders(token), body: ByteBuffer(string: #"""
                {"subject": "RSK-7", "attributes": {"birth-date": "1990-01-01"}, "template": "kim-beratung", "language": "de", "clauses": ["jobcenter"]}
                """#))
            let id = try #require((grant.json["consent"] as? [String: Any])?["id"] as? String)
            let other = try #require(try await pageLogin(client, name: "test-caseworker-other"))
            let page = try await client.execute(uri: "/consents/\(id)", method: .get, headers: [.cookie: "cg_session=\(other)"])
            #expect(page.status == .forbidden)
            let withdraw = try await post(client, "/consents/\(id)/withdraw", session: other, fields: [])
            #expect(withdraw.status == .forbidden)
            let mine = try #require(try await pageLogin(client, name: "test-caseworker"))
            let shown = try await client.execute(uri: "/consents/\(id)", method: .get, headers: [.cookie: "cg_session=\(mine)"])
            #expect(shown.text.contains("data-state=\"active\""))
            let declaration = try await client.execute(uri: "/consents/\(id)/declaration", method: .get, headers: [.cookie: "cg_session=\(mine)"])
            #expect(declaration.status == .ok)
            #expect(declaration.headers[.contentSecurityPolicy]?.contains("script") == false)
        }
    }

    @Test func dpoPagesShowVerificationExplainReportAndStats() async throws {
        try await fixture.application().test(.router) { client in
            let decision = try await client.execute(uri: "/v1/decisions", method: .post, headers: jsonHeaders(fixture.tokens["caseworker"]!),
                body: ByteBuffer(string: #"{"subject": "RSK-9", "partner": "auslaenderbehoerde", "purpose": "residence-registration", "fields": ["name.family"]}"#))
            let index = try #require((decision.json["audit"] as? [String: Any])?["index"] as? Int)
            let dpo = try #require(try await pageLogin(client, name: "test-dpo"))
            let cookie: HTTPFields = [.cookie: "cg_session=\(dpo)"]
            let reads = { try fixture.environment.gate.auditLog.entries(matching: AuditQuery(kinds: [.auditRead], limit: nil)).count }
            let before = try reads()
            let log = try await client.execute(uri: "/audit?kind=decision", method: .get, headers: cookie)
            #expect(log.status == .ok)
            #expect(log.text.contains("data-ok=\"true\""))
            #expect(log.text.contains("RSK-9"))
            let entry = try await client.execute(uri: "/audit/entries/\(index)?explain=1", method: .get, headers: cookie)
            #expect(entry.text.contains("genau nachvollziehen"))
            let report = try await client.execute(uri: "/audit/report?subject=RSK-9", method: .get, headers: cookie)
            #expect(report.status == .ok && report.text.contains("id=\"report\""))
            let stats = try await client.execute(uri: "/audit/stats", method: .get, headers: cookie)
            #expect(stats.status == .ok && stats.text.contains("id=\"stats\""))
            #expect(try reads() == before + 4)
            let caseworker = try #require(try await pageLogin(client, name: "test-caseworker"))
            let refused = try await client.execute(uri: "/audit", method: .get, headers: [.cookie: "cg_session=\(caseworker)"])
            #expect(refused.status == .forbidden)
        }
    }
}
