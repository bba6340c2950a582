import COpenSSL

/// Owns one `EVP_PKEY` and frees it exactly once, together with pools of signing and verifying contexts.
///
/// `@unchecked Sendable`: OpenSSL documents `EVP_PKEY` as safe to share read-only between threads; this
/// class never mutates the key after construction nor hands the pointer out except inside `withPointer`.
/// The pools are themselves thread-safe (see `ContextPool`).
final class EVPKey: @unchecked Sendable {
    private let pointer: OpaquePointer
    /// The algorithm, checked once at construction.
    let algorithm: SignatureAlgorithm
    /// Initialised signing contexts (Ed25519: `EVP_MD_CTX`; P-256: `EVP_PKEY_CTX` over a SHA-256 digest).
    let signContexts: ContextPool
    /// Initialised verifying contexts, of the same kinds.
    let verifyContexts: ContextPool

    /// Takes ownership of `pointer`; frees it and throws when the key is not Ed25519 or P-256.
    init(taking pointer: OpaquePointer) throws {
        self.pointer = pointer
        guard let algorithm = Self.algorithm(of: pointer) else {
            // The name is read before the key is freed (reading it after was a use after free: garbage or "").
            let name = Self.typeName(of: pointer)
            EVP_PKEY_free(pointer)
            throw SigningError.unsupportedAlgorithm(name)
        }
        self.algorithm = algorithm
        let key = pointer
        switch algorithm {
        case .ed25519:
            signContexts = ContextPool(make: { try EVPKey.digestContext(key, sign: true) }, free: { EVP_MD_CTX_free($0) })
            verifyContexts = ContextPool(make: { try EVPKey.digestContext(key, sign: false) }, free: { EVP_MD_CTX_free($0) })
        case .p256:
            signContexts = ContextPool(make: { try EVPKey.pkeyContext(key, sign: true) }, free: { EVP_PKEY_CTX_free($0) })
            verifyContexts = ContextPool(make: { try EVPKey.pkeyContext(key, sign: false) }, free: { EVP_PKEY_CTX_free($0) })
        }
    }

    deinit {
        // Pools free their contexts after this; each context holds its own reference to the key.
        EVP_PKEY_free(pointer)
    }

    /// Lends the pointer to `body`; it must not escape.
    func withPointer<R>(_ body: (OpaquePointer) throws -> R) rethrows -> R { try body(pointer) }

    /// Whether a private key is a valid key pair (`EVP_PKEY_check`: the public point is valid, the scalar is in
    /// [1, n − 1], and the stored public point is the one the scalar gives).
    ///
    /// An EC private key (RFC 5915 `ECPrivateKey`) may carry its public point, and OpenSSL takes that point as it
    /// is rather than recomputing it. A file whose point belongs to another key would otherwise pass for that other
    /// key: its kid is the other key's, the trust store accepts it, and nothing it signs verifies. Ed25519 public
    /// keys are always computed from the seed, so only P-256 keys are checked.
    func hasConsistentKeyPair() -> Bool {
        check(EVP_PKEY_check)
    }

    /// Whether a public key is usable. P-256 (`EVP_PKEY_public_check`): a point on the curve, not the point at
    /// infinity, of order n. The SPKI decoder accepts the point at infinity (BIT STRING `00`): ECDSA verification
    /// against it reduces to u1·G, which anyone can satisfy, and its encoding is one byte (no x and y for the JWK
    /// and the kid). Ed25519: not a point of small order (`Ed25519SmallOrder`), which OpenSSL accepts and against
    /// which one fixed signature verifies for every message.
    func hasValidPublicKey() -> Bool {
        if algorithm == .ed25519 {
            var raw = [UInt8](repeating: 0, count: 32)
            var len = raw.count
            guard EVP_PKEY_get_raw_public_key(pointer, &raw, &len) == 1, len == 32 else {
                OpenSSLErrorQueue.clear()
                return false
            }
            return !Ed25519SmallOrder.contains(raw)
        }
        return check(EVP_PKEY_public_check)
    }

    /// Runs an `EVP_PKEY_*check` on a fresh context for P-256 keys; true for Ed25519. Leaves the error queue empty.
    private func check(_ function: (OpaquePointer?) -> Int32) -> Bool {
        guard algorithm == .p256 else { return true }
        OpenSSLErrorQueue.clear()
        defer { OpenSSLErrorQueue.clear() }
        guard let ctx = EVP_PKEY_CTX_new_from_pkey(nil, pointer, nil) else { return false }
        defer { EVP_PKEY_CTX_free(ctx) }
        return function(ctx) == 1
    }

    /// Generates a fresh key pair.
    static func generate(_ algorithm: SignatureAlgorithm) throws -> EVPKey {
        let name = algorithm == .ed25519 ? "ED25519" : "EC"
        OpenSSLErrorQueue.clear()
        guard let ctx = EVP_PKEY_CTX_new_from_name(nil, name, nil) else { throw SigningError.drain("EVP_PKEY_CTX_new_from_name") }
        defer { EVP_PKEY_CTX_free(ctx) }
        guard EVP_PKEY_keygen_init(ctx) == 1 else { throw SigningError.drain("EVP_PKEY_keygen_init") }
        if algorithm == .p256 {
            guard EVP_PKEY_CTX_set_group_name(ctx, "P-256") == 1 else { throw SigningError.drain("EVP_PKEY_CTX_set_group_name") }
        }
        var key: OpaquePointer? = nil
        guard EVP_PKEY_keygen(ctx, &key) == 1, let key else { throw SigningError.drain("EVP_PKEY_keygen") }
        return try EVPKey(taking: key)
    }

