import Diagnostics
import Foundation
import Testing
@testable import Signing

/// Damaged input gives a clear, typed error with the right exit-code category (CONTRACTS §8).
@Suite struct BadInputTests {
    enum Part: String, CaseIterable, Sendable { case header, payload, signature }

    struct Flip: Sendable, CustomTestStringConvertible {
        let alg: SignatureAlgorithm
        let part: Part
        let bit: Int
        var testDescription: String { "\(alg.rawValue) \(part.rawValue) bit \(bit)" }
    }

    static let flips: [Flip] = SignatureAlgorithm.allCases.flatMap { alg in
        Part.allCases.flatMap { part in [0, 5].map { Flip(alg: alg, part: part, bit: $0) } }
    }

    /// A JWS whose `alg` names another algorithm than the key's is refused for that, before any signature check: a
    /// key is used only with the algorithm it was made for (found by mutation testing, session 35: dropping the check
    /// left every test passing, the signature check failing later with a vaguer reason).
    @Test(arguments: SignatureAlgorithm.allCases)
    func aJWSForAnotherAlgorithmIsRefusedByItsHeader(alg: SignatureAlgorithm) throws {
        let signer = try PrivateKey.generate(alg)
        let other = try PrivateKey.generate(SignatureAlgorithm.allCases.first { $0 != alg }!)
        let jws = try JWS.sign(payload: Array("{}".utf8), type: "consentgate-consent+json", key: signer)
        #expect { try jws.verify(with: other.publicKey) } throws: { e in
            guard case SigningError.signatureInvalid(let reason) = e else { return false }
            return reason.en.contains("does not match the") && reason.en.contains(other.publicKey.kid)
        }
    }

    @Test(arguments: flips)
    func flippedBitInAJWSIsAnIntegrityFailure(flip: Flip) throws {
        let key = try PrivateKey.generate(flip.alg)
        let jws = try JWS.sign(payload: Array("{\"granted-at\":\"2026-11-25T10:00:00Z\"}".utf8), type: "consentgate-consent+json", key: key)
        var header = Base64URL.decode(jws.protectedB64)!, payload = jws.payload, signature = jws.signature
        switch flip.part {
        case .header: header = TestSupport.flipBit(header, at: header.count / 2, bit: flip.bit)
        case .payload: payload = TestSupport.flipBit(payload, at: payload.count / 2, bit: flip.bit)
        case .signature: signature = TestSupport.flipBit(signature, at: 7, bit: flip.bit)
        }
        let text = "{\"protected\":\"\(Base64URL.encode(header))\",\"payload\":\"\(Base64URL.encode(payload))\",\"signature\":\"\(Base64URL.encode(signature))\"}"
        do {
            try JWS(flattened: Array(text.utf8)).verify(with: key.publicKey)
            Issue.record("a JWS with a flipped bit in the \(flip.part) verified")
        } catch let error as SigningError {
            #expect(error.category == .integrity, "\(error)")
            #expect(ErrorFormatter.exitCode(for: error) == 4)
            switch error {
            case .signatureInvalid, .malformedJWS: break
            default: Issue.record("unexpected error \(error)")
            }
        }
    }

    @Test(arguments: SignatureAlgorithm.allCases)
    func flippedBitInADetachedSignatureOrMessage(alg: SignatureAlgorithm) throws {
        let key = try PrivateKey.generate(alg)
        let message = Array("manifest".utf8)
        let sig = try key.signature(for: message)
        try key.publicKey.verify(signature: sig, for: message)
        for bad in [(TestSupport.flipBit(sig, at: sig.count - 2), message), (sig, TestSupport.flipBit(message, at: 0, bit: 7))] {
            #expect {
                try key.publicKey.verify(signature: bad.0, for: bad.1, what: "manifest.json")
            } throws: { error in
                guard case let .signatureInvalid(text) = error as? SigningError else { return false }
                return text.en.contains("manifest.json") && text.de.contains("manifest.json")
            }
        }
        #expect(!key.publicKey.isValidSignature([UInt8](), for: message))
        #expect(!key.publicKey.isValidSignature(Array(sig.prefix(10)), for: message))
    }

    /// Ways to damage a PEM file.
    enum Damage: String, CaseIterable, Sendable {
        case truncatedHalf, noEndLine, bodyGarbled, empty, notPEM
        func apply(_ pem: String) -> String {
            switch self {
            case .truncatedHalf: return String(pem.prefix(pem.count / 2))
            case .noEndLine: return pem.components(separatedBy: "-----END").first!
            case .bodyGarbled:
                // Change the DER header (the first base64 characters after the BEGIN line).
                var lines = pem.components(separatedBy: "\n")
                lines[1] = "AAAA" + lines[1].dropFirst(4)
                return lines.joined(separator: "\n")
            case .empty: return ""
            case .notPEM: return "hello\n"
            }
        }
    }

    @Test(arguments: SignatureAlgorithm.allCases, Damage.allCases)
    func damagedPrivateKeyPEMIsInvalidKey(alg: SignatureAlgorithm, damage: Damage) throws {
        let pem = try PrivateKey.generate(alg).encryptedPEM(passphrase: "pw", iterations: 1000)
        #expect {
            try PrivateKey(pem: damage.apply(pem), passphrase: "pw", source: "k.pem")
        } throws: { error in
            guard let e = error as? SigningError, case let .invalidKey(source: "k.pem", reason) = e else { return false }
            // In German, an OpenSSL reason is quoted as OpenSSL's message, never left as English inside the sentence.
            let german = reason.de
            let quotesOpenSSL = german.contains("(Meldung von OpenSSL: „") || !german.contains("kein PKCS#8-PEM-Privatschlüssel (")
                || german.contains("(kein PEM-Block gefunden)")
            return e.category == .invalidInput && quotesOpenSSL
        }
    }

    @Test(arguments: SignatureAlgorithm.allCases, Damage.allCases)
    func damagedPublicKeyPEMIsInvalidKey(alg: SignatureAlgorithm, damage: Damage) throws {
        let pem = try PrivateKey.generate(alg).publicKey.pem
        #expect {
            try PublicKey(pem: damage.apply(pem), source: "p.pem")
        } throws: { error in
            guard case .invalidKey(source: "p.pem", _) = error as? SigningError else { return false }
            return true
        }
    }

    /// A wrong passphrase must always be reported as such, including the ~1 in 256 cases where AES-CBC
    /// padding happens to look valid and only the decoding of the decrypted bytes fails.
    @Test(arguments: SignatureAlgorithm.allCases)
    func wrongPassphraseIsDetectedEveryTime(alg: SignatureAlgorithm) throws {
        let pem = try PrivateKey.generate(alg).encryptedPEM(passphrase: "right", iterations: 1)
        for i in 0..<1500 {
            do {
                _ = try PrivateKey(pem: pem, passphrase: "wrong-\(i)", source: "k.pem")
                Issue.record("passphrase wrong-\(i) opened the key")
            } catch let error as SigningError {
                #expect(error == .wrongPassphrase(source: "k.pem"), "attempt \(i): \(error)")
                #expect(error.category == .invalidInput)
            }
        }
        #expect(try PrivateKey(pem: pem, passphrase: "right").algorithm == alg)
    }

    @Test func missingOrEmptyPassphraseIsAUsageError() throws {
        let pem = try PrivateKey.generate().encryptedPEM(passphrase: "pw", iterations: 1000)
        for pass in [nil, ""] as [String?] {
            #expect {
                try PrivateKey(pem: pem, passphrase: pass)
            } throws: { error in
                guard let e = error as? SigningError, case .passphraseUnavailable = e else { return false }
                return e.category == .usage
            }
        }
        #expect(throws: SigningError.self) { try PrivateKey.generate().encryptedPEM(passphrase: "") }
    }

    @Test func malformedJWSEnvelopes() throws {
        let cases: [(String, String)] = [
            ("[]", "not a JSON object"),
            ("{\"payload\":\"e30\",\"signature\":\"AA\"}", "missing \"protected\""),
            ("{\"protected\":\"e30\",\"payload\":\"e30\",\"signature\":\"AA\",\"header\":{}}", "unexpected member"),
            ("{\"protected\":\"e3=\",\"payload\":\"e30\",\"signature\":\"AA\"}", "\"protected\" is not base64url"),
            ("{\"protected\":\"e30\",\"payload\":\"e30\",\"signature\":\"AA\"}", "string \"alg\""),
            ("not json", "not JSON"),
            ("{\"protected\":1,\"payload\":\"e30\",\"signature\":\"AA\"}", "\"protected\" must be a string, not integer"),
            ("{\"protected\":\"e30\",\"payload\":\"e30\",\"signature\":\"AA\"} {}", "not JSON: more text after the JSON value"),
        ]
        for (input, expected) in cases {
            #expect {
                try JWS(flattened: Array(input.utf8))
            } throws: { error in
                guard case let .malformedJWS(reason) = error as? SigningError else { return false }
                return reason.en.contains(expected) && !reason.de.isEmpty
            }
        }
        #expect(throws: SigningError.self) { try JWS(flattened: [UInt8](repeating: 0x20, count: JWS.maximumSize + 1)) }
    }
}
