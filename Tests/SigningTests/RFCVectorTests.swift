import Foundation
import Testing
@testable import Signing

/// Published test vectors: RFC 8037 Appendix A (Ed25519 JWS) and RFC 7638 §3.1 (JWK thumbprint).
@Suite struct RFCVectorTests {
    struct RFC8037: Decodable {
        let d, x, thumbprint, payload, protected, payloadB64, signature: String
    }

    struct RFC7638: Decodable {
        let members: [String: String]
        let canonical: String
        let thumbprint: String
    }

    static func load<T: Decodable>(_ path: String) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(contentsOf: TestSupport.fixture(path)))
    }

    @Test func rfc8037KeyAndThumbprint() throws {
        let v: RFC8037 = try Self.load("rfc/rfc8037-a4.json")
        let key = try PrivateKey(ed25519Seed: try #require(Base64URL.decode(v.d)))
        #expect(Base64URL.encode(key.publicKey.rawBytes) == v.x)
        #expect(key.publicKey.kid == v.thumbprint)  // RFC 8037 A.3
    }

    @Test func rfc8037SignatureIsReproducedExactly() throws {
        let v: RFC8037 = try Self.load("rfc/rfc8037-a4.json")
        #expect(Base64URL.encode(Array(v.payload.utf8)) == v.payloadB64)
        let key = try PrivateKey(ed25519Seed: try #require(Base64URL.decode(v.d)))
        // Ed25519 is deterministic: our signature over the RFC's signing input must be the RFC's bytes.
        let sig = try key.signature(for: Array("\(v.protected).\(v.payloadB64)".utf8))
        #expect(Base64URL.encode(sig) == v.signature)
    }

    @Test func rfc8037JWSVerifiesWithAlgEdDSA() throws {
        let v: RFC8037 = try Self.load("rfc/rfc8037-a4.json")
        let json = "{\"protected\":\"\(v.protected)\",\"payload\":\"\(v.payloadB64)\",\"signature\":\"\(v.signature)\"}"
        let jws = try JWS(flattened: Array(json.utf8))
        #expect(jws.header.alg == "EdDSA")
        #expect(jws.algorithm == .ed25519)
        #expect(String(decoding: jws.payload, as: UTF8.self) == v.payload)
        let pub = try PublicKey(ed25519Raw: try #require(Base64URL.decode(v.x)))
        try jws.verify(with: pub)
        let tampered = json.replacingOccurrences(of: v.payloadB64, with: Base64URL.encode(Array("Example of Ed25519 signinG".utf8)))
        #expect(throws: SigningError.self) { try JWS(flattened: Array(tampered.utf8)).verify(with: pub) }
    }

    @Test func rfc7638ThumbprintOfTheRSAExample() throws {
        let v: RFC7638 = try Self.load("rfc/rfc7638-3.1.json")
        // Members arrive in dictionary (unspecified) order; the function must sort them itself.
        let members = v.members.map { ($0.key, $0.value) }.shuffled()
        #expect(JWKThumbprint.canonicalJSON(members: members) == v.canonical)
        #expect(JWKThumbprint.compute(members: members) == v.thumbprint)
    }

    @Test(arguments: ["keys/ed.pub.pem", "keys/p256.pub.pem"])
    func kidMatchesAnIndependentComputation(file: String) throws {
        let expected = try JSONSerialization.jsonObject(with: Data(contentsOf: TestSupport.fixture("trust/expected-kids.json"))) as! [String: String]
        let key = try PublicKey(file: TestSupport.fixture("trust/" + file).path)
        #expect(key.kid == expected[file])
        // A JWK built from our members parses back to the same key.
        #expect(try PublicKey(jwk: key.jwkJSON).kid == key.kid)
    }
}
