import COpenSSL
import Foundation

extension PrivateKey {
    /// PBKDF2 iterations used when encrypting a key (OWASP 2023 guidance for PBKDF2-HMAC-SHA256).
    public static let pbkdf2Iterations: Int32 = 600_000

    /// Reads a PKCS#8 PEM private key, decrypting it with `passphrase` when it is encrypted.
    ///
    /// Encrypted keys are read in two explicit steps (parse the `EncryptedPrivateKeyInfo`, then decrypt), so a
    /// damaged or truncated PEM is reported as `invalidKey` and a failed decryption as `wrongPassphrase`, whatever
    /// OpenSSL's padding check happens to say, unless OpenSSL says it cannot decrypt the file whatever the passphrase
    /// (a cipher or scheme it does not run, scrypt over its memory limit: `invalidKey`). `requireEncrypted` refuses a key
    /// stored in the clear (keys at rest must be encrypted). `source` names the file in errors.
    public init(pem: String, passphrase: String?, source: String = "private key", requireEncrypted: Bool = true) throws {
        let isEncrypted = pem.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")
        // An empty file, or text with no PEM block at all, is said as what it is (an empty file was reported "not encrypted").
        if pem.allSatisfy(\.isWhitespace) {
            throw SigningError.invalidKey(source: source, reason: text("the file is empty", de: "die Datei ist leer"))
        }
        if !pem.contains("-----BEGIN ") {
            throw SigningError.invalidKey(source: source, reason: text(
                "no PEM block (expected -----BEGIN ENCRYPTED PRIVATE KEY-----)",
                de: "kein PEM-Block (erwartet: -----BEGIN ENCRYPTED PRIVATE KEY-----)"))
        }
        if Self.isPublicKeyPEM(pem) { throw Self.publicKeyNamed(source) }
        if requireEncrypted && !isEncrypted {
            throw SigningError.invalidKey(source: source, reason: text(
                "the private key is not encrypted (expected -----BEGIN ENCRYPTED PRIVATE KEY-----)",
                de: "der private Schlüssel ist nicht verschlüsselt (erwartet: -----BEGIN ENCRYPTED PRIVATE KEY-----)"))
        }
        OpenSSLErrorQueue.clear()
        if isEncrypted {
            guard let passphrase, !passphrase.isEmpty else {
                throw SigningError.passphraseUnavailable(text("\(source) is encrypted and no passphrase was given",
                                                              de: "\(source) ist verschlüsselt und es wurde keine Passphrase angegeben"))
            }
            try self.init(key: SigningError.namingKeyFile(source) { try Self.decrypt(pem: pem, passphrase: passphrase, source: source) })
        } else {
            // A refusing callback, so OpenSSL never asks the terminal (or stdin) for a passphrase.
            let (parsed, asked) = try MemoryBIO.read(Array(pem.utf8)) { bio in
                PEMNoPrompt.read { cb, flag in PEM_read_bio_PrivateKey(bio, nil, cb, flag) }
            }
            guard let parsed else { throw Self.unreadable(source, askedForPassphrase: asked) }
            try self.init(key: SigningError.namingKeyFile(source) { try EVPKey(taking: parsed) })
        }
        guard key.hasConsistentKeyPair() else {
            throw SigningError.invalidKey(source: source, reason: text(
                "the public key stored in the file does not belong to its private key (the file is damaged or was tampered with)",
                de: "der in der Datei gespeicherte öffentliche Schlüssel gehört nicht zu ihrem privaten Schlüssel (die Datei ist beschädigt oder wurde verändert)"))
        }
    }

    /// Parses the encrypted envelope, then decrypts it; see `init(pem:passphrase:source:requireEncrypted:)`.
    private static func decrypt(pem: String, passphrase: String, source: String) throws -> EVPKey {
        // The envelope itself is not encrypted at the PEM layer; a refusing callback keeps OpenSSL from asking the
        // terminal (or stdin) for a passphrase when the block carries Proc-Type/DEK-Info headers anyway.
        let (envelope, asked) = try MemoryBIO.read(Array(pem.utf8)) { bio in
            PEMNoPrompt.read { cb, flag in PEM_read_bio_PKCS8(bio, nil, cb, flag) }
        }
        guard let envelope else { throw unreadable(source, askedForPassphrase: asked) }
        defer { X509_SIG_free(envelope) }
        try KeyFileDerivationCost.check(envelope, source: source)
        let info: OpaquePointer? = Secret.withUTF8(passphrase) { pass, count in PKCS8_decrypt(envelope, pass, Int32(count)) }
        guard let info else {
            // Not every failure is the passphrase: a cipher this OpenSSL does not run (DES, RC2 under the legacy
            // provider) or a derivation over its memory limit fails whatever the passphrase (found in a key review: the
            // right passphrase was called wrong, and the operator sent looking for another one).
            let entries = OpenSSLErrorQueue.drain()
            if let cause = entries.first(where: { e in Self.notThePassphrase.contains { e.reason.contains($0) } }) {
                throw SigningError.invalidKey(source: source, reason: text(
                    "the file is encrypted in a way this OpenSSL does not decrypt (OpenSSL: \(cause.reason)), whatever the passphrase; write it anew with a current setting, e.g. openssl pkcs8 -topk8 -v2 aes-256-cbc -iter 600000",
                    de: "die Datei ist auf eine Weise verschlüsselt, die dieses OpenSSL nicht entschlüsselt (Meldung von OpenSSL: \(cause.reason)), gleich mit welcher Passphrase; mit einer heutigen Einstellung neu schreiben, z. B. openssl pkcs8 -topk8 -v2 aes-256-cbc -iter 600000"))
            }
            throw SigningError.wrongPassphrase(source: source)
        }
        defer { PKCS8_PRIV_KEY_INFO_free(info) }
        guard let key = EVP_PKCS82PKEY(info) else { throw unreadable(source) }
        return try EVPKey(taking: key)
    }

