import Foundation
import Testing
@testable import Signing

/// After `EVP_DigestFinal_ex`, OpenSSL 3.0 accepts more input and a second final without any error, and returns a
/// digest of nothing in particular. `SHA256Hasher.update(_:)` stopped a use after `finalize()`, but `update(byte:)`
/// (the RFC 6962 prefix the audit log's Merkle hashing feeds first) and a second `finalize()` did not: a missed
/// `reset()` produced a wrong hash silently. Now both stop the process, like `update(_:)`.
@Suite struct SHA256HasherMisuseTests {
    @Test func updateByteAfterFinalizeStops() async {
        await #expect(processExitsWith: .failure) {
            let h = SHA256Hasher()
            _ = h.finalize()
            h.update(byte: 0)
        }
    }

    @Test func finalizeTwiceStops() async {
        await #expect(processExitsWith: .failure) {
            let h = SHA256Hasher()
            h.update(Array("a".utf8))
            _ = h.finalize()
            _ = h.finalize()
        }
    }

    /// The supported sequence (finalize, reset, reuse) still gives the right digests.
    @Test func resetAndReuseGivesTheRightDigests() {
        let h = SHA256Hasher()
        h.update(byte: 0x61)
        #expect(h.finalize() == SHA256.hash(Array("a".utf8)))
        h.reset()
        h.update(Array("ab".utf8))
        #expect(h.finalize() == SHA256.hash(Array("ab".utf8)))
        h.reset()
        #expect(h.finalize() == SHA256.hash([UInt8]()))
    }
}
