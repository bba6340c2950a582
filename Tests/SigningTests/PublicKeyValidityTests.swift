import Foundation
import Testing
@testable import Signing

/// OpenSSL's SPKI decoder accepts a P-256 public key that is the point at infinity (BIT STRING `00`). It loaded as a
/// P-256 key; asking for its kid or JWK then trapped (the encoded point is one byte, not 0x04‖X‖Y), so a trust store
/// naming such a file crashed the process, and ECDSA verification against it reduces to u1·G, which anyone can
/// satisfy. Public keys are now checked with `EVP_PKEY_public_check` when read.
@Suite struct PublicKeyValidityTests {
    static let infinity = "keys/p256-point-at-infinity.pub.pem"

    @Test func thePointAtInfinityIsRefused() throws {
        let path = TestSupport.fixture(Self.infinity).path
        #expect {
            let key = try PublicKey(file: path)
            Issue.record("loaded a \(key.algorithm) key with \(key.rawBytes.count) encoded bytes")
        } throws: { error in
            guard case let .invalidKey(source, reason) = error as? SigningError else { return false }
            return source == path && reason.en.contains("not a valid point on P-256")
        }
        // The stock openssl command loads it too, and its public-key check refuses it.
        #expect(try TestSupport.run("openssl", ["pkey", "-pubin", "-in", path, "-pubcheck", "-noout"]).status != 0)
    }

    /// Valid public keys of both algorithms, ours and openssl's, still load and keep their kid.
    @Test(arguments: SignatureAlgorithm.allCases)
    func validPublicKeysStillLoad(alg: SignatureAlgorithm) throws {
        let key = try PrivateKey.generate(alg)
        let reread = try PublicKey(pem: key.publicKey.pem)
        #expect(reread.kid == key.publicKey.kid)
        #expect(reread.rawBytes.count == (alg == .p256 ? 65 : 32))
    }
}
