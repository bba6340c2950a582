import COpenSSL
import Foundation

/// A public key that verifies ConsentGate signatures: Ed25519 or ECDSA P-256.
public struct PublicKey: Sendable {
    let key: EVPKey
    /// The key's algorithm.
    public let algorithm: SignatureAlgorithm

    init(key: EVPKey) throws {
        guard let algorithm = key.algorithm else { throw SigningError.unsupportedAlgorithm("not Ed25519 or P-256") }
        self.key = key
        self.algorithm = algorithm
    }

    /// Reads an SPKI PEM public key (`-----BEGIN PUBLIC KEY-----`). `source` names the file in errors.
    public init(pem: String, source: String = "public key") throws {
        let parsed: OpaquePointer? = try MemoryBIO.read(Array(pem.utf8)) { bio in
            PEM_read_bio_PUBKEY(bio, nil, nil, nil)
        }
        guard let parsed else {
            let entries = OpenSSLErrorQueue.drain()
            throw SigningError.invalidKey(source: source, reason: entries.first?.reason ?? "not an SPKI PEM public key")
        }
        try self.init(key: EVPKey(taking: parsed))
    }

    /// Reads the raw 32-byte Ed25519 public key (as in a JWK `x` or a C2SP note verifier key).
    public init(ed25519Raw bytes: [UInt8]) throws {
        guard bytes.count == 32 else { throw SigningError.invalidKey(source: "raw Ed25519 key", reason: "expected 32 bytes, got \(bytes.count)") }
        guard let k = EVP_PKEY_new_raw_public_key_ex(nil, "ED25519", nil, bytes, bytes.count) else {
            throw SigningError.drain("EVP_PKEY_new_raw_public_key_ex")
        }
        try self.init(key: EVPKey(taking: k))
    }

    /// The SPKI PEM text.
    public var pem: String {
        let bytes = try? key.withPointer { k in try MemoryBIO.write("PEM_write_bio_PUBKEY") { PEM_write_bio_PUBKEY($0, k) } }
        return String(decoding: bytes ?? [], as: UTF8.self)
    }

    /// The DER SubjectPublicKeyInfo.
    public var derSPKI: [UInt8] {
        key.withPointer { k in
            var out: UnsafeMutablePointer<UInt8>? = nil
            let len = i2d_PUBKEY(k, &out)
            guard len > 0, let out else { return [] }
            defer { CRYPTO_free(out, #fileID, #line) }
            return Array(UnsafeBufferPointer(start: out, count: Int(len)))
        }
    }

    /// The raw public key: 32 bytes for Ed25519; the uncompressed point 0x04‖X‖Y (65 bytes) for P-256.
    public var rawBytes: [UInt8] {
        key.withPointer { k in
            switch algorithm {
            case .ed25519:
                var len = 32
                var out = [UInt8](repeating: 0, count: 32)
                _ = EVP_PKEY_get_raw_public_key(k, &out, &len)
                return out
            case .p256:
                var out = [UInt8](repeating: 0, count: 65)
                var len = 0
                _ = EVP_PKEY_get_octet_string_param(k, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, &out, out.count, &len)
                return Array(out.prefix(len))
            }
        }
    }

    /// The public key as a JWK (RFC 7517), members in lexicographic order as RFC 7638 requires.
    public var jwkMembers: [(String, String)] {
        let raw = rawBytes
        switch algorithm {
        case .ed25519:
            return [("crv", "Ed25519"), ("kty", "OKP"), ("x", Base64URL.encode(raw))]
        case .p256:
            return [("crv", "P-256"), ("kty", "EC"), ("x", Base64URL.encode(Array(raw[1..<33]))),
                    ("y", Base64URL.encode(Array(raw[33..<65])))]
        }
    }

    /// The key id: the RFC 7638 JWK thumbprint (SHA-256, base64url).
    public var kid: String {
        let json = "{" + jwkMembers.map { "\"\($0.0)\":\"\($0.1)\"" }.joined(separator: ",") + "}"
        return Base64URL.encode(SHA256.hash(Array(json.utf8)))
    }

    /// Verifies `signature` over `message`. Ed25519: 64 raw bytes. P-256: DER ECDSA-Sig-Value.
    public func isValidSignature<S: ContiguousBytes, M: ContiguousBytes>(_ signature: S, for message: M) -> Bool {
        key.withPointer { k in
            guard let ctx = EVP_MD_CTX_new() else { return false }
            defer { EVP_MD_CTX_free(ctx) }
            let md: OpaquePointer? = algorithm == .p256 ? SHA256Hasher.algorithm.pointer : nil
            guard EVP_DigestVerifyInit_ex(ctx, nil, md == nil ? nil : "SHA256", nil, nil, k, nil) == 1 else {
                OpenSSLErrorQueue.clear()
                return false
            }
            let ok = signature.withUnsafeBytes { s in
                message.withUnsafeBytes { m in
                    EVP_DigestVerify(ctx, s.baseAddress?.assumingMemoryBound(to: UInt8.self), s.count,
                                     m.baseAddress?.assumingMemoryBound(to: UInt8.self), m.count)
                }
            }
            if ok != 1 { OpenSSLErrorQueue.clear() }
            return ok == 1
        }
    }
}
