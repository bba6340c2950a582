import Foundation
import Testing
@testable import Signing
#if canImport(Glibc)
import Glibc
#endif

/// OpenSSL's error queue is per thread and shared by every user of libcrypto in the process (libcurl under
/// FoundationNetworking is one). An operation that reports its failure with the drained queue must clear the queue
/// before it starts, or an entry another caller left on this thread shows up in an unrelated error message (and, as
/// Swift tasks move between threads, in another task's). Signing, DER parsing, key generation, random bytes and
/// scrypt drained without clearing first.
@Suite struct OpenSSLErrorQueueTests {
    /// `EVP_MD_fetch` and `ERR_peek_error`, looked up in the process (the tests do not import COpenSSL).
    typealias Fetch = @convention(c) (OpaquePointer?, UnsafePointer<CChar>?, UnsafePointer<CChar>?) -> OpaquePointer?
    typealias Peek = @convention(c) () -> UInt

    /// Leaves one entry on this thread's queue, as another libcrypto user would, and returns its code.
    static func leaveStaleError() throws -> UInt {
        let process = dlopen(nil, RTLD_NOW)
        let fetch = unsafeBitCast(try #require(dlsym(process, "EVP_MD_fetch")), to: Fetch.self)
        let peek = unsafeBitCast(try #require(dlsym(process, "ERR_peek_error")), to: Peek.self)
        try #require(fetch(nil, "NO-SUCH-DIGEST-LEFT-BY-ANOTHER-LIBRARY", nil) == nil)
        let code = peek()
        try #require(code != 0)
        return code
    }

    enum Operation: String, CaseIterable, Sendable {
        case parseDamagedDER, scryptWithInvalidN
        func run() throws {
            switch self {
            case .parseDamagedDER: _ = try ECDSASignatureFormat.rawFromDER([0x30, 0x03, 0x02, 0x01])
            case .scryptWithInvalidN:
                _ = try PasswordHashing.derive(password: "pw", salt: [UInt8](repeating: 1, count: 16),
                                               parameters: .init(logN: 0, r: 8, p: 1))
            }
        }
    }

    @Test(arguments: Operation.allCases)
    func aFailureReportsOnlyItsOwnOpenSSLErrors(operation: Operation) throws {
        let stale = try Self.leaveStaleError()
        do {
            try operation.run()
            Issue.record("\(operation) succeeded")
        } catch let SigningError.openssl(name, entries) {
            #expect(!entries.contains { $0.code == stale }, "\(name) reported an entry left before it started: \(entries)")
        }
    }

    /// Signing and verifying work with a stale entry present and leave no entry of their own behind, also after a failed
    /// verification (a later failure would otherwise report it as its own). The queue is read after them: only the stale
    /// entry, or nothing, may be left (a key review found the test never looked at the queue).
    @Test(arguments: SignatureAlgorithm.allCases)
    func successfulOperationsWorkWithAStaleEntryPresent(alg: SignatureAlgorithm) throws {
        let stale = try Self.leaveStaleError()
        let key = try PrivateKey.generate(alg)
        let message = Array("consent".utf8)
        let jws = try JWS.sign(payload: message, type: "consentgate-test+json", key: key)
        try JWS(flattened: Array(jws.serialized.utf8)).verify(with: key.publicKey)
        #expect(try SecureRandom.bytes(16).count == 16)
        let signature = try key.signature(for: message)
        #expect(!key.publicKey.isValidSignature(signature, for: Array("other".utf8)), "a failed verification")
        #expect(!key.publicKey.isValidSignature(Array(repeating: 0, count: signature.count), for: message))
        let left = OpenSSLErrorQueue.drain()
        #expect(left.allSatisfy { $0.code == stale }, "entries left behind: \(left)")
    }
}
