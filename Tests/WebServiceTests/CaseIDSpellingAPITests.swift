import Foundation
import Gate
import Hummingbird
import HummingbirdTesting
import Testing
@testable import WebService

/// `POST /v1/consents` for a case id that differs from a recorded one only in letter case is refused (422
/// `invalid-input`, naming the recorded spelling), as `Gate.grantConsent` refuses it: it filed a second person (API
/// review M2, session 41). The recorded spelling is granted as before.
@Suite struct CaseIDSpellingAPITests {
    static func grant(_ subject: String) -> ByteBuffer {
        ByteBuffer(string: #"{"subject": ""# + subject + #"", "attributes": {"birth-date": "1990-01-01"}, "template": "kim-beratung", "language": "de", "clauses": ["jobcenter"], "guardians": []}"#)
    }

    @Test(arguments: ["de", "en"])
    func aSecondSpellingIsRefused(_ lang: String) async throws {
        let fixture = try WebFixture()   // test-caseworker: Siegburg
        defer { fixture.remove() }
        let gate = fixture.environment.gate
        try await fixture.application().test(.router) { client in
            let headers = jsonHeaders(try #require(fixture.tokens["caseworker"]))
            let first = try await client.execute(uri: "/v1/consents", method: .post, headers: headers, body: Self.grant("RSK-2099-000063"))
            #expect(first.status == .created || first.status == .ok, "\(first.text)")
            let logged = try gate.auditLog.size()
            let second = try await client.execute(uri: "/v1/consents?lang=\(lang)", method: .post, headers: headers, body: Self.grant("rsk-2099-000063"))
            #expect(second.status == .unprocessableContent && second.errorCode == "invalid-input", "\(second.text)")
            let words = lang == "de" ? "Fall-ID \"rsk-2099-000063\" ist als \"RSK-2099-000063\" erfasst"
                                     : "case id \"rsk-2099-000063\" is recorded as \"RSK-2099-000063\""
            #expect(second.errorMessage?.contains(words) == true, "\(second.text)")
            #expect(try gate.auditLog.size() == logged, "nothing logged")
            #expect(try gate.subject(id: "rsk-2099-000063") == nil)
            let again = try await client.execute(uri: "/v1/consents", method: .post, headers: headers, body: Self.grant("RSK-2099-000063"))
            #expect(again.status == first.status, "\(again.text)")
        }
    }

    /// The recording page says it at the case id field, every entry kept (422), and records nothing.
    @Test func theRecordingPageSaysItAtTheCaseID() async throws {
        let fixture = try WebFixture()
        defer { fixture.remove() }
        let gate = fixture.environment.gate
        try await fixture.application().test(.router) { client in
            let first = try await client.execute(uri: "/v1/consents", method: .post, headers: jsonHeaders(try #require(fixture.tokens["caseworker"])),
                                                 body: Self.grant("RSK-2099-000064"))
            #expect(first.status == .created || first.status == .ok, "\(first.text)")
            let logged = try gate.auditLog.size()
            let session = try #require(try await pageLogin(client, name: "test-caseworker"))
            for (lang, words) in [("de", "Die Fall-ID &quot;Rsk-2099-000064&quot; ist als &quot;RSK-2099-000064&quot; erfasst: bitte so schreiben"),
                                  ("en", "case id &quot;Rsk-2099-000064&quot; is recorded as &quot;RSK-2099-000064&quot;: please write it so")] {
                let page = try await RemovedAccountMunicipalityPageTests().postMultipart(client, "/consents", session: session, lang: lang, fields: [
                    ("subject", "Rsk-2099-000064"), ("birth-date", "1990-01-01"), ("template", "kim-beratung"), ("language", "de"),
                    ("clauses.kim-beratung", "jobcenter")])
                #expect(page.status == .unprocessableContent, "\(page.text.suffix(800))")
                #expect(page.text.contains(words), "\(page.text)")
                #expect(page.text.contains("value=\"Rsk-2099-000064\""), "the case id typed is kept")
            }
            #expect(try gate.auditLog.size() == logged, "nothing logged")
            #expect(try gate.subject(id: "Rsk-2099-000064") == nil)
        }
    }
}
