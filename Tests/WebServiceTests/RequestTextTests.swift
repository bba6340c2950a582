import AuditLog
import Foundation
import Gate
import Hummingbird
import HummingbirdTesting
import Testing
@testable import WebService

/// U+0000 is refused at the web boundary wherever a request carries text: JSON bodies (fast and strict
/// path), form fields (URL-encoded and multipart), query and path parameters. Each answer is a 400 that
/// names where the character was, and nothing is looked up, recorded or logged.
@Suite struct RequestTextTests {
    let fixture: WebFixture
    init() throws { fixture = try WebFixture() }

    var auditSize: Int64 { (try? fixture.environment.gate.auditLog.size()) ?? -1 }

    @Test(arguments: [
        (#"{"subject": "RSK-2022-000001\u0000zzz", "partner": "jobcenter", "purpose": "job-placement", "fields": ["name.family"]}"#, "subject"),
        (#"{"subject": "RSK-2022-000001", "attributes": {"municipality": "Siegburg\u0000x"}, "partner": "jobcenter", "purpose": "job-placement", "fields": ["name.family"]}"#, "attributes.municipality"),
        (#"{"subject": "RSK-2022-000001", "partner": "jobcenter", "purpose": "job-placement", "fields": ["name.family", "x\u0000"]}"#, "fields[1]"),
    ])
    func jsonWithNULIsRefusedNamingTheField(_ c: (String, String)) async throws {
        let before = auditSize
        try await fixture.application().test(.router) { client in
            let r = try await client.execute(uri: "/v1/decisions", method: .post, headers: jsonHeaders(fixture.tokens["caseworker"]!),
                                             body: ByteBuffer(string: c.0))
            #expect(r.status == .badRequest, "\(r.text)")
            #expect(r.errorCode == "invalid-field", "\(r.text)")
            #expect(r.errorMessage?.contains("\"\(c.1)\"") == true, "\(r.text)")
            #expect(r.errorMessage?.contains("U+0000") == true, "\(r.text)")
        }
        #expect(auditSize == before, "a refused request was logged")
    }

    @Test func consentGrantWithNULIsRefused() async throws {
        let before = auditSize
        try await fixture.application().test(.router) { client in
            let r = try await client.execute(uri: "/v1/consents", method: .post, headers: jsonHeaders(fixture.tokens["caseworker"]!),
                body: ByteBuffer(string: #"{"subject": "RSK-7\u0000", "template": "kim-beratung", "language": "de", "clauses": ["jobcenter"]}"#))
            #expect(r.status == .badRequest, "\(r.text)")
            #expect(r.errorMessage?.contains("\"subject\"") == true, "\(r.text)")
        }
        #expect(auditSize == before)
    }

    @Test func formFieldsWithNULAreRefused() async throws {
        let before = auditSize
        try await fixture.application().test(.router) { client in
            let session = try #require(try await pageLogin(client, name: "test-caseworker"))
            let page = try await client.execute(uri: "/check", method: .get, headers: [.cookie: "cg_session=\(session)"])
            let csrf = try #require(csrfToken(in: page.text))
            let urlEncoded = try await client.execute(uri: "/check", method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "cg_session=\(session)"],
                body: formEncode([("subject", "RSK-2022-000001\u{0}zzz"), ("partner", "jobcenter"), ("purpose", "job-placement"),
                                  ("fields", "name.family"), ("_csrf", csrf)]))
            #expect(urlEncoded.status == .badRequest, "\(urlEncoded.status)")
            #expect(urlEncoded.text.contains("Formularfeld &quot;subject&quot;"), "\(urlEncoded.text)")
            let boundary = "XyZ"
            let multipart = "--\(boundary)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(csrf)\r\n"
                + "--\(boundary)\r\nContent-Disposition: form-data; name=\"subject\"\r\n\r\nRSK-1\u{0}x\r\n--\(boundary)--\r\n"
            let multi = try await client.execute(uri: "/consents", method: .post,
                headers: [.contentType: "multipart/form-data; boundary=\(boundary)", .cookie: "cg_session=\(session)"],
                body: ByteBuffer(string: multipart))
            #expect(multi.status == .badRequest, "\(multi.status)")
            #expect(multi.text.contains("U+0000"))
        }
        #expect(auditSize == before)
    }

    @Test func queryParametersWithNULAreRefused() async throws {
        try await fixture.application().test(.router) { client in
            let dpo = bearer(fixture.tokens["dpo"]!)
            let before = auditSize
            for uri in ["/v1/audit/entries?subject=RSK-2022-000001%00zzz", "/v1/audit/stats?partner=x%00", "/v1/audit/entries?kind=decision&actor=a%00b"] {
                let r = try await client.execute(uri: uri, method: .get, headers: dpo)
                #expect(r.status == .badRequest, "\(uri): \(r.text)")
                #expect(r.errorCode == "invalid-field", "\(uri)")
                #expect(r.errorMessage?.contains("Parameter \"") == true && r.errorMessage?.contains("U+0000") == true, "\(r.text)")
            }
            #expect(auditSize == before, "a refused read was logged as audit-read")
            let english = try await client.execute(uri: "/v1/audit/entries?subject=x%00&lang=en", method: .get, headers: dpo)
            #expect(english.errorMessage == "parameter \"subject\" contains the control character U+0000 (NUL), which is not allowed")
            // Without U+0000 the same filter is answered.
            let fine = try await client.execute(uri: "/v1/audit/entries?subject=RSK-100", method: .get, headers: dpo)
            #expect(fine.status == .ok)
        }
    }

    @Test func pathParametersWithNULAreRefused() async throws {
        try await fixture.application().test(.router) { client in
            for (uri, token) in [("/v1/subjects/RSK-2022-000001%00zzz/consents", "dpo"), ("/v1/audit/report/RSK-1%00", "dpo"),
                                 ("/v1/consents/abc%00/withdraw", "caseworker")] {
                let r = try await client.execute(uri: uri, method: uri.hasSuffix("withdraw") ? .post : .get, headers: bearer(fixture.tokens[token]!))
                #expect(r.status == .badRequest, "\(uri): \(r.text)")
                #expect(r.errorCode == "invalid-field", "\(uri)")
                #expect(r.errorMessage?.contains("Pfadparameter") == true, "\(r.text)")
            }
        }
    }
}
