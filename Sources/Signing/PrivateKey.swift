import COpenSSL
import Foundation

/// A private signing key: Ed25519 (default) or ECDSA P-256.
///
/// On disk it only ever exists as encrypted PKCS#8 PEM (see `PrivateKey+PEM.swift`). Signing reuses
/// initialised OpenSSL contexts, so a key can sign from many tasks at once without re-fetching algorithms.
public struct PrivateKey: Sendable {
    let key: EVPKey
    /// The matching public key.
    public let publicKey: PublicKey

    /// The key's algorithm.
    public var algorithm: SignatureAlgorithm { key.algorithm }

    init(key: EVPKey) throws {
        self.key = key
        OpenSSLErrorQueue.clear()
        // Derive the public half from the SPKI encoding, so the public key owns its own EVP_PKEY.
        let der: [UInt8] = key.withPointer { k in
            var out: UnsafeMutablePointer<UInt8>? = nil
            let len = i2d_PUBKEY(k, &out)
            guard len > 0, let out else { return [] }
            defer { CRYPTO_free(out, #fileID, #line) }
            return Array(UnsafeBufferPointer(start: out, count: Int(len)))
        }
        let pub: OpaquePointer? = der.withUnsafeBufferPointer { buf in
            var p: UnsafePointer<UInt8>? = buf.baseAddress
            return d2i_PUBKEY(nil, &p, buf.count)
        }
        guard let pub else { throw SigningError.drain("d2i_PUBKEY") }
        self.publicKey = try PublicKey(key: EVPKey(taking: pub))
    }

    /// Generates a new key pair from OpenSSL's DRBG.
    public static func generate(_ algorithm: SignatureAlgorithm = .ed25519) throws -> PrivateKey {
        try PrivateKey(key: EVPKey.generate(algorithm))
    }

    /// An Ed25519 key from its 32-byte seed (RFC 8032 §5.1.5), as in a JWK `d` member; used for test vectors.
    public init(ed25519Seed seed: [UInt8]) throws {
        guard seed.count == 32 else {
            throw SigningError.invalidKey(source: "Ed25519 seed", reason: text("expected 32 bytes, got \(seed.count)",
                                                                              de: "32 Bytes erwartet, \(seed.count) erhalten"))
        }
        OpenSSLErrorQueue.clear()
        guard let k = EVP_PKEY_new_raw_private_key_ex(nil, "ED25519", nil, seed, seed.count) else {
            throw SigningError.drain("EVP_PKEY_new_raw_private_key_ex")
        }
        try self.init(key: EVPKey(taking: k))
    }

    /// Signs `message`. Ed25519 gives 64 raw bytes; P-256 gives a DER ECDSA-Sig-Value over SHA-256(message)
    /// (what `openssl dgst -sha256 -sign` gives; `JWS` converts it to R‖S), always with S in the low half
    /// (S ≤ (n − 1) / 2, see `ECDSASignatureFormat`), so what ConsentGate signs has a single byte form.
    public func signature<M: ContiguousBytes>(for message: M) throws -> [UInt8] {
        OpenSSLErrorQueue.clear()
        switch algorithm {
        case .ed25519:
            return try key.signContexts.withContext { ctx in
                try message.withUnsafeBytes { m in
                    var out = [UInt8](repeating: 0, count: 64)
                    var len = out.count
                    guard EVP_DigestSign(ctx, &out, &len, m.baseAddress?.assumingMemoryBound(to: UInt8.self), m.count) == 1,
                          len == 64 else { throw SigningError.drain("EVP_DigestSign") }
                    return (out, true)
                }
            }
        case .p256:
            let digest = SHA256.hash(message)
            let der = try key.signContexts.withContext { ctx in
                // The size first (ECDSA_size: 72 for P-256), then the signature, which may be shorter.
                var len = 0
                guard EVP_PKEY_sign(ctx, nil, &len, digest, digest.count) == 1, len > 0 else { throw SigningError.drain("EVP_PKEY_sign") }
                var out = [UInt8](repeating: 0, count: len)
                guard EVP_PKEY_sign(ctx, &out, &len, digest, digest.count) == 1, len <= out.count else { throw SigningError.drain("EVP_PKEY_sign") }
                return (Array(out.prefix(len)), true)
            }
            // OpenSSL gives a high S about half of the time; (R, n − S) is the same signature's other form.
            return try ECDSASignatureFormat.lowS(der: der)
        }
    }
}
