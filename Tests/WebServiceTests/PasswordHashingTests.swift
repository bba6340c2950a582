import ChildProcess
import Foundation
import Signing
import Testing

/// `Signing.PasswordHashing`, `ConstantTime` and `APIToken` (tested here: the web service is their user).
@Suite struct PasswordHashingTests {
    @Test func hashVerifiesOnlyTheRightPassword() throws {
        let encoded = try PasswordHashing.hash("Grüße aus Siegburg 2026")
        #expect(encoded.hasPrefix("$scrypt$ln=15,r=8,p=3$"), "new hashes use the standard: N=2^15, r=8, p=3, one of OWASP's settings equivalent to its minimum")
        #expect(PasswordHashing.verify("Grüße aus Siegburg 2026", against: encoded))
        #expect(!PasswordHashing.verify("Grüße aus Siegburg 2025", against: encoded))
        #expect(!PasswordHashing.verify("", against: encoded))
    }

    @Test func saltsDiffer() throws {
        let a = try PasswordHashing.hash("same password", parameters: .init(logN: 10, r: 8, p: 1))
        let b = try PasswordHashing.hash("same password", parameters: .init(logN: 10, r: 8, p: 1))
        #expect(a != b)
        #expect(PasswordHashing.parameters(of: a) == .init(logN: 10, r: 8, p: 1))
    }

    /// An independent scrypt (Python's hashlib, also OpenSSL-backed but a separate code path through
    /// its own parameter handling) derives the same key from the encoded salt.
    @Test func matchesPythonHashlibScrypt() throws {
        let encoded = try PasswordHashing.hash("Passwort mit Ümlaut", parameters: .init(logN: 12, r: 8, p: 1))
        let parts = encoded.split(separator: "$")
        let script = """
        import base64, hashlib, sys
        pad = lambda s: s + "=" * (-len(s) % 4)
        salt = base64.b64decode(pad(sys.argv[1])); key = base64.b64decode(pad(sys.argv[2]))
        got = hashlib.scrypt("Passwort mit Ümlaut".encode(), salt=salt, n=4096, r=8, p=1, dklen=32)
        print("match" if got == key else "differ")
        """
        let text = try Spawn.run("/usr/bin/python3", ["-c", script, String(parts[2]), String(parts[3])], stderr: .inherit).stdoutText
        #expect(text.trimmingCharacters(in: .whitespacesAndNewlines) == "match")
    }

    @Test(arguments: [
        "", "plain", "$scrypt$ln=15,r=8,p=1$c2FsdA", "$bcrypt$ln=15,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "$scrypt$ln=30,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", // N too large: refused, not allocated
        "$scrypt$ln=15,r=8$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "$scrypt$ln=15,r=8,p=1$!!!!$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    ])
    func malformedHashesNeverMatch(encoded: String) {
        #expect(!PasswordHashing.verify("anything", against: encoded))
    }

    @Test func constantTimeEquality() {
        #expect(ConstantTime.equals([1, 2, 3], [1, 2, 3]))
        #expect(!ConstantTime.equals([1, 2, 3], [1, 2, 4]))
        #expect(!ConstantTime.equals([1, 2, 3], [1, 2]))
        #expect(ConstantTime.equals("abc", "abc"))
        #expect(!ConstantTime.equals("abc", "abd"))
    }

    @Test func tokensAreRandomWellFormedAndStoredAsDigest() throws {
        let a = try APIToken.generate(), b = try APIToken.generate()
        #expect(a != b)
        #expect(APIToken.isWellFormed(a))
        #expect(!APIToken.isWellFormed("cg_short"))
        #expect(!APIToken.isWellFormed("xx_" + a.dropFirst(3)))
        #expect(APIToken.digest(a) == SHA256.tagged(Array(a.utf8)))
        #expect(APIToken.digest(a).hasPrefix("sha256:") && !APIToken.digest(a).contains(a))
    }
}
