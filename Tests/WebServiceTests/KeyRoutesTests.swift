import Foundation
import Gate
import Hummingbird
import HummingbirdTesting
import Signing
import Testing
@testable import WebService

/// `GET /v1/keys` and `GET /v1/keys/{kid}`: the admin reads the trust store the service verifies with (read from
/// keys/trust.yaml here, not copied into the test), in the shape of `consentgate keys list|show --json`, never with a
/// private key or its file; every other role is refused (403), no credentials 401.
@Suite struct KeyRoutesTests {
    let fixture: WebFixture
    init() throws { fixture = try WebFixture() }

    /// The demo trust store as the loader reads it from the repository's file.
    static func demoStore() throws -> TrustStore {
        try TrustStore.load(file: WebFixture.root.appendingPathComponent("keys/trust.yaml").path, demoMode: true)
    }

    func get(_ client: some TestClientProtocol, _ uri: String, role: String? = "admin") async throws -> TestResponse {
        try await client.execute(uri: uri, method: .get, headers: role.map { bearer(fixture.tokens[$0]!) } ?? [:])
    }

    @Test func adminListsEveryKeyOfTheTrustStore() async throws {
        let store = try Self.demoStore()
        #expect(store.entries.count >= 2)
        try await fixture.application().test(.router) { client in
            let r = try await get(client, "/v1/keys")
            #expect(r.status == .ok, "\(r.text)")
            #expect(r.headers[.contentType]?.hasPrefix("application/json") == true)
            let keys = try #require(r.json["keys"] as? [[String: Any]], "\(r.text)")
            #expect(keys.map { $0["kid"] as? String } == store.entries.map(\.kid), "in the store's order")
            let atText = try #require(r.json["at"] as? String)
            let at = try #require(RFC3339.parse(atText))
            #expect(abs(at.timeIntervalSinceNow) < 60)
            for (json, key) in zip(keys, store.entries) {
                #expect(json["algorithm"] as? String == key.algorithm.rawValue)
                #expect(Set(json["roles"] as? [String] ?? []) == Set(key.roles.map(\.rawValue)))
                #expect(json["name"] as? String == key.name)
                #expect(json["not-before"] as? String == RFC3339.format(key.notBefore))
                #expect(json["not-after"] as? String == RFC3339.format(key.notAfter))
                #expect(json["demo"] as? Bool == key.demo)
                #expect(json["state"] as? String == key.state(at: at))
                #expect(json["public-key"] as? String == key.publicKeyFile)
                #expect(json["private-key"] == nil)
                // RFC 3339 UTC: `Z`, never an offset.
                #expect((json["not-after"] as? String)?.hasSuffix("Z") == true)
            }
            // Both algorithms of the demo store come through.
            #expect(Set(keys.compactMap { $0["algorithm"] as? String }) == Set(store.entries.map(\.algorithm.rawValue)))
            // The demo keys are valid until 2036: "valid now".
            #expect(keys.allSatisfy { $0["state"] as? String == "valid" })
            #expect(!r.text.contains("PRIVATE") && !r.text.contains(".key.pem"))
        }
    }

    /// The members are those of `consentgate keys list --json` (one formatter, `TrustedKeySummary`), minus the private
    /// key file, in the one sorted order.
    @Test func listUsesTheCLIShape() async throws {
        let store = try Self.demoStore()
        let key = try #require(store.entries.first)
        try await fixture.application().test(.router) { client in
            let r = try await get(client, "/v1/keys")
            let first = try #require((r.json["keys"] as? [[String: Any]])?.first)
            #expect(Set(first.keys) == ["kid", "name", "algorithm", "roles", "not-before", "not-after", "demo", "state", "public-key"])
            let encoded = String(decoding: try TrustedKeySummary.encoder().encode(TrustedKeySummary(key, at: Date())), as: UTF8.self)
            #expect(r.text.contains(encoded), "\(r.text)\n\(encoded)")
            #expect(r.text.hasPrefix(#"{"at":""#))
        }
    }

