import Foundation
import Gate
import Signing
import Testing
@testable import WebService

/// The service's log says when no key may sign consents (once, with the key ring's reason; an info line when one may
/// again) and warns once, 14 days ahead, of the `not-after` of the key that signs when no other key of the role is in
/// force from then on. Real key files, a real trust store (`RealKeysInstallation`).
@Suite struct SigningKeyWatchLogTests {
    static func gate(consentKeys: [(String, Date, Date, Date?)]) throws -> (Gate, URL) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cg-key-watch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return (try Gate.open(try RealKeysInstallation.configuration(dir, consentKeys: consentKeys)), dir)
    }

    @Test func noUsableConsentSignerIsLoggedOnceWithItsReason() throws {
        let past = Date().addingTimeInterval(-86_400 * 30)
        let (gate, dir) = try Self.gate(consentKeys: [("Einwilligungen 2026", past, past.addingTimeInterval(86_400 * 365), Date().addingTimeInterval(-3600))])
        defer { try? FileManager.default.removeItem(at: dir) }
        let captured = TrustStoreWatchLogTests.Captured()
        var log = SigningKeyWatchLog()
        log.report(gate, to: captured.logger)
        log.report(gate, to: captured.logger)
        // The test installation's key files use 1,000 rounds to be quick: their warnings are `theWeakKeyFiles…`'s.
        let lines = captured.all.filter { !$0.contains("is weakly encrypted") }
        #expect(lines.count == 1, "\(captured.all)")
        #expect(lines.first?.hasPrefix("error no usable key for role consent-signer") == true
                && lines.first?.contains("Einwilligungen 2026") == true && lines.first?.contains("the key was revoked at") == true,
                "\(captured.all)")
    }

    @Test(arguments: [false, true])
    func theComingEndOfTheSigningKeyIsWarnedOfOnceUnlessASuccessorIsInForce(successor: Bool) throws {
        let since = Date().addingTimeInterval(-86_400 * 300)
        // A whole second: the trust store and the log keep whole seconds, and a fraction made the expected text depend on
        // how `RFC3339.format` and the trust store each cut it (failed once in a clean-clone CI run, 2026-12-06).
        let end = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 + 86_400 * 5 + 3600).rounded(.down))
        var keys: [(String, Date, Date, Date?)] = [("Einwilligungen 2026", since, end, nil)]
        if successor { keys.append(("Einwilligungen 2027", end.addingTimeInterval(-86_400), end.addingTimeInterval(86_400 * 700), nil)) }
        let (gate, dir) = try Self.gate(consentKeys: keys)
        defer { try? FileManager.default.removeItem(at: dir) }
        let captured = TrustStoreWatchLogTests.Captured()
        var log = SigningKeyWatchLog()
        log.report(gate, to: captured.logger)
        log.report(gate, to: captured.logger)
        let warnings = captured.all.filter { $0.contains("not-after") }
        if successor {
            #expect(warnings.isEmpty, "\(captured.all)")
        } else {
            #expect(warnings.count == 1 && warnings[0].hasPrefix("warning the key for role consent-signer reaches its not-after in 5 days")
                    && warnings[0].contains("name=Einwilligungen 2026") && warnings[0].contains("not-after=\(RFC3339.format(end))"),
                    "\(captured.all)")
        }
        #expect(!captured.all.contains { $0.hasPrefix("error") }, "\(captured.all)")
    }

    /// A key file encrypted with fewer rounds than ConsentGate writes is warned of once, naming the key, what is weak and
    /// the command that re-encrypts it; one written as ConsentGate writes keys is not (keys review, I5).
    @Test func weaklyEncryptedKeyFilesAreWarnedOfOnceEach() throws {
        let since = Date().addingTimeInterval(-86_400)
        let (gate, dir) = try Self.gate(consentKeys: [("Einwilligungen 2026", since, since.addingTimeInterval(86_400 * 365), nil)])
        defer { try? FileManager.default.removeItem(at: dir) }
        // The audit key re-written as ConsentGate writes keys (600,000 rounds): it must not be warned of.
        let audit = try #require(gate.trustStore.entries.first { $0.roles.contains(.auditLog) })
        let auditPath = gate.trustStore.resolve(try #require(audit.privateKeyFile))
        let key = try PrivateKey(file: auditPath, passphrase: "real passphrase")
        try FileManager.default.removeItem(atPath: auditPath)
        try key.write(to: auditPath, passphrase: "real passphrase")
        let captured = TrustStoreWatchLogTests.Captured()
        var log = SigningKeyWatchLog()
        log.report(gate, to: captured.logger)
        log.report(gate, to: captured.logger)
        let weak = captured.all.filter { $0.contains("is weakly encrypted") }
        let others = gate.trustStore.entries.filter { $0.kid != audit.kid }
        #expect(weak.count == others.count, "\(captured.all)")
        for entry in others {
            #expect(weak.contains { $0.hasPrefix("warning the private key file of key \(entry.kid) is weakly encrypted: only 1000 key-derivation rounds")
                    && $0.contains(KeyFileProtection.reencryptCommand(gate.trustStore.resolve(entry.privateKeyFile ?? "")))
                    && $0.contains("name=\(entry.name)") }, "\(weak)")
        }
        #expect(!weak.contains { $0.contains(audit.kid) }, "\(weak)")
    }
}
