import Foundation
import Testing
@testable import Signing

/// A passphrase from `CONSENTGATE_PASSPHRASE` is held in `PassphraseSource.environment(name:value:)`, and every
/// `SigningKeyRing` (so every open installation) carries one. Printed the Swift way (an interpolation, `String(describing:)`,
/// `dump`, a test failure message, a log line of a value that holds the ring), it showed the passphrase in clear.
/// Now every printed form names where the passphrase comes from and never what it is.
@Suite struct PassphraseRedactionTests {
    static let secret = "Tr0ub4dor&3-not-for-logs"

    func printedForms(_ value: Any) -> [String] {
        var dumped = ""
        dump(value, to: &dumped)
        return [String(describing: value), String(reflecting: value), "\(value)", dumped]
    }

    @Test func theEnvironmentPassphraseIsNeverPrinted() throws {
        let source = PassphraseSource.environment(name: PassphraseSource.environmentVariable, value: Self.secret)
        let ring = SigningKeyRing(trustStore: TrustStore(keys: [], demoMode: false, directory: "."), passphrase: source)
        for form in printedForms(source) + printedForms(ring) + printedForms([source]) {
            #expect(!form.contains(Self.secret), "printed: \(form)")
        }
        #expect(String(describing: source).contains(PassphraseSource.environmentVariable))
        // The value itself is still what opens keys.
        #expect(try source.passphrase() == Self.secret)
        #expect(source == .environment(name: PassphraseSource.environmentVariable, value: Self.secret))
        #expect(source != .environment(name: PassphraseSource.environmentVariable, value: "other"))
    }

    @Test func aPassphraseFileIsNamedByItsPath() {
        #expect(String(describing: PassphraseSource.file("/run/secrets/cg")).contains("/run/secrets/cg"))
        #expect(!String(describing: PassphraseSource.none).isEmpty)
    }
}
