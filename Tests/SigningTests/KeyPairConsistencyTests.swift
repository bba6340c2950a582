import Foundation
import Testing
@testable import Signing

/// An EC private key file may carry its public point, and OpenSSL takes that point as it is. The fixture is a P-256
/// PKCS#8 key whose stored point belongs to another key (`Fixtures/keys/p256-mismatched-public.*`, made by swapping
/// the last 65 bytes of the DER; `openssl pkey -check` says "Key is invalid"). It loaded, its kid was the *other*
/// key's (so a trust store naming that key accepted it), and nothing it signed verified. Now loading refuses it.
@Suite struct KeyPairConsistencyTests {
    static let keyFile = "keys/p256-mismatched-public.key.pem"

    @Test func aPrivateKeyWhoseStoredPublicPointIsAnotherKeysIsRefused() throws {
        let path = TestSupport.fixture(Self.keyFile).path
        let embedded = try PublicKey(file: TestSupport.fixture("keys/p256-mismatched-public.embedded.pub.pem").path)
        #expect {
            let key = try PrivateKey(file: path, passphrase: "fixture-pass")
            // What used to happen: it posed as the embedded key and signed what no one can verify.
            let signature = try key.signature(for: Array("consent".utf8))
            Issue.record("loaded as \(key.publicKey.kid) (embedded key \(embedded.kid)); own signature verifies: \(key.publicKey.isValidSignature(signature, for: Array("consent".utf8)))")
        } throws: { error in
            guard case let .invalidKey(source, reason) = error as? SigningError else { return false }
            return source == path && reason.en.contains("does not belong to its private key") && !reason.de.isEmpty
        }
    }

    /// Keys whose halves match still load, from our writer and from `openssl` alike, for both algorithms.
    @Test(arguments: SignatureAlgorithm.allCases)
    func consistentKeysStillLoad(alg: SignatureAlgorithm) throws {
        let key = try PrivateKey.generate(alg)
        let reread = try PrivateKey(pem: key.encryptedPEM(passphrase: "pw", iterations: 1000), passphrase: "pw")
        #expect(reread.publicKey.kid == key.publicKey.kid)
        let message = Array("consent".utf8)
        #expect(reread.publicKey.isValidSignature(try reread.signature(for: message), for: message))
    }
}
