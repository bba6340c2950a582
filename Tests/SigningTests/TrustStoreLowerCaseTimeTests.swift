import Foundation
import TestFolders
import Testing
@testable import Signing

/// `keys/trust.yaml` takes the times RFC 3339 §5.6 allows with a lower-case `t` and `z`, as every other input does; it
/// refused them as "not an RFC 3339 time" (a review of dates, session 40). A date without a time is still refused.
@Suite struct TrustStoreLowerCaseTimeTests {
    @Test(arguments: [("2020-01-01t00:00:00z", true), ("2020-01-01T00:00:00Z", true), ("2020-01-01", false)])
    func lowerCaseSeparatorsAreTaken(_ notBefore: String, _ taken: Bool) throws {
        let folder = try TemporaryDirectory("trust-lower-case")
        let pub = TestSupport.packageRoot.appendingPathComponent("keys/demo/consent-signer.pub.pem").path
        let kid = try PublicKey(file: pub).kid
        let yaml = """
            version: 1
            keys:
              - kid: "\(kid)"
                name: "Demo"
                algorithm: ed25519
                public-key: "\(pub)"
                roles: [consent-signer]
                not-before: "\(notBefore)"
                not-after: "2036-01-01t00:00:00z"
                demo: true

            """
        let file = folder.url.appendingPathComponent("trust.yaml")
        try Data(yaml.utf8).write(to: file)
        if taken {
            let store = try TrustStore.load(file: file.path, demoMode: true)
            #expect(store.entries.first?.notBefore == RFC3339.parse("2020-01-01T00:00:00Z"))
            #expect(store.entries.first?.notAfter == RFC3339.parse("2036-01-01T00:00:00Z"))
        } else {
            #expect(throws: SigningError.self) { try TrustStore.load(file: file.path, demoMode: true) }
        }
    }
}
