import COpenSSL
import Foundation

/// SHA-256 through libcrypto: one-shot and streaming.
public enum SHA256 {
    /// The 32-byte digest of `data`.
    public static func hash<D: ContiguousBytes>(_ data: D) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        data.withUnsafeBytes { buf in
            out.withUnsafeMutableBytes { o in
                var len: UInt32 = 32
                let ok = EVP_Digest(buf.baseAddress, buf.count, o.baseAddress?.assumingMemoryBound(to: UInt8.self),
                                    &len, SHA256Hasher.algorithm.pointer, nil)
                precondition(ok == 1, "EVP_Digest(SHA-256) failed: \(OpenSSLErrorQueue.drain())")
            }
        }
        return out
    }

    /// The digest as lower-case hex.
    public static func hex<D: ContiguousBytes>(_ data: D) -> String { Hex.encode(hash(data)) }

    /// The digest in the `sha256:<hex>` form used in manifests, policy digests and evidence fields.
    public static func tagged<D: ContiguousBytes>(_ data: D) -> String { "sha256:" + hex(data) }
}

/// A streaming SHA-256 computation. Not shareable across threads while in use; make one per operation.
public final class SHA256Hasher {
    /// The fetched SHA-256 implementation, fetched once per process (fetching per use costs measurable time).
    static let algorithm = FetchedDigest(name: "SHA256")

    private let ctx: OpaquePointer
    private var finished = false

    /// A hasher ready for `update`.
    public init() {
        guard let ctx = EVP_MD_CTX_new() else { fatalError("EVP_MD_CTX_new failed: out of memory") }
        self.ctx = ctx
        precondition(EVP_DigestInit_ex2(ctx, Self.algorithm.pointer, nil) == 1,
                     "EVP_DigestInit_ex2 failed: \(OpenSSLErrorQueue.drain())")
    }

    deinit { EVP_MD_CTX_free(ctx) }

    /// Feeds more bytes.
    public func update<D: ContiguousBytes>(_ data: D) {
        precondition(!finished, "SHA256Hasher used after finalize()")
        data.withUnsafeBytes { buf in
            guard buf.count > 0 else { return }
            precondition(EVP_DigestUpdate(ctx, buf.baseAddress, buf.count) == 1, "EVP_DigestUpdate failed")
        }
    }

    /// Feeds a single byte (used for the RFC 6962 domain-separation prefixes).
    public func update(byte: UInt8) {
        // After EVP_DigestFinal_ex, OpenSSL 3.0 accepts more input and a second final without an error and
        // returns a digest of nothing in particular: a use after `finalize()` must stop here instead.
        precondition(!finished, "SHA256Hasher used after finalize()")
        var b = byte
        precondition(EVP_DigestUpdate(ctx, &b, 1) == 1, "EVP_DigestUpdate failed")
    }

    /// Finishes and returns the 32-byte digest; the hasher can be `reset()` and reused.
    public func finalize() -> [UInt8] {
        precondition(!finished, "SHA256Hasher finalized twice without reset()")
        var out = [UInt8](repeating: 0, count: 32)
        var len: UInt32 = 32
        out.withUnsafeMutableBufferPointer { o in
            precondition(EVP_DigestFinal_ex(ctx, o.baseAddress, &len) == 1, "EVP_DigestFinal_ex failed")
        }
        finished = true
        return out
    }

    /// Starts a new computation with the same context, saving an allocation.
    public func reset() {
        precondition(EVP_DigestInit_ex2(ctx, nil, nil) == 1, "EVP_DigestInit_ex2 failed")
        finished = false
    }
}

/// An `EVP_MD` fetched once and kept for the life of the process.
/// `@unchecked Sendable`: a fetched EVP_MD is immutable and OpenSSL documents it as shareable between threads.
final class FetchedDigest: @unchecked Sendable {
    let pointer: OpaquePointer
    init(name: String) {
        guard let md = EVP_MD_fetch(nil, name, nil) else { fatalError("EVP_MD_fetch(\(name)) failed") }
        pointer = md
    }
    deinit { EVP_MD_free(pointer) }
}
