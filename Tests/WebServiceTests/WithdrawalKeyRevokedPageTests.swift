import Foundation
import Gate
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Signing
import Testing
@testable import WebService

/// The consent page and `GET /v1/consents/{id}` of a consent whose withdrawal was signed by a second consent-signer
/// key that the trust store then revokes as of a time before the withdrawal (the key review's finding G): the consent is
/// invalid, and both still show the withdrawal and say that the withdrawal fails, not "signing key …" of the consent.
@Suite struct WithdrawalKeyRevokedPageTests {
    @Test func pageAndAPIShowTheWithdrawalAndSayItFails() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cg-web-withdrawal-key-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let first = Date().addingTimeInterval(-86_400 * 30), second = Date().addingTimeInterval(-86_400 * 10)
        let config = try RealKeysInstallation.configuration(dir, consentKeys: [
            ("consents 2026", first, first.addingTimeInterval(86_400 * 365), nil),
            ("consents 2027", second, second.addingTimeInterval(86_400 * 365), nil)])
        let gate = try Gate.open(config)
        let token = try gate.addAccount(name: "test-caseworker", role: .caseworker, municipality: "Siegburg", password: WebFixture.password,
                                        actor: Actor(id: "test-setup"), passwordParameters: WebFixture.fastHashing).token
        var configuration = WebServiceConfiguration()
        configuration.passwordParameters = WebFixture.fastHashing
        // Signed 20 days ago, when only the first key was in force: it signs the consent; the second the withdrawal.
        let grantedAt = RFC3339.format(Date(timeIntervalSince1970: Date().addingTimeInterval(-86_400 * 20).timeIntervalSince1970.rounded(.down)))
        let id: String = try await WebApplication.build(environment: WebEnvironment(configuration: configuration, gate: gate)).test(.router) { client in
            let grant = try await client.execute(uri: "/v1/consents", method: .post, headers: jsonHeaders(token), body: ByteBuffer(string: """
                {"subject": "RSK-2022-000065", "attributes": {"birth-date": "1990-01-01"}, "template": "kim-beratung", "language": "de", "clauses": ["jobcenter"], "granted-at": "\(grantedAt)"}
                """))
            let id = try #require((grant.json["consent"] as? [String: Any])?["id"] as? String, "\(grant.text)")
            let withdraw = try await client.execute(uri: "/v1/consents/\(id)/withdraw", method: .post, headers: jsonHeaders(token))
            #expect(withdraw.status == .ok, "\(withdraw.text)")
            return id
        }
        let store = try TrustStore.load(file: config.trustFile, demoMode: false)
        var edited = TrustStore(keys: [], demoMode: false, directory: store.directory)
        var kids: [String: String] = [:]
        for var key in store.entries {
            if key.name == "consents 2027" { key.revokedAt = Date().addingTimeInterval(-3600) }
            kids[key.name] = key.kid
            try edited.add(key)
        }
        try edited.save(to: config.trustFile)
        let (consentKid, withdrawalKid) = (kids["consents 2026"] ?? "", kids["consents 2027"] ?? "")

        let reopened = try Gate.open(config)
        try await WebApplication.build(environment: WebEnvironment(configuration: configuration, gate: reopened)).test(.router) { client in
            let api = try await client.execute(uri: "/v1/consents/\(id)?lang=en", method: .get, headers: jsonHeaders(token))
            #expect(api.json["state"] as? String == "invalid" && api.json["kid"] as? String == consentKid, "\(api.text)")
            let withdrawnAt = try #require(api.json["withdrawn-at"] as? String, "\(api.text)")
            let failures = api.json["failures"] as? [String] ?? []
            #expect(failures.count == 1 && failures[0].hasPrefix("the withdrawal of \(withdrawnAt) is signed by key \(withdrawalKid), which is not trusted"),
                    "\(failures)")

            let session = try #require(try await pageLogin(client, name: "test-caseworker"))
            let page = try await client.execute(uri: "/consents/\(id)", method: .get, headers: [.cookie: "cg_session=\(session); cg_lang=de"])
            #expect(page.status == .ok)
            #expect(page.text.contains("data-state=\"invalid\"") && page.text.contains("Widerrufen am"), "\(page.text)")
            #expect(page.text.contains("Der Widerruf vom \(withdrawnAt) ist mit Schlüssel \(withdrawalKid) signiert"), "\(page.text)")
            // The withdrawal on record stays the one that counts (a second one would change nothing: the store answers
            // with the one on record), so the page offers no withdrawal buttons that would do nothing.
            #expect(!page.text.contains("id=\"withdraw\"") && !page.text.contains("withdraw-lines-form"), "\(page.text)")
            let again = try await client.execute(uri: "/v1/consents/\(id)/withdraw", method: .post, headers: jsonHeaders(token))
            #expect(again.status == .ok && (again.json["consent"] as? [String: Any])?["withdrawn-at"] as? String == withdrawnAt
                    && again.json["audit"] is NSNull, "\(again.text)")
        }
    }
}
