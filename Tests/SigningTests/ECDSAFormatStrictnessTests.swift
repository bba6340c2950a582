import Foundation
import Testing
@testable import Signing

/// DER ↔ raw R‖S conversion refuses what is not exactly one ECDSA-Sig-Value with 32-byte R and S. `rawFromDER`
/// ignored bytes after the DER value (`d2i_ECDSA_SIG` stops at the value's end), so `DER ‖ junk` converted to the
/// same raw signature as `DER`.
@Suite struct ECDSAFormatStrictnessTests {
    static func der() throws -> [UInt8] {
        try PrivateKey.generate(.p256).signature(for: Array("m".utf8))
    }

    @Test(arguments: [[0x00], [0x30, 0x00], Array(repeating: UInt8(0xff), count: 8)] as [[UInt8]])
    func bytesAfterTheDERValueAreRefused(junk: [UInt8]) throws {
        let der = try Self.der()
        #expect(try ECDSASignatureFormat.rawFromDER(der).count == 64)
        #expect(throws: SigningError.self) { try ECDSASignatureFormat.rawFromDER(der + junk) }
    }

    /// A raw ES256 signature must be 64 bytes exactly; R or S wider than 32 bytes never converts.
    @Test(arguments: [0, 1, 63, 65, 72, 128])
    func aRawSignatureOfAnyOtherLengthIsRefused(count: Int) {
        #expect(throws: SigningError.self) { try ECDSASignatureFormat.derFromRaw([UInt8](repeating: 1, count: count)) }
    }

    @Test func anOversizedIntegerInDERIsRefused() {
        // SEQUENCE { INTEGER (33 bytes, 0x01 then 32 × 0x00), INTEGER 1 }: R = 2^256 does not fit 32 bytes.
        let r: [UInt8] = [0x02, 0x21, 0x01] + [UInt8](repeating: 0, count: 32)
        let s: [UInt8] = [0x02, 0x01, 0x01]
        let der: [UInt8] = [0x30, UInt8(r.count + s.count)] + r + s
        #expect(throws: SigningError.self) { try ECDSASignatureFormat.rawFromDER(der) }
    }
}
