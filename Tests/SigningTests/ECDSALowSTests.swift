import Foundation
import Testing
@testable import Signing

/// ES256 malleability (review crypto.md finding 8): what ConsentGate signs always has S ≤ (n − 1) / 2, and
/// still verifies with the stock `openssl` command; a high S from someone else is still accepted on reading.
@Suite struct ECDSALowSTests {
    /// (n − 1) / 2 for P-256, big-endian, written out here independently of the implementation's constant.
    static let halfOrder: [UInt8] = hexBytes("7FFFFFFF800000007FFFFFFFFFFFFFFFDE737D56D38BCF4279DCE5617E3192A8")
    static let order: [UInt8] = hexBytes("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551")

    static func hexBytes(_ hex: String) -> [UInt8] {
        let d = Array(hex.utf8)
        return stride(from: 0, to: d.count, by: 2).map { UInt8(String(decoding: d[$0..<$0 + 2], as: UTF8.self), radix: 16)! }
    }

    /// S ≤ (n − 1) / 2, compared as 32-byte big-endian numbers.
    static func isLow(_ s: ArraySlice<UInt8>) -> Bool {
        s.count == 32 && !halfOrder.lexicographicallyPrecedes(s)
    }

    /// Each signature is high with probability ½ before normalisation, so 128 of them all being low is no accident.
    static let rounds = 128

    @Test func ourJWSSignaturesAreAlwaysLowS() throws {
        let key = try PrivateKey.generate(.p256)
        var high: [Int] = []
        for i in 0..<Self.rounds {
            let jws = try JWS.sign(payload: Array("{\"n\":\(i)}".utf8), type: "consentgate-test+json", key: key)
            #expect(jws.signature.count == 64)
            if !Self.isLow(jws.signature[32...]) { high.append(i) }
            try JWS(flattened: Array(jws.serialized.utf8)).verify(with: key.publicKey)
        }
        #expect(high.isEmpty, "\(high.count) of \(Self.rounds) JWS signatures have a high S")
    }

    @Test func ourDetachedP256SignaturesAreAlwaysLowS() throws {
        let key = try PrivateKey.generate(.p256)
        var high: [Int] = []
        for i in 0..<Self.rounds {
            let message = Array("manifest \(i)".utf8)
            let der = try key.signature(for: message)
            let raw = try ECDSASignatureFormat.rawFromDER(der)
            if !Self.isLow(raw[32...]) { high.append(i) }
            #expect(try ECDSASignatureFormat.derFromRaw(raw) == der)  // still plain minimal DER
            #expect(key.publicKey.isValidSignature(der, for: message))
        }
        #expect(high.isEmpty, "\(high.count) of \(Self.rounds) detached signatures have a high S")
    }

    /// Several of our ES256 JWS signatures, converted to DER, verify with `openssl dgst` over the signing input.
    @Test func ourLowSJWSSignaturesVerifyWithOpenSSL() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let key = try PrivateKey.generate(.p256)
        let pub = dir.appendingPathComponent("pub.pem").path
        try key.publicKey.write(to: pub)
        for i in 0..<6 {
            let jws = try JWS.sign(payload: Array("{\"run\":\(i)}".utf8), type: "consentgate-test+json", key: key)
            #expect(Self.isLow(jws.signature[32...]))
            let input = try TestSupport.write(Array("\(jws.protectedB64).\(jws.payloadB64)".utf8), "input-\(i)", in: dir)
            let sig = try TestSupport.write(try ECDSASignatureFormat.derFromRaw(jws.signature), "sig-\(i)", in: dir)
            let out = try TestSupport.openssl(["dgst", "-sha256", "-verify", pub, "-signature", sig, input])
            #expect(out.contains("Verified OK"))
        }
    }

    /// The high-S fixture (made by Python `cryptography`) verifies as it is; its low-S twin (R, n − S) verifies
    /// too and is what normalisation gives.
    @Test func highSIsAcceptedWhenReadingAndNormalisesToItsTwin() throws {
        let key = try PublicKey(file: TestSupport.fixture("jws/p256.pub.pem").path)
        let jws = try JWS(flattened: [UInt8](try Data(contentsOf: TestSupport.fixture("jws/03-valid-es256-high-s.json"))))
        #expect(!Self.isLow(jws.signature[32...]))
        try jws.verify(with: key)
        #expect(!ECDSASignatureFormat.isLowS(raw: jws.signature))

        let low = ECDSASignatureFormat.lowS(raw: jws.signature)
        #expect(low[..<32] == jws.signature[..<32])
        #expect(Self.isLow(low[32...]))
        #expect(ECDSASignatureFormat.lowS(raw: low) == low)
        let twin = JWS(protectedB64: jws.protectedB64, payloadB64: jws.payloadB64, signature: low, header: jws.header, payload: jws.payload)
        try twin.verify(with: key)
        // The DER form: normalising the high-S DER gives the twin's DER; a low-S DER comes back unchanged.
        let highDER = try ECDSASignatureFormat.derFromRaw(jws.signature), lowDER = try ECDSASignatureFormat.derFromRaw(low)
        #expect(try ECDSASignatureFormat.lowS(der: highDER) == lowDER)
        #expect(try ECDSASignatureFormat.lowS(der: lowDER) == lowDER)
    }

    /// The boundary: (n − 1) / 2 is low and stays; (n + 1) / 2 is high and becomes (n − 1) / 2; n − 1 becomes 1;
    /// n and above (never valid) are left alone.
    @Test(arguments: [
        ("7FFFFFFF800000007FFFFFFFFFFFFFFFDE737D56D38BCF4279DCE5617E3192A8", "7FFFFFFF800000007FFFFFFFFFFFFFFFDE737D56D38BCF4279DCE5617E3192A8"),
        ("7FFFFFFF800000007FFFFFFFFFFFFFFFDE737D56D38BCF4279DCE5617E3192A9", "7FFFFFFF800000007FFFFFFFFFFFFFFFDE737D56D38BCF4279DCE5617E3192A8"),
        ("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632550", "0000000000000000000000000000000000000000000000000000000000000001"),
        ("0000000000000000000000000000000000000000000000000000000000000001", "0000000000000000000000000000000000000000000000000000000000000001"),
        ("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", "FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551"),
        ("C000000000000000000000000000000000000000000000000000000000000000", "3FFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551"),
    ])
    func normalisationArithmetic(s: String, expected: String) {
        let r = [UInt8](repeating: 0x11, count: 32)
        let normalised = ECDSASignatureFormat.lowS(raw: r + Self.hexBytes(s))
        #expect(normalised == r + Self.hexBytes(expected))
        #expect(ECDSASignatureFormat.p256Order == Self.order && ECDSASignatureFormat.p256HalfOrder == Self.halfOrder)
    }
}
