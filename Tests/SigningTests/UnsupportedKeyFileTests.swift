import Diagnostics
import Foundation
import Testing
@testable import Signing

/// A key file of an algorithm ConsentGate does not sign with (RSA, EC on another curve) was refused with
/// "unsupported key algorithm: RSA (only Ed25519 and P-256)", naming no file: with `--key`, `--public-key`, a key ring
/// opening the trust store's private key files, the user could not tell which file was meant. Now the error names the
/// file, like every other key file problem (`invalidKey`), in German and English.
@Suite struct UnsupportedKeyFileTests {
    static let cases: [(file: String, algorithm: String)] = [("rsa", "RSA"), ("p384", "P-256")]

    func check(_ error: any Error, path: String, algorithm: String) -> Bool {
        guard let e = error as? SigningError, case let .invalidKey(source, reason) = e else { return false }
        return source == path && reason.en.contains(algorithm) && reason.de.contains(algorithm)
            && e.message(in: .en).contains(path) && e.message(in: .de).contains(path)
            && e.message(in: .de).contains("nur Ed25519 und P-256") && e.category == .invalidInput
    }

    @Test(arguments: cases.map(\.file))
    func aPublicKeyFileOfAnotherAlgorithmIsNamed(file: String) throws {
        let algorithm = Self.cases.first { $0.file == file }!.algorithm
        let path = TestSupport.fixture("keys/\(file).pub.pem").path
        #expect { try PublicKey(file: path) } throws: { check($0, path: path, algorithm: algorithm) }
    }

    @Test(arguments: cases.map(\.file))
    func aPrivateKeyFileOfAnotherAlgorithmIsNamed(file: String) throws {
        let algorithm = Self.cases.first { $0.file == file }!.algorithm
        let path = TestSupport.fixture("keys/\(file).key.pem").path
        #expect { try PrivateKey(file: path, passphrase: "fixture-pass") } throws: { check($0, path: path, algorithm: algorithm) }
        // The wrong passphrase is still reported as such, before the algorithm is known.
        #expect(throws: SigningError.wrongPassphrase(source: path)) { try PrivateKey(file: path, passphrase: "wrong") }
    }
}
