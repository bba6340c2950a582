import AuditLog
import Foundation
import Gate
import Hummingbird
import HummingbirdTesting
import Logging
import Signing
import Synchronization
import Testing
@testable import WebService

/// A trust store file changed while the service runs counts only after a restart; the service says so: the `/metrics`
/// gauge `consentgate_trust_store_changed` turns 1, and its log gets one warning per change naming the key events
/// (and an info line when the file is back in step). Real key files, a real trust store file copied from `keys/`.
@Suite struct TrustStoreWatchLogTests {
    /// An installation over a copy of the shipped `keys/` folder (demo keys), so the test may edit its trust store.
    final class Installation: Sendable {
        let directory: URL
        let trustFile: String
        let gate: Gate

        init() throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("cg-trust-watch-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: WebFixture.root.appendingPathComponent("keys"), to: directory.appendingPathComponent("keys"))
            trustFile = directory.appendingPathComponent("keys/trust.yaml").path
            gate = try Gate.open(GateConfiguration(databasePath: directory.appendingPathComponent("cg.sqlite").path,
                                                   policyDirectory: WebFixture.root.appendingPathComponent("policies/kim-rhein-sieg").path,
                                                   trustFile: trustFile, demoMode: true))
        }
        deinit { try? FileManager.default.removeItem(at: directory) }

        /// Revokes the first consent-signer key of the file (now); returns its kid.
        func revokeConsentSigner() throws -> String {
            let store = try TrustStore.load(file: trustFile, demoMode: true)
            var edited = TrustStore(keys: [], demoMode: true, directory: store.directory)
            var kid = ""
            for var key in store.entries {
                if key.roles.contains(.consentSigner) && kid.isEmpty { key.revokedAt = Date(); kid = key.kid }
                try edited.add(key)
            }
            try edited.save(to: trustFile)
            return kid
        }
    }

    /// Collects what a logger writes: level, message, metadata.
    final class Captured: @unchecked Sendable {
        private let lines = Mutex<[String]>([])
        func add(_ line: String) { lines.withLock { $0.append(line) } }
        var all: [String] { lines.withLock { $0 } }
        var logger: Logger { Logger(label: "test") { _ in Handler(captured: self) } }

        struct Handler: LogHandler {
            let captured: Captured
            var metadata: Logger.Metadata = [:]
            var logLevel: Logger.Level = .trace
            subscript(metadataKey key: String) -> Logger.Metadata.Value? {
                get { metadata[key] }
                set { metadata[key] = newValue }
            }
            func log(event: LogEvent) {
                let meta = (event.metadata ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
                captured.add("\(event.level) \(event.message) \(meta)")
            }
        }
    }

    static func gauge(_ metrics: String) -> String? {
        metrics.split(separator: "\n").first { $0.hasPrefix("consentgate_trust_store_changed ") }.map { String($0.split(separator: " ")[1]) }
    }

    @Test func metricsGaugeTurnsOneWhenTheFileChanges() async throws {
        let inst = try Installation()
        let app = WebApplication.build(environment: WebEnvironment(configuration: WebServiceConfiguration(), gate: inst.gate))
        try await app.test(.router) { client in
            let before = try await client.execute(uri: "/metrics", method: .get)
            #expect(Self.gauge(before.text) == "0", "\(before.text)")
            #expect(before.text.contains("# TYPE consentgate_trust_store_changed gauge"))
            _ = try inst.revokeConsentSigner()
            let after = try await client.execute(uri: "/metrics", method: .get)
            #expect(Self.gauge(after.text) == "1", "\(after.text)")
        }
    }

    @Test func reportLogsEachChangeOnce() throws {
        let captured = Captured()
        var log = TrustStoreWatchLog()
        log.report(.unchanged, to: captured.logger)
        #expect(captured.all.isEmpty, "in step from the start: nothing to say")
        let revoked = KeyEventRecord(event: "revoked", kid: "kid-1", roles: ["consent-signer"])
        log.report(.changed([revoked]), to: captured.logger)
        log.report(.changed([revoked]), to: captured.logger)
        #expect(captured.all.count == 1 && captured.all[0].hasPrefix("warning") && captured.all[0].contains("changes=kid-1 revoked")
                && captured.all[0].contains("restart"), "\(captured.all)")
        let trusted = KeyEventRecord(event: "trusted", kid: "kid-2", roles: ["consent-signer"])
        log.report(.changed([revoked, trusted]), to: captured.logger)
        #expect(captured.all.count == 2 && captured.all[1].contains("changes=kid-1 revoked, kid-2 trusted"), "\(captured.all)")
        log.report(.unreadable(SigningError.invalidTrustStore(file: "keys/trust.yaml", line: 3, column: 1,
                                                              reason: .init(de: "kaputt", en: "broken"))), to: captured.logger)
        #expect(captured.all.count == 3 && captured.all[2].hasPrefix("warning") && captured.all[2].contains("keys/trust.yaml:3:1: broken"), "\(captured.all)")
        log.report(.unchanged, to: captured.logger)
        log.report(.unchanged, to: captured.logger)
        #expect(captured.all.count == 4 && captured.all[3].hasPrefix("info") && captured.all[3].contains("back in step"), "\(captured.all)")
    }

    @Test func theRunningWatchLogsARevocation() async throws {
        let inst = try Installation()
        let captured = Captured()
        let watch = Task { await TrustStoreWatchLog.watch(gate: inst.gate, every: .milliseconds(20), logger: captured.logger) }
        defer { watch.cancel() }
        try await Task.sleep(for: .milliseconds(100))
        #expect(captured.all.isEmpty, "in step: \(captured.all)")
        let kid = try inst.revokeConsentSigner()
        let deadline = ContinuousClock.now + .seconds(60)   // generous: the full suite keeps both cores busy
        while !captured.all.contains(where: { $0.contains("\(kid) revoked") }) && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        // The lines about the file (the same watch also logs the signing keys' state: `SigningKeyWatchLogTests`).
        let file = captured.all.filter { !$0.hasPrefix("error no usable key for role") }
        #expect(file.count == 1 && file[0].contains("changes=\(kid) revoked"), "\(captured.all)")
        watch.cancel()
        _ = await watch.value
    }
}