    /// Ed25519 or P-256, or nil for any other key.
    private static func algorithm(of pointer: OpaquePointer) -> SignatureAlgorithm? {
        if EVP_PKEY_is_a(pointer, "ED25519") == 1 { return .ed25519 }
        guard EVP_PKEY_is_a(pointer, "EC") == 1 else { return nil }
        var name = [CChar](repeating: 0, count: 64)
        var len = 0
        guard EVP_PKEY_get_utf8_string_param(pointer, OSSL_PKEY_PARAM_GROUP_NAME, &name, name.count, &len) == 1 else {
            OpenSSLErrorQueue.clear()
            return nil
        }
        let group = String(decoding: name.prefix(len).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return group == "prime256v1" || group == "P-256" ? .p256 : nil
    }

    /// OpenSSL's name for the key type, for error messages.
    private static func typeName(of pointer: OpaquePointer) -> String {
        if EVP_PKEY_is_a(pointer, "EC") == 1 { return "EC on a curve other than P-256" }
        return EVP_PKEY_get0_type_name(pointer).map { String(cString: $0) } ?? "unknown"
    }

    /// An `EVP_MD_CTX` initialised for Ed25519 one-shot `EVP_DigestSign`/`EVP_DigestVerify`, which leave the
    /// context reusable (as `openssl speed` uses it).
    private static func digestContext(_ key: OpaquePointer, sign: Bool) throws -> OpaquePointer {
        guard let ctx = EVP_MD_CTX_new() else { throw SigningError.drain("EVP_MD_CTX_new") }
        let ok = sign ? EVP_DigestSignInit_ex(ctx, nil, nil, nil, nil, key, nil)
            : EVP_DigestVerifyInit_ex(ctx, nil, nil, nil, nil, key, nil)
        guard ok == 1 else {
            EVP_MD_CTX_free(ctx)
            throw SigningError.drain(sign ? "EVP_DigestSignInit_ex" : "EVP_DigestVerifyInit_ex")
        }
        return ctx
    }

    /// An `EVP_PKEY_CTX` initialised for ECDSA over a SHA-256 digest; `EVP_PKEY_sign`/`EVP_PKEY_verify` may be
    /// called on it repeatedly.
    private static func pkeyContext(_ key: OpaquePointer, sign: Bool) throws -> OpaquePointer {
        guard let ctx = EVP_PKEY_CTX_new_from_pkey(nil, key, nil) else { throw SigningError.drain("EVP_PKEY_CTX_new_from_pkey") }
        let ok = sign ? EVP_PKEY_sign_init(ctx) : EVP_PKEY_verify_init(ctx)
        guard ok == 1, EVP_PKEY_CTX_set_signature_md(ctx, SHA256Hasher.algorithm.pointer) == 1 else {
            EVP_PKEY_CTX_free(ctx)
            throw SigningError.drain(sign ? "EVP_PKEY_sign_init" : "EVP_PKEY_verify_init")
        }
        return ctx
    }
}

/// Helpers for moving bytes through memory BIOs.
enum MemoryBIO {
    /// Runs `body` with a fresh writable memory BIO and returns what was written to it.
    static func write(_ operation: String, _ body: (OpaquePointer) throws -> Int32) throws -> [UInt8] {
        OpenSSLErrorQueue.clear()
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
        OpenSSLErrorQueue.clear()
        return try bytes.withUnsafeBytes { buf in
            guard let bio = BIO_new_mem_buf(buf.baseAddress, Int32(buf.count)) else { throw SigningError.drain("BIO_new_mem_buf") }
            defer { BIO_free(bio) }
            return try body(bio)
        }
    }
}

/// The encodings of the eight Ed25519 points of small order (order 1, 2, 4 or 8), canonical or not, as libsodium's
/// `has_small_order` lists them (compared with the sign bit cleared). OpenSSL's Ed25519 verification does not refuse
/// them: with the identity `01 00…00` as public key, R = identity and S = 0 verify for every message (checked with
/// `openssl pkeyutl -verify`). The values were recomputed for this list from the curve (the 8-torsion subgroup).
enum Ed25519SmallOrder {
    static let encodings: [[UInt8]] = [
        "0000000000000000000000000000000000000000000000000000000000000000", // (±√−1, 0): order 4
        "0100000000000000000000000000000000000000000000000000000000000000", // (0, 1): the identity, order 1
        "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05", // order 8
        "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a", // order 8
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // (0, −1): order 2
        "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // y = p, non-canonical 0: order 4
        "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // y = p + 1, non-canonical 1: order 1
    ].map { hex in
        let digits = Array(hex.utf8)
        return stride(from: 0, to: digits.count, by: 2).map { UInt8(String(decoding: digits[$0..<$0 + 2], as: UTF8.self), radix: 16)! }
    }

    /// Whether the 32-byte encoding `key` is a point of small order (the sign bit is ignored).
    static func contains(_ key: [UInt8]) -> Bool {
        guard key.count == 32 else { return false }
        var masked = key
        masked[31] &= 0x7f
        return encodings.contains(masked)
    }
}
