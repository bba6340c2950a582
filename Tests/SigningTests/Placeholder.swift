import Testing
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
