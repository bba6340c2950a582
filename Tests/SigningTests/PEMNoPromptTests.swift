import Foundation
import Testing
@testable import Signing
#if canImport(Glibc)
import Glibc
#endif

/// A PEM block with RFC 1421 encryption headers (`Proc-Type: 4,ENCRYPTED`, `DEK-Info`) made OpenSSL ask for a
/// passphrase: `PEM_read_bio_PUBKEY` and `PEM_read_bio_PKCS8` were called with a nil callback and nil user data,
/// so OpenSSL's default callback printed "Enter PEM pass phrase:" and read the controlling terminal, or without
/// one standard input (a server's stdin, a pipe). Now every PEM read refuses to supply a passphrase and the file
/// is reported as an unusable key, naming the headers.
@Suite(.serialized) struct PEMNoPromptTests {
    enum Case: String, CaseIterable, Sendable {
        case publicKey, encryptedPKCS8, traditionalPrivateKey
        var file: String {
            switch self {
            case .publicKey: "pem-headers/p256.pub.with-pem-headers.pem"
            case .encryptedPKCS8: "pem-headers/p256.key.pkcs8-with-pem-headers.pem"
            case .traditionalPrivateKey: "pem-headers/p256.key.traditional-encrypted.pem"
            }
        }
        /// Loads the fixture the way ConsentGate loads such a file; returns the public key's kid when it loads.
        func load() throws -> String {
            let path = TestSupport.fixture(file).path
            switch self {
            case .publicKey: return try PublicKey(file: path).kid
            case .encryptedPKCS8: return try PrivateKey(file: path, passphrase: "fixture-pass").publicKey.kid
            case .traditionalPrivateKey:
                let pem = try String(contentsOfFile: path, encoding: .utf8)
                return try PrivateKey(pem: pem, passphrase: nil, source: path, requireEncrypted: false).publicKey.kid
            }
        }
    }

    /// Standard input is a pipe holding the PEM-layer passphrase while the file loads. The load must fail with
    /// `invalidKey` naming the headers, and nothing may have been read from the pipe. (Before the fix, with no
    /// controlling terminal, OpenSSL read the passphrase from the pipe and the key loaded.)
    @Test(arguments: Case.allCases)
    func aPEMBlockWithEncryptionHeadersNeverReadsAPassphrase(c: Case) throws {
        let offered = Array("stdin-pass\n".utf8)
        // With a controlling terminal an unfixed OpenSSL would wait on /dev/tty, not stdin: only check the error then.
        let tty = open("/dev/tty", O_RDONLY | O_CLOEXEC)
        let hasTerminal = tty >= 0
        if hasTerminal { close(tty) }
        var fds: [Int32] = [0, 0]
        try #require(pipe(&fds) == 0)
        defer { close(fds[0]) }
        _ = offered.withUnsafeBytes { write(fds[1], $0.baseAddress, $0.count) }
        close(fds[1])
        let savedStdin = dup(0)
        try #require(savedStdin >= 0)
        if !hasTerminal { try #require(dup2(fds[0], 0) == 0) }
        let outcome = Result { try c.load() }
        if !hasTerminal { dup2(savedStdin, 0) }
        close(savedStdin)

        switch outcome {
        case let .success(kid):
            Issue.record("\(c.file) loaded (kid \(kid)) after OpenSSL asked for a passphrase")
        case let .failure(error):
            guard case let .invalidKey(_, reason) = error as? SigningError else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(reason.en.contains("encryption headers (Proc-Type: 4,ENCRYPTED / DEK-Info)"), "\(reason.en)")
            #expect(reason.de.contains("Verschlüsselungs-Header"))
        }
        var left = [UInt8](repeating: 0, count: 64)
        let n = read(fds[0], &left, left.count)
        #expect(n == offered.count, "OpenSSL read \(offered.count - max(n, 0)) bytes of standard input")
    }

    /// The same key without the headers loads, so the refusal is about the headers alone.
    @Test func theSameKeyWithoutHeadersLoads() throws {
        let plain = try PublicKey(file: TestSupport.fixture("pem-headers/p256.pub.pem").path)
        #expect(plain.algorithm == .p256)
    }
}
