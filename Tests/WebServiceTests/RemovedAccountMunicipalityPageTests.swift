import Foundation
import Gate
import Hummingbird
import HummingbirdTesting
import Testing
@testable import WebService

/// A case worker whose account's municipality the policy in force no longer lists (the bundle changed after the account
/// was made) records a consent on the pages: the form came back with the gate's field-level words, "collected-by.municipality:
/// unbekannte Kommune \"Siegburg\": eine der Kommunen des Kreises angeben (…)", a field the user never saw and a town
/// that is their own. Now a sentence saying what happened and whom to ask, in German and English; nothing is recorded.
@Suite struct RemovedAccountMunicipalityPageTests {
    /// A multipart page POST (as the consent form sends it) with the session's CSRF token.
    func postMultipart(_ client: some TestClientProtocol, _ uri: String, session: String, lang: String,
                       fields: [(String, String)]) async throws -> TestResponse {
        let page = try await client.execute(uri: "/", method: .get, headers: [.cookie: "cg_session=\(session)"])
        let csrf = try #require(csrfToken(in: page.text))
        let boundary = "----removed\(UUID().uuidString.prefix(8))"
        var body = ""
        for (k, v) in fields + [("_csrf", csrf)] {
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(k)\"\r\n\r\n\(v)\r\n"
        }
        body += "--\(boundary)--\r\n"
        return try await client.execute(uri: uri, method: .post,
            headers: [.contentType: "multipart/form-data; boundary=\(boundary)", .cookie: "cg_session=\(session); cg_lang=\(lang)"],
            body: ByteBuffer(string: body))
    }

    @Test func aCaseWorkerOfARemovedMunicipalityIsToldWhatHappenedAndWhomToAsk() async throws {
        let fixture = try WebFixture()   // test-caseworker: Siegburg
        defer { fixture.remove() }
        let changed = fixture.directory.appendingPathComponent("without-siegburg")
        try FileManager.default.copyItem(at: WebFixture.root.appendingPathComponent("policies/kim-rhein-sieg"), to: changed)
        try? FileManager.default.removeItem(at: changed.appendingPathComponent("tests"))
        let file = changed.appendingPathComponent("policy.yaml")
        let text = try String(contentsOf: file, encoding: .utf8)
        try #require(text.components(separatedBy: "Sankt Augustin, Siegburg, Swisttal").count == 2)
        try Data(text.replacingOccurrences(of: "Sankt Augustin, Siegburg, Swisttal", with: "Sankt Augustin, Swisttal").utf8).write(to: file)
        let gate = try Gate.open(GateConfiguration(databasePath: fixture.directory.appendingPathComponent("consentgate.sqlite").path,
                                                   policyDirectory: changed.path,
                                                   trustFile: WebFixture.root.appendingPathComponent("keys/trust.yaml").path, demoMode: true))
        try #require(!gate.policy.bundle.countyMunicipalities.admits("Siegburg"))
        let environment = WebEnvironment(configuration: WebServiceConfiguration(), gate: gate)
        try await WebApplication.build(environment: environment).test(.router) { client in
            let session = try #require(try await pageLogin(client, name: "test-caseworker"))
            let fields: [(String, String)] = [("subject", "RSK-2022-000090"), ("birth-date", "1990-01-01"), ("template", "kim-beratung"),
                                              ("language", "de"), ("clauses.kim-beratung", "jobcenter"), ("granted-on", recentSigningDay)]
            for (lang, says) in [("de", "Die Kommune Ihres Kontos, „Siegburg“, ist in der geltenden Richtlinie nicht mehr aufgeführt"),
                                 ("en", "Your account&#39;s municipality, “Siegburg”, is no longer listed by the policy in force")] {
                let r = try await postMultipart(client, "/consents", session: session, lang: lang, fields: fields)
                #expect(r.status == .unprocessableContent, "\(r.text.suffix(800))")
                #expect(r.text.contains(says), "\(r.text)")
                #expect(r.text.contains(lang == "de" ? "Bitte wenden Sie sich an die Administration." : "Please ask the administrator."))
                #expect(!r.text.contains("collected-by.municipality"), "\(r.text)")
                // The entries are kept.
                #expect(r.text.contains("value=\"RSK-2022-000090\""))
            }
            #expect(try gate.consents.list(subject: "RSK-2022-000090").isEmpty)
            #expect(try gate.subject(id: "RSK-2022-000090") == nil)
            // The same words over the API (status and code unchanged).
            let api = try await client.execute(uri: "/v1/consents", method: .post, headers: jsonHeaders(try #require(fixture.tokens["caseworker"])),
                body: ByteBuffer(string: #"{"subject":"RSK-2022-000090","template":"kim-beratung","language":"de","clauses":["jobcenter"],"guardians":[]}"#))
            #expect(api.status == .unprocessableContent && api.errorCode == "invalid-input", "\(api.text)")
            #expect(api.errorMessage?.contains("„Siegburg“, ist in der geltenden Richtlinie nicht mehr aufgeführt") == true, "\(api.text)")
        }
    }
}