    /// OpenSSL's reasons (its own English texts) for a key file it cannot decrypt whatever the passphrase: a cipher or
    /// scheme its providers do not run, an unknown scheme, parameters it refuses, a derivation over its memory limit. A
    /// wrong passphrase gives "bad decrypt" (or, in 1 of 256 cases, an ASN.1 decoding error), none of these.
    static let notThePassphrase = ["unsupported", "memory limit", "unknown pbe algorithm", "unknown cipher", "cipher parameter error",
                                   "unsupported cipher", "unsupported kdf", "unknown kdf", "unsupported prf", "unknown prf"]

    /// Whether `pem` holds a public key and no private key (`-----BEGIN PUBLIC KEY-----`).
    static func isPublicKeyPEM(_ pem: String) -> Bool {
        pem.contains("-----BEGIN PUBLIC KEY-----") && !pem.contains("PRIVATE KEY-----")
    }

    /// Whether the file at `path` (read up to 64 KiB) holds a public key and no private key; false when it cannot be read.
    static func holdsPublicKey(_ path: String) -> Bool {
        (try? FileBytes.readText(path, limit: 65_536)).map(isPublicKeyPEM) ?? false
    }

    /// The error for a public key where a private key was expected (a `private-key:` that names the `.pub.pem` file).
    static func publicKeyNamed(_ source: String) -> SigningError {
        .invalidKey(source: source, reason: text(
            "the file holds a public key (-----BEGIN PUBLIC KEY-----), not a private key: private-key must name the key's private file (….key.pem), public-key its public one",
            de: "die Datei enthält einen öffentlichen Schlüssel (-----BEGIN PUBLIC KEY-----), keinen privaten: private-key muss die private Schlüsseldatei (….key.pem) nennen, public-key die öffentliche"))
    }

    /// An `invalidKey` error carrying OpenSSL's first reason.
    private static func unreadable(_ source: String, askedForPassphrase: Bool = false) -> SigningError {
        let entries = OpenSSLErrorQueue.drain()
        if askedForPassphrase { return .invalidKey(source: source, reason: PEMNoPrompt.encryptedHeadersReason) }
        // OpenSSL's reason stays in its own (English) words, marked as its message in German text (found in a review:
        // "… (bad end line)" read as a German sentence with English in it).
        guard let why = entries.first?.reason else {
            return .invalidKey(source: source, reason: text("not a PKCS#8 PEM private key (no PEM block found); the file may be truncated or damaged",
                                                           de: "kein PKCS#8-PEM-Privatschlüssel (kein PEM-Block gefunden); die Datei ist vielleicht abgeschnitten oder beschädigt"))
        }
        return .invalidKey(source: source, reason: text("not a PKCS#8 PEM private key (\(why)); the file may be truncated or damaged",
                                                       de: "kein PKCS#8-PEM-Privatschlüssel (Meldung von OpenSSL: „\(why)“); die Datei ist vielleicht abgeschnitten oder beschädigt"))
    }

    /// The key as encrypted PKCS#8 PEM: PBES2 with PBKDF2-HMAC-SHA256 (`iterations`, 16-byte random salt)
    /// and AES-256-CBC. `openssl pkey -passin` opens it.
    public func encryptedPEM(passphrase: String, iterations: Int32 = PrivateKey.pbkdf2Iterations) throws -> String {
        guard !passphrase.isEmpty else {
            throw SigningError.passphraseUnavailable(text("an empty passphrase cannot protect a key",
                                                          de: "eine leere Passphrase kann keinen Schlüssel schützen"))
        }
        // PKCS5_pbe2_set_iv silently replaces a count below 1 with its default of 2,048.
        precondition(iterations >= 1, "PBKDF2 needs at least one iteration")
        var salt = try SecureRandom.bytes(16)
        OpenSSLErrorQueue.clear()
        let bytes = try key.withPointer { k -> [UInt8] in
            guard let p8 = EVP_PKEY2PKCS8(k) else { throw SigningError.drain("EVP_PKEY2PKCS8") }
            defer { PKCS8_PRIV_KEY_INFO_free(p8) }
            guard let alg = PKCS5_pbe2_set_iv(EVP_aes_256_cbc(), iterations, &salt, Int32(salt.count), nil, NID_hmacWithSHA256) else {
                throw SigningError.drain("PKCS5_pbe2_set_iv")
            }
            let sig = Secret.withUTF8(passphrase) { pass, count in PKCS8_set0_pbe(pass, Int32(count), p8, alg) }
            guard let sig else {
                X509_ALGOR_free(alg)
                throw SigningError.drain("PKCS8_set0_pbe")
            }
            defer { X509_SIG_free(sig) }
            return try MemoryBIO.write("PEM_write_bio_PKCS8") { PEM_write_bio_PKCS8($0, sig) }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
