import Foundation
import Signing
import Testing

/// `KeyFileProtection` reads how a key file is encrypted without its passphrase, and names what is weaker than
/// CONTRACTS §2 and ConsentGate's own files (keys review, I5). The files are written by the stock `openssl` the way an
/// administrator re-encrypting a key would, and by ConsentGate itself.
@Suite struct KeyFileProtectionTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        /// `openssl pkcs8 -topk8` options that re-encrypt the key.
        let options: [String]
        let cipher: String
        let derivation: KeyFileProtection.Derivation
        /// Words every weakness (English) must contain, one entry per expected weakness.
        let weaknesses: [String]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "as ConsentGate writes keys", options: ["-v2", "aes-256-cbc", "-v2prf", "hmacWithSHA256", "-iter", "600000"],
             cipher: "AES-256-CBC", derivation: .pbkdf2(iterations: 600_000, prf: "hmacWithSHA256"), weaknesses: []),
        Case(name: "openssl's default rounds", options: ["-v2", "aes-256-cbc"],
             cipher: "AES-256-CBC", derivation: .pbkdf2(iterations: 2048, prf: "hmacWithSHA256"), weaknesses: ["only 2048 key-derivation rounds"]),
        Case(name: "Triple DES, one round", options: ["-v2", "des3", "-iter", "1"],
             cipher: "DES-EDE3-CBC", derivation: .pbkdf2(iterations: 1, prf: "hmacWithSHA256"),
             weaknesses: ["the cipher DES-EDE3-CBC instead of AES-256", "only 1 key-derivation round "]),
        Case(name: "AES-128", options: ["-v2", "aes-128-cbc", "-iter", "600000"],
             cipher: "AES-128-CBC", derivation: .pbkdf2(iterations: 600_000, prf: "hmacWithSHA256"), weaknesses: ["the cipher AES-128-CBC instead of AES-256"]),
        Case(name: "scrypt, interactive", options: ["-scrypt", "-v2", "aes-256-cbc"],
             cipher: "AES-256-CBC", derivation: .scrypt(n: 16384, r: 8, p: 1), weaknesses: []),
        Case(name: "scrypt, too little work", options: ["-scrypt", "-scrypt_N", "1024", "-scrypt_r", "8", "-scrypt_p", "1", "-v2", "aes-256-cbc"],
             cipher: "AES-256-CBC", derivation: .scrypt(n: 1024, r: 8, p: 1), weaknesses: ["scrypt with only N=1024, r=8"]),
        Case(name: "PKCS#12 scheme", options: ["-v1", "PBE-SHA1-3DES"],
             cipher: "PBE-SHA1-3DES", derivation: .legacy(scheme: "PBE-SHA1-3DES", iterations: 2048),
             weaknesses: ["an old password-based scheme (PBE-SHA1-3DES)", "only 2048 key-derivation rounds"]),
    ]

    @Test(arguments: cases)
    func readsTheProtectionAndNamesEachWeakness(_ c: Case) throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let plain = dir.appendingPathComponent("plain.key.pem").path
        let file = dir.appendingPathComponent("key.pem").path
        try TestSupport.openssl(["genpkey", "-algorithm", "ed25519", "-out", plain])
        try TestSupport.openssl(["pkcs8", "-topk8"] + c.options + ["-in", plain, "-out", file, "-passout", "pass:geheim-und-lang"])
        let protection = try #require(KeyFileProtection(file: file))
        #expect(protection.cipher == c.cipher)
        #expect(protection.derivation == c.derivation)
        let found = protection.weaknesses
        #expect(found.count == c.weaknesses.count, "\(found.map(\.en))")
        for words in c.weaknesses { #expect(found.contains { $0.en.contains(words) }, "\(words) not in \(found.map(\.en))") }
        #expect(found.allSatisfy { !$0.de.isEmpty && $0.de != $0.en })
        // Reading the protection needs no passphrase and leaves the key as it was: it still opens with its passphrase.
        _ = try PrivateKey(file: file, passphrase: "geheim-und-lang")
    }

    /// A key ConsentGate writes is not weak; an unencrypted file and one that is no key have no protection to read.
    @Test func consentGateKeysAreNotWeakAndOtherFilesHaveNoProtection() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let key = try PrivateKey.generate(.p256)
        let path = dir.appendingPathComponent("own.key.pem").path
        try key.write(to: path, passphrase: "geheim-und-lang")
        let own = try #require(KeyFileProtection(file: path))
        #expect(own.weaknesses.isEmpty && own.derivation == .pbkdf2(iterations: UInt64(PrivateKey.pbkdf2Iterations), prf: "hmacWithSHA256"))
        #expect(own.summary.en == "AES-256-CBC, PBKDF2 (hmacWithSHA256, 600000 rounds)")
        let plain = dir.appendingPathComponent("plain.key.pem").path
        try TestSupport.openssl(["genpkey", "-algorithm", "ed25519", "-out", plain])
        #expect(KeyFileProtection(file: plain) == nil)
        #expect(KeyFileProtection(pem: "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n") == nil)
        #expect(KeyFileProtection(file: dir.appendingPathComponent("missing.pem").path) == nil)
    }

    /// A hostile file asking for scrypt with N = 2^33 and r = 2^31 (their product overflows 64 bits) is read without
    /// stopping the program (found in this session's review: `keys list` and `serve` crashed on it), is not called weak,
    /// and opening it is still refused before any work (`KeyFileDerivationCost`).
    @Test func scryptFactorsWhoseProductOverflowsAreReadWithoutACrash() throws {
        let pem = """
            -----BEGIN ENCRYPTED PRIVATE KEY-----
            MIGaMFYGCSqGSIb3DQEFDTBJMCgGCSsGAQQB2kcECzAbBAgV0BsnHaxO3gIFAgAA
            AAACBQCAAAAAAgEBMB0GCWCGSAFlAwQBKgQQ51yOFMeHmG/EGrv/MhHtrARAYXgO
            G/6YPZYY91qI/wIQckjuHXP9h2NBi9WwHHVferLSexPKVt3lj4mHPcAcN/jVPViG
            rc8cCS9RIZgf8eTtNw==
            -----END ENCRYPTED PRIVATE KEY-----

            """
        let protection = try #require(KeyFileProtection(pem: pem))
        #expect(protection.derivation == .scrypt(n: 1 << 33, r: 1 << 31, p: 1))
        #expect(protection.weaknesses.isEmpty)
        #expect(throws: SigningError.self) { try PrivateKey(pem: pem, passphrase: "irgendwas") }
    }

    /// The re-encrypt command names the file as one shell word whatever its name.
    @Test(arguments: [("keys/audit.key.pem", "keys/audit.key.pem"),
                      ("/srv/Schlüssel 2026/audit.key.pem", "'/srv/Schlüssel 2026/audit.key.pem'"),
                      ("keys/it's $HOME.pem", "'keys/it'\\''s $HOME.pem'")])
    func theCommandQuotesThePath(_ path: String, _ word: String) {
        #expect(KeyFileProtection.reencryptCommand(path).contains(" -in \(word) -out "), "\(KeyFileProtection.reencryptCommand(path))")
    }
}
