import Foundation
import Testing
@testable import Signing

/// `PasswordHashing.verify` takes the scrypt parameters from the stored hash and promises that "a tampered row
/// cannot make a login allocate gigabytes". The bounds were checked one by one (ln ≤ 20, r ≤ 32, p ≤ 16), so
/// `ln=20,r=32` passed and asked scrypt for 128·32·2^20 bytes = 4 GiB (with `maxmem` set to match), and
/// `ln=20,r=32,p=16` for 2^29 block mixes. Now memory (128·r·N ≤ 256 MiB) and work (N·r·p ≤ 2^22) are bounded too.
@Suite struct PasswordHashingBoundsTests {
    static let salt = "AAAAAAAAAAAAAAAAAAAAAA", key = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"

    @Test(arguments: [
        (20, 32, 1),   // 4 GiB
        (20, 8, 1),    // 1 GiB
        (19, 8, 1),    // 512 MiB
        (18, 16, 1),   // 512 MiB
        (17, 8, 16),   // 128 MiB but 2^24 work
        (20, 32, 16),  // 4 GiB and 2^29 work
    ])
    func storedParametersBeyondTheBoundsAreRefused(logN: Int, r: Int, p: Int) throws {
        // `#require`: without the bound, the `verify` below would really try to allocate gigabytes.
        try #require(!PasswordHashing.Parameters(logN: logN, r: r, p: p).isAcceptable)
        let encoded = "$scrypt$ln=\(logN),r=\(r),p=\(p)$\(Self.salt)$\(Self.key)"
        #expect(PasswordHashing.parameters(of: encoded) == nil)
        let start = Date()
        #expect(!PasswordHashing.verify("anything", against: encoded))
        #expect(Date().timeIntervalSince(start) < 1, "verify ran scrypt with ln=\(logN), r=\(r), p=\(p)")
    }

    @Test(arguments: [(15, 8, 1), (10, 8, 1), (15, 8, 3), (17, 8, 1), (18, 8, 1), (15, 8, 16)])
    func parametersWithinTheBoundsAreAccepted(logN: Int, r: Int, p: Int) {
        #expect(PasswordHashing.Parameters(logN: logN, r: r, p: p).isAcceptable)
        #expect(PasswordHashing.parameters(of: "$scrypt$ln=\(logN),r=\(r),p=\(p)$\(Self.salt)$\(Self.key)") != nil)
    }

    @Test func theStandardParametersAreAcceptable() {
        #expect(PasswordHashing.Parameters.standard.isAcceptable)
    }
}
