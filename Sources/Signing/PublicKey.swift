import COpenSSL
import Foundation

/// A public key that verifies ConsentGate signatures: Ed25519 or ECDSA P-256.
public struct PublicKey: Sendable {
    let key: EVPKey

    /// The key's algorithm.
    public var algorithm: SignatureAlgorithm { key.algorithm }

    init(key: EVPKey) throws {
        self.key = key
    }

    /// Reads an SPKI PEM public key (`-----BEGIN PUBLIC KEY-----`). `source` names the file in errors.
    public init(pem: String, source: String = "public key") throws {
        OpenSSLErrorQueue.clear()
        // Never nil callback and user data: OpenSSL would then ask the terminal (or stdin) for a passphrase.
        let (parsed, asked) = try MemoryBIO.read(Array(pem.utf8)) { bio in
            PEMNoPrompt.read { cb, flag in PEM_read_bio_PUBKEY(bio, nil, cb, flag) }
        }
        guard let parsed else {
            let entries = OpenSSLErrorQueue.drain()
            if asked { throw SigningError.invalidKey(source: source, reason: PEMNoPrompt.encryptedHeadersReason) }
            let why = entries.first?.reason ?? "no PEM block found"
            throw SigningError.invalidKey(source: source, reason: text(
                "not an SPKI PEM public key (\(why)); the file may be truncated or damaged",
                de: "kein SPKI-PEM-Schlüssel (\(why)); die Datei ist vielleicht abgeschnitten oder beschädigt"))
        }
        try self.init(key: SigningError.namingKeyFile(source) { try EVPKey(taking: parsed) })
        guard key.hasValidPublicKey() else {
            throw SigningError.invalidKey(source: source, reason: text(
                "the public key is not a valid \(key.algorithm.displayName) key (the point at infinity, a point of small order, or not on the curve)",
                de: "der öffentliche Schlüssel ist kein gültiger \(key.algorithm.displayName)-Schlüssel (Punkt im Unendlichen, Punkt kleiner Ordnung oder nicht auf der Kurve)"))
        }
    }

    /// Reads the raw 32-byte Ed25519 public key (as in a JWK `x` or a C2SP note verifier key).
    public init(ed25519Raw bytes: [UInt8]) throws {
        guard bytes.count == 32 else {
            throw SigningError.invalidKey(source: "raw Ed25519 key", reason: text("expected 32 bytes, got \(bytes.count)",
                                                                                 de: "32 Bytes erwartet, \(bytes.count) erhalten"))
        }
        OpenSSLErrorQueue.clear()
        guard let k = EVP_PKEY_new_raw_public_key_ex(nil, "ED25519", nil, bytes, bytes.count) else {
            throw SigningError.drain("EVP_PKEY_new_raw_public_key_ex")
        }
        let key = try EVPKey(taking: k)
        guard key.hasValidPublicKey() else {
            throw SigningError.invalidKey(source: "raw Ed25519 key", reason: text(
                "a point of small order, against which one signature verifies for every message",
                de: "ein Punkt kleiner Ordnung, mit dem eine einzige Signatur für jede Nachricht gilt"))
        }
        try self.init(key: key)
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

    /// The public key as JWK members (RFC 7517/8037): the required members only, as RFC 7638 hashes them.
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

    /// The public key as a JWK JSON object (for handing to JOSE libraries).
    public var jwkJSON: String { JWKThumbprint.canonicalJSON(members: jwkMembers) }

    /// The key id: the RFC 7638 JWK thumbprint (SHA-256, base64url).
    public var kid: String { JWKThumbprint.compute(members: jwkMembers) }

    /// Verifies `signature` over `message`. Ed25519: 64 raw bytes. P-256: DER ECDSA-Sig-Value over SHA-256.
    public func isValidSignature<S: ContiguousBytes, M: ContiguousBytes>(_ signature: S, for message: M) -> Bool {
        let valid: Bool?
        switch algorithm {
        case .ed25519:
            valid = try? key.verifyContexts.withContext { ctx in
                let ok = signature.withUnsafeBytes { s in
                    message.withUnsafeBytes { m in
                        EVP_DigestVerify(ctx, s.baseAddress?.assumingMemoryBound(to: UInt8.self), s.count,
                                         m.baseAddress?.assumingMemoryBound(to: UInt8.self), m.count)
                    }
                }
                return (ok == 1, ok == 1)
            }
        case .p256:
            let digest = SHA256.hash(message)
            valid = try? key.verifyContexts.withContext { ctx in
                let ok = signature.withUnsafeBytes { s in
                    EVP_PKEY_verify(ctx, s.baseAddress?.assumingMemoryBound(to: UInt8.self), s.count, digest, digest.count)
                }
                return (ok == 1, ok == 1)
            }
        }
        if valid != true { OpenSSLErrorQueue.clear() }
        return valid == true
    }

    /// Verifies a detached signature (as `keys sign` and CONTRACTS §7 write it); throws `signatureInvalid`
    /// naming `what` (e.g. a file name) when it does not hold.
    public func verify<S: ContiguousBytes, M: ContiguousBytes>(signature: S, for message: M, what: String? = nil) throws {
        guard isValidSignature(signature, for: message) else {
            let en = what.map { "the signature over \($0)" } ?? "the signature"
            let de = what.map { "die Signatur über \($0)" } ?? "die Signatur"
            throw SigningError.signatureInvalid(text("\(en) does not verify with key \(kid) (\(algorithm.displayName))",
                                                     de: "\(de) lässt sich mit Schlüssel \(kid) (\(algorithm.displayName)) nicht bestätigen"))
        }
    }
}
