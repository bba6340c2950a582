import ConsentRecords
import AuditLog
import Foundation
import Gate
import Hummingbird
import HummingbirdTesting
import Testing
@testable import WebService

/// Decisions, consents and the audit log over the JSON API, on a real installation (shipped policy,
/// demo keys, SQLite file): what is answered and what lands in the audit log.
@Suite struct DomainAPITests {
    let fixture: WebFixture
    init() throws { fixture = try WebFixture() }

    static let decisionBody = #"""
    {"subject": "RSK-2022-000001", "attributes": {"birth-date": "1985-03-14"}, "partner": "auslaenderbehoerde",
     "purpose": "residence-registration", "fields": ["name.family", "health.notes", "contact.phone"], "at": "2026-11-25T10:00:00Z"}
    """#

    func decide(_ client: some TestClientProtocol, token: String, body: String = decisionBody) async throws -> TestResponse {
        try await client.execute(uri: "/v1/decisions", method: .post, headers: jsonHeaders(token), body: ByteBuffer(string: body))
    }

    func outcomes(_ r: TestResponse) -> [String: String] {
        var m: [String: String] = [:]
        for f in (r.json["fields"] as? [[String: Any]]) ?? [] {
            m[f["field"] as! String] = (f["outcome"] as! String) + ((f["reason"] as? String).map { ":" + $0 } ?? "")
        }
        return m
    }

    @Test func decisionIsAnsweredPerContractAndLogged() async throws {
        try await fixture.application().test(.router) { client in
            let r = try await decide(client, token: fixture.tokens["caseworker"]!)
            #expect(r.status == .ok, "\(r.text)")
            #expect(r.json["decision-version"] as? Int == 1)
            #expect(r.json["released"] as? [String] == ["name.family"])
            #expect(outcomes(r) == ["name.family": "permit", "health.notes": "deny:forbidden", "contact.phone": "deny:consent-missing"])
            let index = try #require((r.json["audit"] as? [String: Any])?["index"] as? Int)
            let logged = try fixture.environment.gate.auditLog.entry(index: Int64(index)).entry
            #expect(logged.kind == .decision)
            #expect(logged.actor == "test-caseworker")
            #expect(logged.municipality == "Siegburg")
            let metrics = try await client.execute(uri: "/metrics", method: .get)
            #expect(metrics.text.contains("consentgate_decisions_total 1"))
            #expect(metrics.text.contains("consentgate_decision_fields_total{outcome=\"permit\"} 1"))
        }
    }

    @Test func otherMunicipalityIsRefused() async throws {
        try fixture.environment.gate.saveSubject(Subject(id: "RSK-2022-000001", municipality: "Siegburg"))
        try await fixture.application().test(.router) { client in
            #expect(try await decide(client, token: fixture.tokens["caseworker"]!).status == .ok)
            let other = try await decide(client, token: fixture.tokens["caseworker-other"]!)
            #expect(other.status == .forbidden)
            #expect(other.errorCode == "other-municipality")
            #expect(!other.text.contains("Siegburg"))
            let stated = try await decide(client, token: fixture.tokens["caseworker"]!, body: #"""
                {"subject": "RSK-NEW-1", "attributes": {"municipality": "Troisdorf"}, "partner": "jobcenter", "purpose": "job-placement", "fields": ["name.family"]}
                """#)
            #expect(stated.status == .forbidden)
            let list = try await client.execute(uri: "/v1/subjects/RSK-2022-000001/consents", method: .get, headers: bearer(fixture.tokens["caseworker-other"]!))
            #expect(list.status == .forbidden)
        }
    }

    @Test(arguments: [
        (#"{"subject": "X", "partner": "geheimdienst", "purpose": "job-placement", "fields": ["name.family"]}"#, HTTPResponse.Status.unprocessableContent, "unknown-partner"),
        (#"{"subject": "X", "partner": "jobcenter", "purpose": "job-placement", "fields": []}"#, .badRequest, "invalid-field"),
        (#"{"subject": "X", "partner": "jobcenter", "purpose": "job-placement", "fields": ["name.family"], "at": "gestern"}"#, .badRequest, "invalid-field"),
        (#"{"subject": "X", "partner": "jobcenter", "purpose": "job-placement", "fields": ["name.family"], "attributes": {"birth-date": "14.03.1985"}}"#, .badRequest, "invalid-field"),
        (#"{"subject": "X", "partner": "jobcenter", "purpose": "job-placement", "fields": ["name.family"], "attributes": {"age": 5}}"#, .badRequest, "unknown-field"),
        (#"{"subject": "X", "partner": "jobcenter", "purpose": "job-placement", "fields": "name.family"}"#, .badRequest, "wrong-type"),
    ])
    func badDecisionRequests(_ c: (String, HTTPResponse.Status, String)) async throws {
        try await fixture.application().test(.router) { client in
            let r = try await decide(client, token: fixture.tokens["caseworker"]!, body: c.0)
            #expect(r.status == c.1, "\(r.text)")
            #expect(r.errorCode == c.2, "\(r.text)")
        }
    }

    /// An unknown partner or purpose names the known ids, as `consentgate check` does (CheckRequestError).
    @Test func anUnknownPartnerOrPurposeNamesTheKnownOnes() async throws {
        try await fixture.application().test(.router) { client in
            let partner = try await decide(client, token: fixture.tokens["caseworker"]!, body: #"""
                {"subject": "X", "partner": "geheimdienst", "purpose": "job-placement", "fields": ["name.family"]}
                """#)
            #expect(partner.errorCode == "unknown-partner" && partner.text.contains("bekannt: ") && partner.text.contains("jobcenter"), "\(partner.text)")
            let purpose = try await decide(client, token: fixture.tokens["caseworker"]!, body: #"""
                {"subject": "X", "partner": "jobcenter", "purpose": "spionage", "fields": ["name.family"]}
                """#)
            #expect(purpose.errorCode == "unknown-purpose" && purpose.text.contains("job-placement"), "\(purpose.text)")
        }
    }

    /// A signing time with a fractional second is refused at the field: the signed declaration keeps whole seconds, and
    /// cutting the fraction moved the consent's start before the stated time (found in a review of dates); nothing is stored.
    @Test func aGrantedAtWithAFractionalSecondIsRefused() async throws {
        try await fixture.application().test(.router) { client in
            let token = fixture.tokens["caseworker"]!
            let before = try fixture.environment.gate.auditLog.size()
            let grant = try await client.execute(uri: "/v1/consents?lang=en", method: .post, headers: jsonHeaders(token), body: ByteBuffer(string: #"""
                {"subject": "RSK-2022-000001", "attributes": {"birth-date": "1985-03-14"}, "template": "kim-beratung", "language": "uk",
                 "clauses": ["abh-kontakt"], "granted-at": "2026-01-10T09:00:00.5Z"}
                """#))
            #expect(grant.status == .badRequest, "\(grant.text)")
            #expect(grant.errorCode == "invalid-field", "\(grant.text)")
            #expect(grant.text.contains("granted-at") && grant.text.contains("whole seconds only"), "\(grant.text)")
            #expect(try fixture.environment.gate.auditLog.size() == before)
        }
    }

    @Test func consentGrantPermitsThenWithdrawalRevokes() async throws {
        try await fixture.application().test(.router) { client in
            let token = fixture.tokens["caseworker"]!
            let grant = try await client.execute(uri: "/v1/consents", method: .post, headers: jsonHeaders(token), body: ByteBuffer(string: #"""
                {"subject": "RSK-2022-000001", "attributes": {"birth-date": "1985-03-14"}, "template": "kim-beratung", "language": "uk",
                 "clauses": ["abh-kontakt"],
                 "evidence": "sha256:0000000000000000000000000000000000000000000000000000000000000000"}
                """#))
            #expect(grant.status == .created, "\(grant.text)")
            let consent = try #require(grant.json["consent"] as? [String: Any])
            let id = try #require(consent["id"] as? String)
            // Signed now (no `granted-at`), decided now: the same answer whenever the test runs (a consent signed on a
            // fixed 2026 day reads "expired" from 2028 on).
            let nowBody = Self.decisionBody.replacingOccurrences(of: #", "at": "2026-11-25T10:00:00Z""#, with: "")
            #expect(nowBody != Self.decisionBody)
            #expect(consent["state"] as? String == "active")
            #expect(outcomes(try await decide(client, token: token, body: nowBody))["contact.phone"] == "permit")

            let readsBefore = try fixture.environment.gate.auditLog.entries(matching: AuditQuery(kinds: [.auditRead], limit: nil)).count
            let asDPO = try await client.execute(uri: "/v1/consents/\(id)", method: .get, headers: bearer(fixture.tokens["dpo"]!))
            #expect(asDPO.status == .ok)
            // A DPO's read of a consent is logged too.
            #expect(try fixture.environment.gate.auditLog.entries(matching: AuditQuery(kinds: [.auditRead], limit: nil)).count == readsBefore + 1)
            let asOther = try await client.execute(uri: "/v1/consents/\(id)", method: .get, headers: bearer(fixture.tokens["caseworker-other"]!))
            #expect(asOther.status == .forbidden)
            let dpoGrant = try await client.execute(uri: "/v1/consents/\(id)/withdraw", method: .post, headers: bearer(fixture.tokens["dpo"]!))
            #expect(dpoGrant.status == .forbidden)

            let withdraw = try await client.execute(uri: "/v1/consents/\(id)/withdraw", method: .post, headers: bearer(token))
            #expect(withdraw.status == .ok)
            #expect((withdraw.json["consent"] as? [String: Any])?["state"] as? String == "withdrawn")
            #expect(outcomes(try await decide(client, token: token, body: nowBody))["contact.phone"]?.hasPrefix("deny") == true)
            let list = try await client.execute(uri: "/v1/subjects/RSK-2022-000001/consents", method: .get, headers: bearer(token))
            #expect(list.text.contains(id))

            let form = try await client.execute(uri: "/v1/consent-templates/kim-beratung/form?language=uk", method: .get, headers: bearer(token))
            #expect(form.status == .ok)
            #expect(form.headers[.contentType]?.hasPrefix("text/html") == true)

            // The withdrawal deleted from the file: the verification status says so, in the request's language.
            let dpo = bearer(fixture.tokens["dpo"]!)
            #expect(try await client.execute(uri: "/v1/audit/verify", method: .get, headers: dpo).json["ok"] as? Bool == true)
            try await fixture.database.writer.write { db in
                try db.execute(sql: ConsentSchema.dropAppendOnlyTriggersSQL)
                try db.execute(sql: "DELETE FROM consent_withdrawal WHERE consent_id = ?", arguments: [id])
            }
            var german = dpo
            german[.acceptLanguage] = "de"
            let broken = try await client.execute(uri: "/v1/audit/verify", method: .get, headers: german)
            #expect(broken.json["ok"] as? Bool == false)
            #expect((broken.json["problem"] as? String)?.contains("Widerruf der Einwilligung \(id)") == true, "\(broken.text)")
        }
    }

    @Test func dpoReadsAreLoggedAndTheLogVerifies() async throws {
        try await fixture.application().test(.router) { client in
            #expect(try await decide(client, token: fixture.tokens["caseworker"]!).status == .ok)
            let dpo = bearer(fixture.tokens["dpo"]!)
            let log = fixture.environment.gate.auditLog
            let readsBefore = try log.entries(matching: AuditQuery(kinds: [.auditRead])).count
            let entries = try await client.execute(uri: "/v1/audit/entries?subject=RSK-2022-000001&kind=decision", method: .get, headers: dpo)
            #expect(entries.status == .ok)
            let list = try JSONSerialization.jsonObject(with: Data(entries.text.utf8)) as? [[String: Any]]
            #expect(list?.count == 1)
            let reads = try log.entries(matching: AuditQuery(kinds: [.auditRead]))
            #expect(reads.count == readsBefore + 1)
            #expect(reads.last?.entry.actor == "test-dpo")

            let verify = try await client.execute(uri: "/v1/audit/verify", method: .get, headers: dpo)
            #expect(verify.json["ok"] as? Bool == true, "\(verify.text)")
            let cp = try await client.execute(uri: "/v1/audit/checkpoint", method: .get, headers: dpo)
            #expect(cp.text.hasPrefix("consentgate.local/audit\n"))
            let proof = try await client.execute(uri: "/v1/audit/proofs/inclusion?index=0", method: .get, headers: dpo)
            #expect(proof.status == .ok && proof.text.contains("hashes"))
            let report = try await client.execute(uri: "/v1/audit/report/RSK-2022-000001", method: .get, headers: dpo)
            #expect(report.status == .ok && report.text.contains("RSK-2022-000001"))
            let stats = try await client.execute(uri: "/v1/audit/stats", method: .get, headers: dpo)
            #expect(stats.status == .ok)
            let badKind = try await client.execute(uri: "/v1/audit/entries?kind=gossip", method: .get, headers: dpo)
            #expect(badKind.status == .badRequest)
            let missing = try await client.execute(uri: "/v1/audit/entries/99999", method: .get, headers: dpo)
            #expect(missing.status == .notFound)
            let asCaseworker = try await client.execute(uri: "/v1/audit/entries", method: .get, headers: bearer(fixture.tokens["caseworker"]!))
            #expect(asCaseworker.status == .forbidden)
        }
    }
}
