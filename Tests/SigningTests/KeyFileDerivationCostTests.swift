import Foundation
import Testing
@testable import Signing

/// An encrypted key file states its own key-derivation work, and OpenSSL derives with whatever it says. The fixtures
/// (`Fixtures/keys/ed25519-*.key.pem`, passphrase `consentgate-test`, made with the stock `openssl pkcs8 -topk8` and the
/// work parameter then rewritten in the DER) ask for 2^31 − 1 PBKDF2 rounds and for scrypt with p = 1,000,000: opening
/// either took hours. Both are refused before the passphrase is tried, naming the file and the figure; the same keys
/// with sane work still open.
@Suite struct KeyFileDerivationCostTests {
    static let passphrase = "consentgate-test"

    @Test(arguments: [
        ("keys/ed25519-pbkdf2-2147483647-rounds.key.pem", "2147483647 key-derivation rounds", "2147483647 Runden"),
        ("keys/ed25519-scrypt-p-1000000.key.pem", "scrypt with N=1024, r=8, p=1000000", "scrypt mit N=1024, r=8, p=1000000"),
    ])
    func excessiveWorkIsRefusedBeforeDeriving(file: String, english: String, german: String) throws {
        let path = TestSupport.fixture(file).path
        #expect {
            _ = try PrivateKey(file: path, passphrase: Self.passphrase)
        } throws: { error in
            guard case let .invalidKey(source, reason) = error as? SigningError else { return false }
            return source == path && reason.en.contains(english) && reason.de.contains(german)
        }
        // A wrong passphrase gets the same answer: the file is refused before any derivation.
        #expect(throws: SigningError.self) { _ = try PrivateKey(file: path, passphrase: "wrong") }
    }

    @Test(arguments: ["keys/ed25519-pbkdf2-1000-rounds.key.pem", "keys/ed25519-scrypt-n1024.key.pem"])
    func saneWorkStillOpens(file: String) throws {
        let key = try PrivateKey(file: TestSupport.fixture(file).path, passphrase: Self.passphrase)
        let message = Array("consent".utf8)
        #expect(key.publicKey.isValidSignature(try key.signature(for: message), for: message))
    }

    /// ConsentGate's own setting is well inside the bound (a file it wrote always opens).
    @Test func ownSettingIsInsideTheBound() {
        #expect(UInt64(PrivateKey.pbkdf2Iterations) * 10 < KeyFileDerivationCost.maximumIterations)
    }
}

/// A key file that fails to decrypt for another reason than its passphrase is not called a wrong passphrase (found in a
/// key review: with the right passphrase, a DES-CBC file and a scrypt file over OpenSSL's memory limit were both "wrong
/// passphrase", and `keys generate` then refused the right one).
@Suite struct UndecryptableKeyFileTests {
    @Test(arguments: [
        ("keys/ed25519-pbes2-des-cbc.key.pem", "this OpenSSL does not decrypt (OpenSSL: unsupported", "dieses OpenSSL nicht entschlüsselt (Meldung von OpenSSL: unsupported"),
        ("keys/ed25519-scrypt-n65536-r8.key.pem", "scrypt with N=65536, r=8, p=1: 65539 KiB, over the 32768 KiB", "scrypt mit N=65536, r=8, p=1: 65539 KiB, mehr als die 32768 KiB"),
    ])
    func theRightPassphraseIsNotCalledWrong(file: String, english: String, german: String) throws {
        let path = TestSupport.fixture(file).path
        for passphrase in [KeyFileDerivationCostTests.passphrase, "wrong"] {
            #expect {
                _ = try PrivateKey(file: path, passphrase: passphrase)
            } throws: { error in
                guard case let .invalidKey(source, reason) = error as? SigningError else { return false }
                return source == path && reason.en.contains(english) && reason.de.contains(german)
            }
        }
    }

    /// A wrong passphrase on a file this OpenSSL decrypts is still called so.
    @Test func aWrongPassphraseIsStillSaid() {
        let path = TestSupport.fixture("keys/ed25519-scrypt-n1024.key.pem").path
        #expect(throws: SigningError.wrongPassphrase(source: path)) { _ = try PrivateKey(file: path, passphrase: "wrong") }
    }
}