    /// The built CLI and the API print each key the same, member for member (the CLI adds only `private-key`): one
    /// formatter. The trust store is the repository's, given to the CLI as `--trust`.
    @Test func cliAndAPIPrintTheSameKeys() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: CommandTests.binary.path), "build first: swift build --build-tests")
        let trust = WebFixture.root.appendingPathComponent("keys/trust.yaml").path
        let list = try CommandTests.run(["keys", "list", "--demo", "--json", "--trust", trust])
        try #require(list.status == 0, "\(list.err)")
        let kid = try #require(try Self.demoStore().entries.first?.kid)
        let show = try CommandTests.run(["keys", "show", "--demo", "--json", "--trust", trust, "--kid", kid])
        try #require(show.status == 0, "\(show.err)")
        let (listOut, showOut) = (list.out, show.out)
        try await fixture.application().test(.router) { client in
            // Parsed here: `[String: Any]` cannot be handed into the client's closure.
            let cliKeys = try #require((try JSONSerialization.jsonObject(with: Data(listOut.utf8)) as? [String: Any])?["keys"] as? [[String: Any]])
            let cliShow = try #require(try JSONSerialization.jsonObject(with: Data(showOut.utf8)) as? [String: Any])
            #expect(cliKeys.first?["kid"] as? String == kid)
            let apiKeys = try #require(try await get(client, "/v1/keys").json["keys"] as? [[String: Any]])
            #expect(apiKeys.count == cliKeys.count)
            for (api, cli) in zip(apiKeys, cliKeys) {
                var expected = cli
                #expect(expected.removeValue(forKey: "private-key") != nil, "the demo keys name their private key file")
                // The CLI also says how the file here is encrypted (read without the passphrase); the API names no files.
                let protection = expected.removeValue(forKey: "private-key-protection") as? [String: Any]
                #expect(protection?["cipher"] as? String == "AES-256-CBC" && protection?["iterations"] as? Int == 600_000
                        && (protection?["weaknesses"] as? [String])?.isEmpty == true, "\(cli)")
                #expect(NSDictionary(dictionary: api) == NSDictionary(dictionary: expected), "\(api)\n\(cli)")
            }
            let apiShow = try await get(client, "/v1/keys/\(kid)").json
            var expected = cliShow
            expected.removeValue(forKey: "private-key")
            expected.removeValue(forKey: "private-key-protection")
            #expect(NSDictionary(dictionary: apiShow) == NSDictionary(dictionary: expected), "\(apiShow)\n\(cliShow)")
        }
    }

    @Test func adminShowsOneKeyWithItsPublicKey() async throws {
        let store = try Self.demoStore()
        try await fixture.application().test(.router) { client in
            for key in store.entries {
                let r = try await get(client, "/v1/keys/\(key.kid)")
                #expect(r.status == .ok, "\(r.text)")
                #expect(r.json["kid"] as? String == key.kid)
                #expect(r.json["algorithm"] as? String == key.algorithm.rawValue)
                #expect(Set(r.json["roles"] as? [String] ?? []) == Set(key.roles.map(\.rawValue)))
                #expect(r.json["state"] as? String == "valid")
                // The PEM is the public key file's key, and its fingerprint (the RFC 7638 thumbprint) is the kid.
                let pem = try #require(r.json["public-key-pem"] as? String)
                let file = try String(contentsOfFile: store.resolve(key.publicKeyFile), encoding: .utf8)
                #expect(try PublicKey(pem: pem).kid == key.kid)
                #expect(try PublicKey(pem: pem).pem == (try PublicKey(pem: file)).pem)
                #expect(pem.hasPrefix("-----BEGIN PUBLIC KEY-----"))
                let jwk = try #require(r.json["jwk"] as? [String: String])
                #expect(jwk["kty"] == (key.algorithm == .ed25519 ? "OKP" : "EC"))
                #expect(jwk["crv"] == (key.algorithm == .ed25519 ? "Ed25519" : "P-256"))
                #expect(r.json["private-key"] == nil)
                #expect(!r.text.contains("PRIVATE") && !r.text.contains(".key.pem"), "\(r.text)")
            }
        }
    }

    /// A kid that looks like one but is not in the store: 404 with the JSON error body, in both languages.
    @Test func unknownKidIs404() async throws {
        let unknown = String(repeating: "A", count: 43)
        try await fixture.application().test(.router) { client in
            let de = try await get(client, "/v1/keys/\(unknown)")
            #expect(de.status == .notFound)
            #expect(de.headers[.contentType]?.hasPrefix("application/json") == true)
            #expect(de.errorCode == "not-found")
            #expect(de.errorMessage == "Nicht gefunden: Schlüssel \(unknown) (nicht im Trust-Store)")
            let en = try await get(client, "/v1/keys/\(unknown)?lang=en")
            #expect(en.errorMessage == "not found: key \(unknown) (not in the trust store)")
        }
    }

    /// Path parameter checks as on every route (`PathParameter`), and the form of a kid: 400 `invalid-field`.
    @Test(arguments: ["short", "%FF", "a%00b", String(repeating: "A", count: 42) + "%2F", String(repeating: "A", count: 44),
                      String(repeating: "A", count: 42) + "="])
    func malformedKidIs400(_ kid: String) async throws {
        try await fixture.application().test(.router) { client in
            let r = try await get(client, "/v1/keys/\(kid)?lang=en")
            #expect(r.status == .badRequest, "\(kid): \(r.text)")
            #expect(r.errorCode == "invalid-field")
            #expect(r.errorMessage?.contains("path parameter \"kid\"") == true, "\(r.text)")
        }
    }

    /// A kid that starts with `-` (one in 64 do) is an ordinary path segment here.
    @Test func kidStartingWithDashIsAKid() {
        #expect(KeyRoutes.isKeyID("-" + String(repeating: "a", count: 42)))
        #expect(!KeyRoutes.isKeyID("-" + String(repeating: "a", count: 41) + "+"))
    }

    /// 401 without credentials, 403 for every role but admin, on both routes; the refusal says which role may.
    @Test func onlyAdminMayReadKeys() async throws {
        let kid = try #require(try Self.demoStore().entries.first?.kid)
        try await fixture.application().test(.router) { client in
            for uri in ["/v1/keys", "/v1/keys/\(kid)"] {
                let anonymous = try await get(client, uri, role: nil)
                #expect(anonymous.status == .unauthorized)
                #expect(anonymous.errorCode == "unauthenticated")
                #expect(anonymous.headers[.wwwAuthenticate] == "Bearer realm=\"consentgate\"")
                for role in AccountRole.allCases where role != .admin {
                    for token in role == .caseworker ? ["caseworker", "caseworker-other"] : [role.rawValue] {
                        let r = try await get(client, uri + "?lang=en", role: token)
                        #expect(r.status == .forbidden, "\(uri) as \(token)")
                        #expect(r.errorCode == "forbidden")
                        #expect(r.errorMessage == "your role “\(role.label.en)” (\(role.rawValue)) may not do this (allowed: “Administrator” (admin)).")
                        #expect(!r.text.contains(kid) && !r.text.contains("PRIVATE"))
                    }
                }
            }
        }
    }
}
