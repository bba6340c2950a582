import COpenSSL
import Foundation

/// A private signing key: Ed25519 (default) or ECDSA P-256.
///
/// On disk it only ever exists as encrypted PKCS#8 PEM (PBES2, AES-256-CBC, PBKDF2-HMAC-SHA256).
public struct PrivateKey: Sendable {
    let key: EVPKey
    /// The key's algorithm.
    public let algorithm: SignatureAlgorithm
    /// The matching public key.
    public let publicKey: PublicKey

    /// PBKDF2 iterations used when encrypting a key (OWASP 2023 guidance for PBKDF2-HMAC-SHA256).
    public static let pbkdf2Iterations: Int32 = 600_000

    init(key: EVPKey) throws {
        guard let algorithm = key.algorithm else { throw SigningError.unsupportedAlgorithm("not Ed25519 or P-256") }
        self.key = key
        self.algorithm = algorithm
        // Derive the public half by round-tripping the SPKI encoding, so the public key owns its own EVP_PKEY.
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

    /// Generates a new key pair.
    public static func generate(_ algorithm: SignatureAlgorithm = .ed25519) throws -> PrivateKey {
        try PrivateKey(key: EVPKey.generate(algorithm))
    }

    /// Reads a PKCS#8 PEM private key, decrypting it with `passphrase` when it is encrypted.
    /// `requireEncrypted` refuses a key stored in the clear (keys at rest must be encrypted).
    public init(pem: String, passphrase: String?, source: String = "private key", requireEncrypted: Bool = true) throws {
        let isEncrypted = pem.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")
        if requireEncrypted && !isEncrypted {
            throw SigningError.invalidKey(source: source, reason: "private key is not encrypted (expected ENCRYPTED PRIVATE KEY)")
        }
        if isEncrypted && passphrase == nil { throw SigningError.passphraseUnavailable("\(source) is encrypted") }
        OpenSSLErrorQueue.clear()
        let parsed: OpaquePointer? = try MemoryBIO.read(Array(pem.utf8)) { bio in
            // An empty-string passphrase is passed for unencrypted keys so OpenSSL never prompts on a terminal.
            var pass = Array((passphrase ?? "").utf8CString)
            return pass.withUnsafeMutableBufferPointer { p in
                PEM_read_bio_PrivateKey(bio, nil, nil, UnsafeMutableRawPointer(p.baseAddress))
            }
        }
        guard let parsed else {
            let entries = OpenSSLErrorQueue.drain()
            if isEncrypted && entries.contains(where: { $0.reason.contains("bad decrypt") || $0.reason.contains("unsupported") == false && $0.reason.contains("decrypt") }) {
                throw SigningError.wrongPassphrase(source: source)
            }
            throw SigningError.invalidKey(source: source, reason: entries.first?.reason ?? "not a PKCS#8 PEM private key")
        }
        try self.init(key: EVPKey(taking: parsed))
    }

    /// The key as encrypted PKCS#8 PEM: PBES2 with PBKDF2-HMAC-SHA256 (`iterations`) and AES-256-CBC.
    public func encryptedPEM(passphrase: String, iterations: Int32 = PrivateKey.pbkdf2Iterations) throws -> String {
        guard !passphrase.isEmpty else { throw SigningError.passphraseUnavailable("an empty passphrase cannot protect a key") }
        let salt = try SecureRandom.bytes(16)
        let bytes = try key.withPointer { k -> [UInt8] in
            guard let p8 = EVP_PKEY2PKCS8(k) else { throw SigningError.drain("EVP_PKEY2PKCS8") }
            defer { PKCS8_PRIV_KEY_INFO_free(p8) }
            var saltCopy = salt
            guard let alg = PKCS5_pbe2_set_iv(EVP_aes_256_cbc(), iterations, &saltCopy, Int32(saltCopy.count), nil, NID_hmacWithSHA256) else {
                throw SigningError.drain("PKCS5_pbe2_set_iv")
            }
            let pass = Array(passphrase.utf8CString)
            let sig = pass.withUnsafeBufferPointer { p in PKCS8_set0_pbe(p.baseAddress, Int32(p.count - 1), p8, alg) }
            guard let sig else {
                X509_ALGOR_free(alg)
                throw SigningError.drain("PKCS8_set0_pbe")
            }
            defer { X509_SIG_free(sig) }
            return try MemoryBIO.write("PEM_write_bio_PKCS8") { PEM_write_bio_PKCS8($0, sig) }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Signs `message`. Ed25519 gives 64 raw bytes; P-256 gives a DER ECDSA-Sig-Value (see `JWS` for R‖S).
    public func signature<M: ContiguousBytes>(for message: M) throws -> [UInt8] {
        try key.withPointer { k in
            guard let ctx = EVP_MD_CTX_new() else { throw SigningError.drain("EVP_MD_CTX_new") }
            defer { EVP_MD_CTX_free(ctx) }
            let mdName: String? = algorithm == .p256 ? "SHA256" : nil
            guard EVP_DigestSignInit_ex(ctx, nil, mdName, nil, nil, k, nil) == 1 else { throw SigningError.drain("EVP_DigestSignInit_ex") }
            return try message.withUnsafeBytes { m in
                let mp = m.baseAddress?.assumingMemoryBound(to: UInt8.self)
                var len = 0
                guard EVP_DigestSign(ctx, nil, &len, mp, m.count) == 1 else { throw SigningError.drain("EVP_DigestSign") }
                var out = [UInt8](repeating: 0, count: len)
                guard EVP_DigestSign(ctx, &out, &len, mp, m.count) == 1 else { throw SigningError.drain("EVP_DigestSign") }
                return Array(out.prefix(len))
            }
        }
    }
}
