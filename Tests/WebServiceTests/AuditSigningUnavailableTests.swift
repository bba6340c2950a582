import Diagnostics
import Foundation
import Gate
import Hummingbird
import HummingbirdTesting
import Signing
import Testing
@testable import WebService

/// When the audit log cannot be signed while the service runs, every request that acts answers 503
/// `audit-log-unavailable` in the request's language, with fixed words (no key file named), and nothing is recorded;
/// the OpenAPI document lists 503 for those operations. Before, such requests answered 422 `invalid-input` with the key
/// error, as if the request had been wrong. Here the trust store stages a successor audit-log key that takes over a few
/// seconds after the start (`Gate.auditSigner` chooses the key at every append), and its key file is damaged after the
/// service opened: a real key file, a real SQLite database, the real router.
@Suite struct AuditSigningUnavailableTests {
    /// A production-like installation: audit-log key `audit-current`, successor `audit-next` from `from`, a consent key.
    static func installation(_ dir: URL, successorFrom from: Date) throws -> (GateConfiguration, successorFile: String) {
        let keys = dir.appendingPathComponent("keys")
        try FileManager.default.createDirectory(at: keys, withIntermediateDirectories: true)
        var store = TrustStore(keys: [], demoMode: false, directory: keys.path)
        let year: TimeInterval = 86_400 * 365
        for (name, role, start) in [("audit-current", KeyRole.auditLog, Date().addingTimeInterval(-86_400)),
                                    ("audit-next", .auditLog, from), ("consents", .consentSigner, Date().addingTimeInterval(-86_400))] {
            let key = try PrivateKey.generate(.ed25519)
            try key.write(to: keys.appendingPathComponent("\(name).key.pem").path, passphrase: "real passphrase", iterations: 1000)
            try key.publicKey.write(to: keys.appendingPathComponent("\(name).pub.pem").path)
            try store.add(TrustedKey(kid: key.publicKey.kid, name: name, publicKey: key.publicKey, publicKeyFile: "\(name).pub.pem",
                                     privateKeyFile: "\(name).key.pem", roles: [role], notBefore: start, notAfter: start.addingTimeInterval(year),
                                     revokedAt: nil, demo: false))
        }
        let trustFile = keys.appendingPathComponent("trust.yaml").path
        try store.save(to: trustFile)
        let passphraseFile = keys.appendingPathComponent("pass.txt").path
        try Data("real passphrase\n".utf8).write(to: URL(fileURLWithPath: passphraseFile))
        let config = GateConfiguration(databasePath: dir.appendingPathComponent("cg.sqlite").path,
                                       policyDirectory: WebFixture.root.appendingPathComponent("policies/kim-rhein-sieg").path,
                                       trustFile: trustFile, demoMode: false, passphraseFile: passphraseFile, environment: [:])
        return (config, keys.appendingPathComponent("audit-next.key.pem").path)
    }

    /// The service as `serve` starts it (open, prefetch and open the audit-log key, accounts), with the successor's
    /// `not-before` `lead` seconds ahead, its key file damaged once the service is up. Nil when the set-up took so long
    /// (a loaded machine) that the successor's time had nearly come: the caller tries again with a longer lead.
    struct Started {
        let dir: URL, gate: Gate, from: Date, successorFile: String, tokens: [AccountRole: String]
    }

    static func start(lead: TimeInterval) throws -> Started? {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cg-web-audit-key-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let from = Date().addingTimeInterval(lead)
        let (config, successorFile) = try installation(dir, successorFrom: from)
        let gate = try Gate.open(config, prefetchingAuditKey: true)
        _ = try gate.auditSigner()
        var tokens: [AccountRole: String] = [:]
        for role in [AccountRole.caseworker, .dpo, .admin] {
            tokens[role] = try gate.addAccount(name: "test-\(role.rawValue)", role: role, municipality: role == .caseworker ? "Siegburg" : nil,
                                               password: WebFixture.password, actor: Actor(id: "test-setup"),
                                               passwordParameters: WebFixture.fastHashing).token
        }
        guard Date() < from.addingTimeInterval(-1) else {
            try? FileManager.default.removeItem(at: dir)
            return nil
        }
        // After the start: the successor's key file is damaged; it is needed from `from` on.
        try Data("not a key\n".utf8).write(to: URL(fileURLWithPath: successorFile))
        return Started(dir: dir, gate: gate, from: from, successorFile: successorFile, tokens: tokens)
    }

