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
        #expect(captured.all.count == 1, "\(captured.all)")
        #expect(captured.all.first?.hasPrefix("error no usable key for role consent-signer") == true
                && captured.all.first?.contains("Einwilligungen 2026") == true && captured.all.first?.contains("the key was revoked at") == true,
                "\(captured.all)")
    }

    @Test(arguments: [false, true])
    func theComingEndOfTheSigningKeyIsWarnedOfOnceUnlessASuccessorIsInForce(successor: Bool) throws {
        let since = Date().addingTimeInterval(-86_400 * 300)
        let end = Date().addingTimeInterval(86_400 * 5 + 3600)
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
}
