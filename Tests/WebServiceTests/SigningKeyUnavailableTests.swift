import Diagnostics
import Foundation
import Gate
import Hummingbird
import HTTPTypes
import HummingbirdTesting
import Logging
import Signing
import Testing
@testable import WebService

/// With no usable consent-signer key (one revoked, the other expired: the key review's repro H), recording a consent
/// answers 503 `signing-key-unavailable` in the request's language with fixed words (no key named), the consent form
/// shows the same plain words, the reason goes to the service's log, nothing is recorded, and `/metrics` shows
/// `consentgate_signing_key_usable{role="consent-signer"} 0`. Before, the answer was 422 `integrity` listing the keys'
/// names, kids and revocation times, nothing was logged and no gauge showed it. Real key files, a real trust store, a real
/// SQLite database, the real router.
@Suite struct SigningKeyUnavailableTests {
    /// Yesterday's date (`yyyy-MM-dd`), for the form's signing date.
    static var yesterday: String { String(RFC3339.format(Date().addingTimeInterval(-86_400)).prefix(10)) }

    static func gauge(_ metrics: String, role: String) -> String? {
        metrics.split(separator: "\n").first { $0.hasPrefix("consentgate_signing_key_usable{role=\"\(role)\"} ") }
            .map { String($0.split(separator: " ")[1]) }
    }

    @Test func recordingAConsentAnswers503AndTheGaugeAndTheLogSayWhy() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cg-web-consent-key-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let past = Date().addingTimeInterval(-86_400 * 30)
        let config = try RealKeysInstallation.configuration(dir, consentKeys: [
            ("Einwilligungen 2026", past, past.addingTimeInterval(86_400 * 365), Date().addingTimeInterval(-3600)),   // revoked
            ("Einwilligungen kurz", past, Date().addingTimeInterval(-60), nil),                                        // expired
        ])
        let gate = try Gate.open(config, prefetchingAuditKey: true)
        let token = try gate.addAccount(name: "test-caseworker", role: .caseworker, municipality: "Siegburg", password: WebFixture.password,
                                        actor: Actor(id: "test-setup"), passwordParameters: WebFixture.fastHashing).token
        var configuration = WebServiceConfiguration()
        configuration.passwordParameters = WebFixture.fastHashing
        let captured = TrustStoreWatchLogTests.Captured()
        let app = WebApplication.build(environment: WebEnvironment(configuration: configuration, gate: gate), logger: captured.logger)
        let size = try gate.auditLog.size()

