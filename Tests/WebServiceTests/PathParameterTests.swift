import AuditLog
import Foundation
import Gate
import Hummingbird
import HummingbirdTesting
import Testing
@testable import WebService

/// Ids in paths are percent-decoded before use: a case id with `/` (allowed by the case-id rule, sent as
/// `%2F`) finds its consents and its Art. 15 report; a segment that does not decode to UTF-8 text is a
/// 400, never an empty answer for a person who does exist.
@Suite struct PathParameterTests {
    let fixture: WebFixture
    init() throws { fixture = try WebFixture() }

    @Test func caseIDsWithSlashesAreFoundThroughEncodedPaths() async throws {
        try await fixture.application().test(.router) { client in
            let cw = jsonHeaders(fixture.tokens["caseworker"]!)
            let grant = try await client.execute(uri: "/v1/consents", method: .post, headers: cw, body: ByteBuffer(string: #"""
                {"subject": "RSK/2022/1", "attributes": {"birth-date": "1990-01-01"}, "template": "kim-beratung", "language": "de", "clauses": ["jobcenter"]}
                """#))
            #expect(grant.status == .created, "\(grant.text)")
            let id = try #require((grant.json["consent"] as? [String: Any])?["id"] as? String)
            let decision = try await client.execute(uri: "/v1/decisions", method: .post, headers: cw, body: ByteBuffer(string: #"""
                {"subject": "RSK/2022/1", "partner": "jobcenter", "purpose": "job-placement", "fields": ["name.family"]}
                """#))
            #expect(decision.json["released"] as? [String] == ["name.family"], "\(decision.text)")

            let dpo = bearer(fixture.tokens["dpo"]!)
            let list = try await client.execute(uri: "/v1/subjects/RSK%2F2022%2F1/consents", method: .get, headers: dpo)
            #expect(list.status == .ok)
            #expect(list.text.contains(id), "the person's consent is missing: \(list.text)")
            let lower = try await client.execute(uri: "/v1/subjects/RSK%2f2022%2f1/consents", method: .get, headers: bearer(fixture.tokens["caseworker"]!))
            #expect(lower.text.contains(id))

            let report = try await client.execute(uri: "/v1/audit/report/RSK%2F2022%2F1", method: .get, headers: dpo)
            #expect(report.status == .ok)
            #expect(report.json["subject"] as? String == "RSK/2022/1", "\(report.text)")
            #expect(report.text.contains("jobcenter"), "the disclosure is missing from the report: \(report.text)")
            // The DPO's read is logged under the decoded id.
            let reads = try fixture.environment.gate.auditLog.entries(matching: AuditQuery(kinds: [.auditRead], limit: nil))
            #expect(reads.last.map { String(decoding: $0.bytes, as: UTF8.self).contains("RSK/2022/1") } == true)

            // Encoded letters of a consent id are decoded too.
            let encodedID = id.replacingOccurrences(of: "-", with: "%2D")
            let shown = try await client.execute(uri: "/v1/consents/\(encodedID)", method: .get, headers: bearer(fixture.tokens["caseworker"]!))
            #expect(shown.status == .ok, "\(shown.text)")
        }
    }

    @Test(arguments: ["/v1/subjects/%FF/consents", "/v1/subjects/RSK%C3/consents", "/v1/audit/report/%E2%82", "/v1/audit/report/RSK%zz1",
                      "/v1/audit/report/RSK%0A1", "/v1/subjects/RSK%7F/consents"])
    func undecodableOrControlPathSegmentsAre400(uri: String) async throws {
        try await fixture.application().test(.router) { client in
            let r = try await client.execute(uri: uri, method: .get, headers: bearer(fixture.tokens["dpo"]!))
            #expect(r.status == .badRequest, "\(uri): \(r.text)")
            #expect(r.errorCode == "invalid-field", "\(uri): \(r.text)")
            #expect(r.errorMessage?.contains("Pfadparameter") == true, "\(r.text)")
        }
    }

    @Test func anIndexThatIsNoNumberIsAPreciseGerman400() async throws {
        try await fixture.application().test(.router) { client in
            let r = try await client.execute(uri: "/v1/audit/entries/abc", method: .get, headers: bearer(fixture.tokens["dpo"]!))
            #expect(r.status == .badRequest)
            #expect(r.errorCode == "invalid-field")
            #expect(r.errorMessage == "Pfadparameter \"index\": \"abc\" ist keine ganze Zahl ≥ 0", "\(r.text)")
            let en = try await client.execute(uri: "/v1/audit/entries/-1?lang=en", method: .get, headers: bearer(fixture.tokens["dpo"]!))
            #expect(en.errorMessage == "path parameter \"index\": \"-1\" is not a whole number ≥ 0", "\(en.text)")
        }
    }
}
