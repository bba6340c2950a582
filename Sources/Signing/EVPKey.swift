import COpenSSL

/// Owns one `EVP_PKEY` and frees it exactly once.
///
/// `@unchecked Sendable`: OpenSSL documents `EVP_PKEY` as safe to share read-only between threads, and this
/// class never mutates the key after construction nor hands the pointer out except inside `withPointer`.
final class EVPKey: @unchecked Sendable {
    private let pointer: OpaquePointer

    /// Takes ownership of `pointer`.
    init(taking pointer: OpaquePointer) { self.pointer = pointer }

    deinit { EVP_PKEY_free(pointer) }

    func withPointer<R>(_ body: (OpaquePointer) throws -> R) rethrows -> R { try body(pointer) }

    /// The algorithm of the key, or nil for one ConsentGate does not use.
    var algorithm: SignatureAlgorithm? {
        if EVP_PKEY_is_a(pointer, "ED25519") == 1 { return .ed25519 }
        if EVP_PKEY_is_a(pointer, "EC") == 1 {
            var name = [CChar](repeating: 0, count: 64)
            var len = 0
            guard EVP_PKEY_get_utf8_string_param(pointer, OSSL_PKEY_PARAM_GROUP_NAME, &name, name.count, &len) == 1 else {
                OpenSSLErrorQueue.clear()
                return nil
            }
            let group = String(decoding: name.prefix(len).map { UInt8(bitPattern: $0) }, as: UTF8.self)
            return group == "prime256v1" || group == "P-256" ? .p256 : nil
        }
        return nil
    }

    /// Generates a fresh key pair.
    static func generate(_ algorithm: SignatureAlgorithm) throws -> EVPKey {
        let name = algorithm == .ed25519 ? "ED25519" : "EC"
        guard let ctx = EVP_PKEY_CTX_new_from_name(nil, name, nil) else { throw SigningError.drain("EVP_PKEY_CTX_new_from_name") }
        defer { EVP_PKEY_CTX_free(ctx) }
        guard EVP_PKEY_keygen_init(ctx) == 1 else { throw SigningError.drain("EVP_PKEY_keygen_init") }
        if algorithm == .p256 {
            guard EVP_PKEY_CTX_set_group_name(ctx, "P-256") == 1 else { throw SigningError.drain("EVP_PKEY_CTX_set_group_name") }
        }
        var key: OpaquePointer? = nil
        guard EVP_PKEY_keygen(ctx, &key) == 1, let key else { throw SigningError.drain("EVP_PKEY_keygen") }
        return EVPKey(taking: key)
    }
}

/// Helpers for moving bytes through memory BIOs.
enum MemoryBIO {
    /// Runs `body` with a fresh writable memory BIO and returns what was written to it.
    static func write(_ operation: String, _ body: (OpaquePointer) throws -> Int32) throws -> [UInt8] {
        guard let bio = BIO_new(BIO_s_mem()) else { throw SigningError.drain("BIO_new") }
        defer { BIO_free(bio) }
        guard try body(bio) == 1 else { throw SigningError.drain(operation) }
        var data: UnsafeMutablePointer<CChar>? = nil
        let len = cg_BIO_mem_data(bio, &data)
        guard len > 0, let data else { return [] }
        return data.withMemoryRebound(to: UInt8.self, capacity: len) { Array(UnsafeBufferPointer(start: $0, count: len)) }
    }

    /// Runs `body` with a read-only memory BIO over `bytes`.
    static func read<R>(_ bytes: [UInt8], _ body: (OpaquePointer) throws -> R) throws -> R {
        try bytes.withUnsafeBytes { buf in
            guard let bio = BIO_new_mem_buf(buf.baseAddress, Int32(buf.count)) else { throw SigningError.drain("BIO_new_mem_buf") }
            defer { BIO_free(bio) }
            return try body(bio)
        }
    }
}
