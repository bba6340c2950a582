import Foundation
import Testing
@testable import Signing

/// Interop with an independent JOSE implementation (Python `joserfc`), both ways.
@Suite struct JOSEInteropTests {
    static let script = TestSupport.fixture("jose/joserfc_interop.py").path

    @Test(arguments: SignatureAlgorithm.allCases)
    func ourJWSVerifiesWithJoserfc(alg: SignatureAlgorithm) throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let key = try PrivateKey.generate(alg)
        let payload = Array("{\"id\":\"8d3e\",\"subject\":\"RSK-2022-000017\",\"language\":\"uk\"}".utf8)
        let jws = try JWS.sign(payload: payload, type: "consentgate-consent+json", key: key)
        #expect(jws.header.alg == alg.jwsAlgorithm)
        let jwk = try TestSupport.write(Array(key.publicKey.jwkJSON.utf8), "key.jwk", in: dir)
        let good = try TestSupport.write(Array(jws.serialized.utf8), "good.json", in: dir)
        let result = try TestSupport.run("python3", [Self.script, "verify", jwk, good])
        #expect(result.status == 0, "joserfc refused our JWS: \(result.stderr)")
        #expect(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == String(decoding: payload, as: UTF8.self))

        let tampered = JWS(protectedB64: jws.protectedB64, payloadB64: jws.payloadB64,
                           signature: TestSupport.flipBit(jws.signature, at: 10), header: jws.header, payload: jws.payload)
        let bad = try TestSupport.write(Array(tampered.serialized.utf8), "bad.json", in: dir)
        #expect(try TestSupport.run("python3", [Self.script, "verify", jwk, bad]).status == 1)
    }

    @Test(arguments: ["Ed25519", "ES256"])
    func joserfcJWSVerifiesHere(alg: String) throws {
        let result = try TestSupport.run("python3", [Self.script, "sign", alg])
        try #require(result.status == 0, "joserfc failed: \(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let jwkData = try JSONSerialization.data(withJSONObject: try #require(object["jwk"]))
        let jwsData = try JSONSerialization.data(withJSONObject: try #require(object["jws"]))
        let key = try PublicKey(jwk: String(decoding: jwkData, as: UTF8.self))
        let jws = try JWS(flattened: [UInt8](jwsData))
        #expect(jws.header.alg == alg)
        #expect(jws.header.kid == key.kid)  // joserfc's RFC 7638 thumbprint equals ours
        try jws.verify(with: key)
        #expect(String(decoding: jws.payload, as: UTF8.self) == "{\"hello\":\"consentgate\"}")
        let other = try PrivateKey.generate(key.algorithm).publicKey
        #expect(throws: SigningError.self) { try jws.verify(with: other) }
    }
}