    @Test func requestsThatActAnswer503WhileTheAuditLogCannotBeSigned() async throws {
        var started: Started?
        for lead in [5.0, 20, 60] where started == nil { started = try Self.start(lead: lead) }
        let s = try #require(started, "the set-up never finished within 60 s")
        defer { try? FileManager.default.removeItem(at: s.dir) }
        let (gate, from, successorFile, tokens) = (s.gate, s.from, s.successorFile, s.tokens)
        var configuration = WebServiceConfiguration()
        configuration.passwordParameters = WebFixture.fastHashing
        let environment = WebEnvironment(configuration: configuration, gate: gate)
        let app = WebApplication.build(environment: environment)

        try await app.test(.router) { client in
            let decision = #"{"subject": "RSK-2099-000001", "partner": "jobcenter", "purpose": "job-placement", "fields": ["name.family"]}"#
            let session = try #require(try await pageLogin(client, name: "test-dpo"))
            // Monitoring sees it in /metrics (/health stays the framework's ceiling): 1 while the current key signs.
            let before = try await client.execute(uri: "/metrics", method: .get).text
            if Date() < from.addingTimeInterval(-0.5) {
                #expect(before.contains("\nconsentgate_audit_log_signable 1\n"), "\(before)")
            }
            let wait = from.timeIntervalSinceNow + 0.2
            if wait > 0 { try await Task.sleep(for: .milliseconds(Int(wait * 1000))) }
            let size = try gate.auditLog.size()

            let expected = WebError.auditSigningUnavailable(detail: "")
            for language in Language.allCases {
                let r = try await client.execute(uri: "/v1/decisions?lang=\(language.rawValue)", method: .post,
                                                 headers: jsonHeaders(tokens[.caseworker]!), body: ByteBuffer(string: decision))
                #expect(r.status == .serviceUnavailable, "\(r.text)")
                #expect(r.errorCode == "audit-log-unavailable")
                #expect(r.errorMessage == expected.message[language], "\(r.text)")
                #expect(!r.text.contains(successorFile) && !r.text.contains("audit-next"), "no file named in the answer: \(r.text)")
            }
            let others: [(path: String, method: HTTPRequest.Method, token: String, body: String?)] = [
                ("/v1/accounts", .post, tokens[.admin]!, #"{"name": "x1", "role": "dpo"}"#),
                ("/v1/audit/entries", .get, tokens[.dpo]!, nil),
            ]
            for o in others {
                let r = try await client.execute(uri: o.path + "?lang=en", method: o.method, headers: jsonHeaders(o.token),
                                                 body: o.body.map { ByteBuffer(string: $0) } ?? ByteBuffer())
                #expect(r.status == .serviceUnavailable && r.errorCode == "audit-log-unavailable", "\(o.path): \(r.status) \(r.text)")
            }
            // A page: the error page, 503, in German.
            let page = try await client.execute(uri: "/audit", method: .get, headers: [.cookie: "cg_session=\(session)"])
            #expect(page.status == .serviceUnavailable)
            #expect(page.text.contains("Das Audit-Protokoll kann derzeit nicht signiert werden"), "\(page.text)")
            // The service itself is up, /metrics says the log cannot be signed; nothing was recorded.
            #expect(try await client.execute(uri: "/health", method: .get).status == .ok)
            let metrics = try await client.execute(uri: "/metrics", method: .get)
            #expect(metrics.status == .ok && metrics.text.contains("# TYPE consentgate_audit_log_signable gauge\nconsentgate_audit_log_signable 0\n"), "\(metrics.text)")
            #expect(try gate.auditLog.size() == size)
        }

        // The operations answered above document 503.
        let yaml = OpenAPIDocument.yaml
        for (path, method) in [("/v1/decisions", "post"), ("/v1/accounts", "post"), ("/v1/audit/entries", "get"), ("/audit", "get"),
                               ("/v1/consents", "post")] {
            #expect(OpenAPIPageStatusTests.documentedStatuses(yaml, path: path, method: method).contains(503), "\(method) \(path)")
        }
    }
}
