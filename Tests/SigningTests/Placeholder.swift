import Testing
import Foundation
@testable import Signing

@Test func ed25519RoundTrip() throws {
    let key = try PrivateKey.generate(.ed25519)
    let sig = try key.signature(for: Array("hello".utf8))
    #expect(sig.count == 64)
    #expect(key.publicKey.isValidSignature(sig, for: Array("hello".utf8)))
    #expect(!key.publicKey.isValidSignature(sig, for: Array("hellp".utf8)))
    let pem = try key.encryptedPEM(passphrase: "pw", iterations: 1000)
    let back = try PrivateKey(pem: pem, passphrase: "pw")
    #expect(back.publicKey.kid == key.publicKey.kid)
    #expect(throws: SigningError.self) { try PrivateKey(pem: pem, passphrase: "wrong") }
}

@Test func jwsRoundTrip() throws {
    for alg in SignatureAlgorithm.allCases {
        let key = try PrivateKey.generate(alg)
        let jws = try JWS.sign(payload: Array("{\"a\":1}".utf8), type: "x+json", key: key)
        let parsed = try JWS(flattened: Array(jws.serialized.utf8))
        try parsed.verify(with: key.publicKey)
        #expect(parsed.signature.count == 64)
    }
    #expect(RFC3339.format(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00Z")
    #expect(RFC3339.parse("2026-11-25T10:00:00Z") == Date(timeIntervalSince1970: 1795600800))
}
