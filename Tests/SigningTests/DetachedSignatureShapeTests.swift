import Testing
@testable import Signing

/// The form check of a detached signature file never refuses a signature of a valid form: every DER ECDSA-Sig-Value a
/// P-256 signer (ours, or a partner's stock openssl) can make, from two 1-byte INTEGERs (8 bytes) to two 33-byte ones
/// with a leading zero (72 bytes), and exactly 64 bytes for Ed25519. A review asked for the 69- and 72-byte forms that
/// `keys sign` itself happens not to produce in a test run.
@Suite struct DetachedSignatureShapeTests {
    /// A DER SEQUENCE of two INTEGERs of `r` and `s` content bytes.
    static func der(r: Int, s: Int) -> [UInt8] {
        let body: [UInt8] = [0x02, UInt8(r)] + [UInt8](repeating: 0x11, count: r) + [0x02, UInt8(s)] + [UInt8](repeating: 0x22, count: s)
        return [0x30, UInt8(body.count)] + body
    }

    @Test(arguments: [(1, 1), (31, 32), (32, 31), (32, 32), (33, 32), (32, 33), (33, 33), (20, 33)])
    func everyDERFormOfAP256SignatureIsAccepted(r: Int, s: Int) {
        let sig = Self.der(r: r, s: s)
        #expect((8...72).contains(sig.count))
        #expect(DetachedSignatureShape.problem(sig, algorithm: .p256) == nil, "\(sig.count) bytes")
    }

    @Test func ed25519TakesExactly64Bytes() {
        #expect(DetachedSignatureShape.problem([UInt8](repeating: 0x80, count: 64), algorithm: .ed25519) == nil)
        for n in [0, 63, 65, 72] {
            #expect(DetachedSignatureShape.problem([UInt8](repeating: 0x80, count: n), algorithm: .ed25519)?.en.contains("\(n) bytes, expected exactly 64 bytes") == true)
        }
    }

    @Test func aDERSignatureWithALineBreakAppendedIsNamed() {
        let sig = Self.der(r: 32, s: 32) + [0x0A]
        let problem = DetachedSignatureShape.problem(sig, algorithm: .p256)
        #expect(problem?.en.contains("71 bytes; the file ends with a line break") == true, "\(String(describing: problem))")
    }

    /// Of a size that fits, the message names what in the DER frame is wrong (it named the size alone, which was in
    /// range: consent review L5).
    @Test(arguments: [
        ([0x31] + Array(der(r: 32, s: 32).dropFirst()), "70 bytes; does not begin with a DER SEQUENCE (0x30)"),
        ([0x30, 0x40] + Array(der(r: 32, s: 32).dropFirst(2)), "70 bytes; its DER length says 66 bytes, the file has 70"),
        ([0x30, 0x44, 0x04] + Array(der(r: 32, s: 32).dropFirst(3)), "70 bytes; its first element is not an INTEGER (0x02)"),
        ([UInt8](repeating: 0x80, count: 64), "64 bytes; 64 bytes without DER framing"),
    ])
    func aBrokenDERFrameIsNamed(_ bytes: [UInt8], _ expected: String) {
        let problem = DetachedSignatureShape.problem(bytes, algorithm: .p256)
        #expect(problem?.en.contains(expected) == true, "\(String(describing: problem))")
        #expect(problem?.de.isEmpty == false)
    }
}
