import Foundation
import Testing
@testable import Signing

/// Interop with the stock `openssl` command, both ways.
@Suite struct OpenSSLInteropTests {
    static let passphrase = "interop-pass-Ä"

    /// `openssl genpkey` arguments for each algorithm.
    static func genpkeyArguments(_ alg: SignatureAlgorithm) -> [String] {
        alg == .ed25519 ? ["-algorithm", "ED25519"] : ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"]
    }

    @Test(arguments: SignatureAlgorithm.allCases)
    func opensslKeyLoadsAndItsSignaturesVerify(alg: SignatureAlgorithm) throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let key = dir.appendingPathComponent("key.pem").path, pub = dir.appendingPathComponent("pub.pem").path
        try TestSupport.openssl(["genpkey"] + Self.genpkeyArguments(alg) + ["-aes256", "-pass", "pass:\(Self.passphrase)", "-out", key])
        try TestSupport.openssl(["pkey", "-in", key, "-passin", "pass:\(Self.passphrase)", "-pubout", "-out", pub])

        let ours = try PrivateKey(file: key, passphrase: Self.passphrase)
        let theirPub = try PublicKey(file: pub)
        #expect(ours.algorithm == alg)
        #expect(ours.publicKey.kid == theirPub.kid)
        #expect(ours.publicKey.pem == (try String(contentsOfFile: pub, encoding: .utf8)))

        let message = Array("Registrierungsliste für das Schulamt\n".utf8)
        let msg = try TestSupport.write(message, "msg", in: dir)
        let sig = dir.appendingPathComponent("sig").path
        if alg == .ed25519 {
            try TestSupport.openssl(["pkeyutl", "-sign", "-inkey", key, "-passin", "pass:\(Self.passphrase)", "-rawin", "-in", msg, "-out", sig])
        } else {
            try TestSupport.openssl(["dgst", "-sha256", "-sign", key, "-passin", "pass:\(Self.passphrase)", "-out", sig, msg])
        }
        let signature = [UInt8](try Data(contentsOf: URL(fileURLWithPath: sig)))
        #expect(theirPub.isValidSignature(signature, for: message))
        #expect(ours.publicKey.isValidSignature(signature, for: message))
        #expect(!theirPub.isValidSignature(signature, for: TestSupport.flipBit(message, at: 3)))

        #expect(throws: SigningError.wrongPassphrase(source: key)) { try PrivateKey(file: key, passphrase: "wrong") }
    }

    @Test(arguments: SignatureAlgorithm.allCases)
    func ourSignaturesVerifyWithOpenSSL(alg: SignatureAlgorithm) throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let key = try PrivateKey.generate(alg)
        let pub = dir.appendingPathComponent("pub.pem").path
        try key.publicKey.write(to: pub)
        let message = Array("{\"run\":\"2026-11-25\"}".utf8)
        let msg = try TestSupport.write(message, "manifest.json", in: dir)
        let signature = try key.signature(for: message)
        let sig = try TestSupport.write(signature, "manifest.sig", in: dir)
        let bad = try TestSupport.write(TestSupport.flipBit(signature, at: -1), "bad.sig", in: dir)
        if alg == .ed25519 {
            #expect(signature.count == 64)
            let out = try TestSupport.openssl(["pkeyutl", "-verify", "-pubin", "-inkey", pub, "-rawin", "-in", msg, "-sigfile", sig])
            #expect(out.contains("Signature Verified Successfully"))
            #expect(try TestSupport.run("openssl", ["pkeyutl", "-verify", "-pubin", "-inkey", pub, "-rawin", "-in", msg, "-sigfile", bad]).status != 0)
        } else {
            #expect(signature.first == 0x30)  // DER SEQUENCE
            let out = try TestSupport.openssl(["dgst", "-sha256", "-verify", pub, "-signature", sig, msg])
            #expect(out.contains("Verified OK"))
            #expect(try TestSupport.run("openssl", ["dgst", "-sha256", "-verify", pub, "-signature", bad, msg]).status != 0)
        }
    }

    @Test(arguments: SignatureAlgorithm.allCases)
    func ourEncryptedKeyOpensWithOpenSSLAndUsesAStrongKDF(alg: SignatureAlgorithm) throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let key = try PrivateKey.generate(alg)
        let path = dir.appendingPathComponent("signer.key.pem").path
        try key.write(to: path, passphrase: Self.passphrase)

        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600)
        let pub = try TestSupport.openssl(["pkey", "-in", path, "-passin", "pass:\(Self.passphrase)", "-pubout"])
        #expect(pub == key.publicKey.pem)
        let wrong = try TestSupport.run("openssl", ["pkey", "-in", path, "-passin", "pass:not-it", "-pubout"])
        #expect(wrong.status != 0)

        let asn1 = try TestSupport.openssl(["asn1parse", "-in", path])
        for part in [":PBES2", ":PBKDF2", ":hmacWithSHA256", ":aes-256-cbc", "INTEGER           :0927C0"] {
            #expect(asn1.contains(part), "asn1parse lacks \(part)")  // 0x0927C0 = 600,000 iterations
        }
        #expect(try PrivateKey(file: path, passphrase: Self.passphrase).publicKey.kid == key.publicKey.kid)
    }

    @Test func scryptEncryptedKeyFromOpenSSLLoads() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let plain = dir.appendingPathComponent("plain.pem").path, enc = dir.appendingPathComponent("enc.pem").path
        try TestSupport.openssl(["genpkey", "-algorithm", "ED25519", "-out", plain])
        try TestSupport.openssl(["pkcs8", "-topk8", "-scrypt", "-in", plain, "-passout", "pass:scrypt-pass", "-out", enc])
        let key = try PrivateKey(file: enc, passphrase: "scrypt-pass")
        #expect(key.algorithm == .ed25519)
        #expect(throws: SigningError.wrongPassphrase(source: enc)) { try PrivateKey(file: enc, passphrase: "scrypt-pasS") }
        // The unencrypted original is refused as a key at rest.
        #expect(throws: SigningError.self) { try PrivateKey(file: plain, passphrase: nil) }
        #expect(try PrivateKey(pem: String(contentsOfFile: plain, encoding: .utf8), passphrase: nil, requireEncrypted: false).publicKey.kid == key.publicKey.kid)
    }
}