        try await app.test(.router) { client in
            let expected = WebError.signingKeyUnavailable(role: .consentSigner, detail: "")
            let body = #"{"subject": "RSK-2022-000065", "attributes": {"birth-date": "1990-01-01"}, "template": "kim-beratung", "language": "de", "clauses": ["jobcenter"]}"#
            for language in Language.allCases {
                let r = try await client.execute(uri: "/v1/consents?lang=\(language.rawValue)", method: .post, headers: jsonHeaders(token),
                                                 body: ByteBuffer(string: body))
                #expect(r.status == .serviceUnavailable, "\(r.text)")
                #expect(r.errorCode == "signing-key-unavailable")
                #expect(r.errorMessage == expected.message[language], "\(r.text)")
                #expect(!r.text.contains("Einwilligungen 2026") && !r.text.contains("revoked") && !r.text.contains("widerrufen am"),
                        "no key named: \(r.text)")
            }
            for (path, method) in [("/v1/consents", "post"), ("/v1/consents/{id}/withdraw", "post")] {
                #expect(OpenAPIPageStatusTests.documentedStatuses(OpenAPIDocument.yaml, path: path, method: method).contains(503), "\(method) \(path)")
            }
            // The reason, with the keys, is in the service's log.
            #expect(captured.all.contains { $0.hasPrefix("error no usable key for role consent-signer") && $0.contains("Einwilligungen 2026")
                                             && $0.contains("the key was revoked at") && $0.contains("path=/v1/consents") }, "\(captured.all)")

            // The consent form: the same plain words on a 503 page.
            let session = try #require(try await pageLogin(client, name: "test-caseworker"))
            let form = try await client.execute(uri: "/consents/new?lang=en", method: .get, headers: [.cookie: "cg_session=\(session)"])
            let csrf = try #require(csrfToken(in: form.text))
            let boundary = "----keys\(UUID().uuidString.prefix(8))"
            var multipart = ""
            for (k, v) in [("_csrf", csrf), ("subject", "RSK-2022-000065"), ("birth-date", "1990-01-01"), ("template", "kim-beratung"),
                           ("language", "de"), ("clauses.kim-beratung", "jobcenter"), ("granted-on", Self.yesterday)] {
                multipart += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(k)\"\r\n\r\n\(v)\r\n"
            }
            multipart += "--\(boundary)--\r\n"
            let page = try await client.execute(uri: "/consents", method: .post,
                headers: [.cookie: "cg_session=\(session); cg_lang=en", .contentType: "multipart/form-data; boundary=\(boundary)",
                          HTTPField.Name("Sec-Fetch-Site")!: "same-origin"],
                body: ByteBuffer(string: multipart))
            #expect(page.status == .serviceUnavailable, "\(page.status) \(page.text)")
            #expect(page.text.contains("Consents and withdrawals cannot be signed at the moment (no usable key for signing consents)"), "\(page.text)")
            #expect(!page.text.contains("Einwilligungen 2026"), "no key named on the page")

            // Nothing recorded; monitoring sees it.
            #expect(try gate.consents.list(subject: "RSK-2022-000065").isEmpty)
            #expect(try gate.auditLog.size() == size)
            let metrics = try await client.execute(uri: "/metrics", method: .get).text
            #expect(metrics.contains("# TYPE consentgate_signing_key_usable gauge"), "\(metrics)")
            #expect(Self.gauge(metrics, role: "consent-signer") == "0", "\(metrics)")
            #expect(Self.gauge(metrics, role: "export-signer") == "1", "\(metrics)")
        }
    }

    /// With a usable consent signer the gauge is 1 and a consent is recorded; a declaration dated before every key's
    /// `not-before` is still the date's problem (400 at `granted-at`), not the keys'. Once the trust store file revokes the
    /// key while the service runs, withdrawing answers 503 and the gauge is 0.
    @Test func aUsableKeyShowsOneAndAnEarlyDateStaysTheRequestsProblem() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cg-web-consent-key-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let since = Date().addingTimeInterval(-86_400)
        let config = try RealKeysInstallation.configuration(dir, consentKeys: [("Einwilligungen", since, since.addingTimeInterval(86_400 * 365), nil)])
        let gate = try Gate.open(config, prefetchingAuditKey: true)
        let token = try gate.addAccount(name: "test-caseworker", role: .caseworker, municipality: "Siegburg", password: WebFixture.password,
                                        actor: Actor(id: "test-setup"), passwordParameters: WebFixture.fastHashing).token
        let app = WebApplication.build(environment: WebEnvironment(configuration: WebServiceConfiguration(), gate: gate))
        try await app.test(.router) { client in
            let metrics = try await client.execute(uri: "/metrics", method: .get).text
            #expect(Self.gauge(metrics, role: "consent-signer") == "1", "\(metrics)")
            let early = #"{"subject": "RSK-2022-000065", "attributes": {"birth-date": "1990-01-01"}, "template": "kim-beratung", "language": "de", "clauses": ["jobcenter"], "granted-at": "2025-01-01T00:00:00Z"}"#
            let r = try await client.execute(uri: "/v1/consents?lang=en", method: .post, headers: jsonHeaders(token), body: ByteBuffer(string: early))
            #expect(r.status == .badRequest && r.errorCode == "invalid-field", "\(r.status) \(r.text)")
            let now = #"{"subject": "RSK-2022-000065", "attributes": {"birth-date": "1990-01-01"}, "template": "kim-beratung", "language": "de", "clauses": ["jobcenter"]}"#
            let ok = try await client.execute(uri: "/v1/consents?lang=en", method: .post, headers: jsonHeaders(token), body: ByteBuffer(string: now))
            #expect(ok.status == .created || ok.status == .ok, "\(ok.status) \(ok.text)")
            let id = try #require((ok.json["consent"] as? [String: Any])?["id"] as? String, "\(ok.text)")

            // The trust store file revokes the key while the service runs: within a second it signs no more, so withdrawing
            // answers 503 too, and the gauge turns 0.
            let store = try TrustStore.load(file: config.trustFile, demoMode: false)
            var edited = TrustStore(keys: [], demoMode: false, directory: store.directory)
            for var key in store.entries {
                if key.roles.contains(.consentSigner) { key.revokedAt = Date().addingTimeInterval(-1) }
                try edited.add(key)
            }
            try edited.save(to: config.trustFile)
            try await Task.sleep(for: .milliseconds(1100))
            let withdraw = try await client.execute(uri: "/v1/consents/\(id)/withdraw?lang=de", method: .post, headers: jsonHeaders(token))
            #expect(withdraw.status == .serviceUnavailable && withdraw.errorCode == "signing-key-unavailable", "\(withdraw.status) \(withdraw.text)")
            #expect(withdraw.errorMessage == WebError.signingKeyUnavailable(role: .consentSigner, detail: "").message.de)
            let after = try await client.execute(uri: "/metrics", method: .get).text
            #expect(Self.gauge(after, role: "consent-signer") == "0", "\(after)")
        }
    }
}
