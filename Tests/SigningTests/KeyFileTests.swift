import Foundation
import Testing
@testable import Signing

/// Atomic file writing, passphrase files and concurrent use of one key.
@Suite struct KeyFileTests {
    @Test func atomicWriteSetsModeAndLeavesNoTemporaryFile() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("x.key.pem").path
        let old = umask(0)
        defer { umask(old) }
        try AtomicFile.write(Array("one".utf8), to: path, mode: 0o600)
        #expect((try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        try AtomicFile.write(Array("two".utf8), to: path, mode: 0o600)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "two")
        #expect {
            try AtomicFile.write(Array("three".utf8), to: path, mode: 0o600, overwrite: false)
        } throws: { error in
            // The name is taken: `nameTaken`, a usage error (exit 2) like any file that exists already.
            guard let e = error as? SigningError, case .nameTaken(path) = e else { return false }
            return e.category == .usage
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "two")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["x.key.pem"])
        #expect(throws: SigningError.self) {
            try AtomicFile.write([1], to: dir.appendingPathComponent("missing/x").path)
        }
    }

    @Test func privateKeyWriteRefusesToReplaceAKey() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("k.key.pem").path
        let first = try PrivateKey.generate()
        try first.write(to: path, passphrase: "pw", iterations: 1000)
        #expect(throws: SigningError.self) { try PrivateKey.generate().write(to: path, passphrase: "pw", iterations: 1000) }
        #expect(try PrivateKey(file: path, passphrase: "pw").publicKey.kid == first.publicKey.kid)
    }

    @Test(arguments: [("pw\n", "pw"), ("pw\r\nsecond line\n", "pw"), ("pass phrase", "pass phrase")])
    func passphraseFileFirstLine(content: String, expected: String) throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = try TestSupport.write(Array(content.utf8), "p", in: dir)
        #expect(try PassphraseSource.file(file).passphrase() == expected)
        #expect(PassphraseSource.resolve(passphraseFile: file, environment: ["CONSENTGATE_PASSPHRASE": "env"]) == .file(file))
        #expect(PassphraseSource.resolve(passphraseFile: nil, environment: ["CONSENTGATE_PASSPHRASE": "env"])
                == .environment(name: "CONSENTGATE_PASSPHRASE", value: "env"))
        #expect(PassphraseSource.resolve(passphraseFile: nil, environment: [:]) == .none)
        #expect(throws: SigningError.self) { try PassphraseSource.file(dir.appendingPathComponent("nope").path).passphrase() }
    }

    /// Pooled OpenSSL contexts: many tasks signing and verifying with one key at once all get correct results.
    @Test(arguments: SignatureAlgorithm.allCases)
    func concurrentSigningAndVerifyingWithOneKey(alg: SignatureAlgorithm) async throws {
        let key = try PrivateKey.generate(alg)
        let results = try await withThrowingTaskGroup(of: Bool.self) { group in
            for i in 0..<64 {
                group.addTask {
                    let message = Array("message \(i)".utf8)
                    let sig = try key.signature(for: message)
                    let other = Array("message \(i + 1)".utf8)
                    return key.publicKey.isValidSignature(sig, for: message) && !key.publicKey.isValidSignature(sig, for: other)
                }
            }
            var all: [Bool] = []
            for try await r in group { all.append(r) }
            return all
        }
        #expect(results.count == 64 && results.allSatisfy { $0 })
    }

    @Test func sha256KnownAnswersOneShotAndStreaming() throws {
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.tagged([UInt8]()) == "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        let hasher = SHA256Hasher()
        for chunk in ["a", "b", "c"] { hasher.update(Array(chunk.utf8)) }
        #expect(Hex.encode(hasher.finalize()) == SHA256.hex(Array("abc".utf8)))
        let random = try SecureRandom.bytes(32), second = try SecureRandom.bytes(32)
        #expect(random.count == 32 && random != second)
    }
}
