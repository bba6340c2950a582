import Testing
@testable import Signing

/// The standard scrypt parameters (OWASP's equal-work N = 2^15, r = 8, p = 3), what counts as weaker than them (a page
/// login rehashes such a hash), and the decoy an unknown name is checked against.
@Suite struct PasswordParametersTests {
    @Test func threeTimesTheOldStandard() {
        #expect(P.standard.work == 3 * P(logN: 15, r: 8, p: 1).work)
    }

    typealias P = PasswordHashing.Parameters

    @Test func theStandardIsOneOfOWASPsEquivalentSettings() {
        #expect(P.standard == P(logN: 15, r: 8, p: 3))
        // One of the settings the cheat sheet lists as equivalent to its minimum N = 2^17, r = 8, p = 1: 3·2^18 block
        // mixes against 2^20, with a quarter of the memory (32 MiB). Three times the old standard's work.
        #expect(P.standard.work == 3 * (1 << 18) && P.standard.memoryUnits * 128 == 32 << 20)
        #expect(P.standard.isAcceptable && P.standard.work <= P.maximumWork)
    }

    @Test("less work or less memory than the standard is weaker", arguments: [
        (15, 8, 1),   // the old standard: a third of the work
        (15, 8, 2),
        (14, 8, 16),  // more work, half the memory
        (16, 8, 1),   // more memory, 2/3 of the work
        (10, 8, 1),
    ])
    func weaker(logN: Int, r: Int, p: Int) {
        #expect(P(logN: logN, r: r, p: p).isWeaker(than: .standard))
    }

    @Test("equal or more of both is not weaker", arguments: [
        (15, 8, 3), (15, 8, 4), (16, 8, 2), (17, 8, 1), (15, 16, 2),
    ])
    func notWeaker(logN: Int, r: Int, p: Int) {
        #expect(!P(logN: logN, r: r, p: p).isWeaker(than: .standard))
    }

    /// The decoy parses with exactly its parameters (so `verify` runs one scrypt with them, as for a real hash) and
    /// matches no password.
    @Test func theDecoyCarriesItsParametersAndMatchesNothing() {
        let standard = PasswordHashing.decoy(parameters: .standard)
        #expect(standard.hasPrefix("$scrypt$ln=15,r=8,p=3$"))
        #expect(PasswordHashing.parameters(of: standard) == .standard)
        let cheap = PasswordHashing.decoy(parameters: P(logN: 10, r: 8, p: 1))
        #expect(PasswordHashing.parameters(of: cheap) == P(logN: 10, r: 8, p: 1))
        #expect(!PasswordHashing.verify("", against: cheap) && !PasswordHashing.verify("anything", against: cheap))
    }
}
