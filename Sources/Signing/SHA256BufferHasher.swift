import COpenSSL

/// SHA-256 that writes its 32-byte digest into a caller's buffer instead of returning a new array:
/// for hot loops (the audit log's Merkle tree hashes millions of leaves and nodes) where allocating a
/// `[UInt8]` per digest costs as much as hashing a short message. Reuses one OpenSSL context.
/// Not shareable across threads while in use; make one per task.
public final class SHA256BufferHasher {
    private let ctx: OpaquePointer

    /// A hasher ready for `begin()`.
    public init() {
        guard let ctx = EVP_MD_CTX_new() else { fatalError("EVP_MD_CTX_new failed: out of memory") }
        self.ctx = ctx
    }

    deinit { EVP_MD_CTX_free(ctx) }

    /// Starts a new digest (discarding any unfinished one).
    public func begin() {
        precondition(EVP_DigestInit_ex2(ctx, SHA256Hasher.algorithm.pointer, nil) == 1,
                     "EVP_DigestInit_ex2 failed: \(OpenSSLErrorQueue.drain())")
    }

    /// Feeds bytes.
    public func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        precondition(EVP_DigestUpdate(ctx, base, bytes.count) == 1, "EVP_DigestUpdate failed")
    }

    /// Feeds one byte (the RFC 6962 domain-separation prefixes).
    public func update(byte: UInt8) {
        var b = byte
        precondition(EVP_DigestUpdate(ctx, &b, 1) == 1, "EVP_DigestUpdate failed")
    }

    /// Finishes the digest, writing 32 bytes to `out` (which must have room for them).
    public func finish(into out: UnsafeMutableRawBufferPointer) {
        precondition(out.count >= 32, "SHA-256 needs a 32-byte output buffer")
        var len: UInt32 = 32
        precondition(EVP_DigestFinal_ex(ctx, out.baseAddress!.assumingMemoryBound(to: UInt8.self), &len) == 1,
                     "EVP_DigestFinal_ex failed")
    }
}

extension SHA256BufferHasher {
    /// The digest of `bytes` in one call (begin, update, finish), written to `out` (32 bytes).
    public func hash(_ bytes: UnsafeRawBufferPointer, into out: UnsafeMutableRawBufferPointer) {
        begin()
        update(bytes)
        finish(into: out)
    }

    /// The digest of `prefix ‖ bytes` in one call, written to `out` (32 bytes): the RFC 6962 leaf
    /// (`0x00 ‖ entry`) and node (`0x01 ‖ left ‖ right`) hashes without first copying the message.
    public func hash(prefix: UInt8, _ bytes: UnsafeRawBufferPointer, into out: UnsafeMutableRawBufferPointer) {
        begin()
        update(byte: prefix)
        update(bytes)
        finish(into: out)
    }
}
