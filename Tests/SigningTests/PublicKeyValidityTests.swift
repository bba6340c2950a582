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
            return source == path && reason.en.contains("not a valid ECDSA P-256 key")
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

    /// Ed25519 points of small order (the identity, order 2, 4 and 8, canonical or not, either sign bit). OpenSSL
    /// loads them, and against the identity one fixed signature verifies for every message; they are refused as raw
    /// keys (JWK `x`, C2SP note verifier keys) and as SPKI PEM.
    static let smallOrder: [String] = Ed25519SmallOrder.encodings.flatMap { e -> [String] in
        var signed = e
        signed[31] |= 0x80
        return [Hex.encode(e), Hex.encode(signed)]
    }

    @Test(arguments: smallOrder)
    func ed25519PointsOfSmallOrderAreRefused(hex: String) throws {
        let raw = try #require(Hex.decode(hex))
        #expect {
            _ = try PublicKey(ed25519Raw: raw)
        } throws: { error in
            guard case let .invalidKey(_, reason) = error as? SigningError else { return false }
            return reason.en.contains("small order")
        }
        let spki = [0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00] + raw
        let pem = "-----BEGIN PUBLIC KEY-----\n\(Data(spki).base64EncodedString())\n-----END PUBLIC KEY-----\n"
        #expect(throws: SigningError.self) { try PublicKey(pem: pem, source: "small.pem") }
    }

    /// Why: with the identity as public key, R = identity, S = 0 verifies for any message (openssl agrees).
    @Test func theIdentityKeyWouldVerifyAnything() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = TestSupport.fixture("keys/ed25519-identity.pub.pem").path
        let signature = try TestSupport.write([1] + [UInt8](repeating: 0, count: 63), "sig", in: dir)
        for message in ["consent 1", "anything else"] {
            let msg = try TestSupport.write(Array(message.utf8), "msg", in: dir)
            let out = try TestSupport.openssl(["pkeyutl", "-verify", "-pubin", "-inkey", path, "-rawin", "-in", msg, "-sigfile", signature])
            #expect(out.contains("Signature Verified Successfully"))
        }
        #expect(throws: SigningError.self) { try PublicKey(file: path) }
    }
}
