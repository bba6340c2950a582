import Foundation

extension PrivateKey {
    /// Reads an encrypted PKCS#8 PEM private key file (at most 1 MiB) and decrypts it with `passphrase`. Throws
    /// `unreadableFile` for a file that cannot be read, `passphraseUnavailable` for a nil or empty passphrase,
    /// `wrongPassphrase` when it does not decrypt, and `invalidKey` for a key stored in the clear, a damaged file, one
    /// asking for more key-derivation work than `KeyFileDerivationCost` allows, or one encrypted in a way this OpenSSL
    /// does not decrypt whatever the passphrase.
    public init(file path: String, passphrase: String?) throws {
        try self.init(pem: FileBytes.readText(path), passphrase: passphrase, source: path)
    }

    /// Writes the key encrypted (see `encryptedPEM`) to `path` atomically with mode 0600. Refuses to replace
    /// an existing file unless `overwrite` is set, so no key is ever lost by accident.
    public func write(to path: String, passphrase: String, overwrite: Bool = false,
                      iterations: Int32 = PrivateKey.pbkdf2Iterations) throws {
        let pem = try encryptedPEM(passphrase: passphrase, iterations: iterations)
        try AtomicFile.write(Array(pem.utf8), to: path, mode: 0o600, overwrite: overwrite)
    }
}

extension PublicKey {
    /// Reads an SPKI PEM public key file.
    public init(file path: String) throws {
        try self.init(pem: FileBytes.readText(path), source: path)
    }

    /// Writes the SPKI PEM to `path` atomically with mode 0644.
    public func write(to path: String, overwrite: Bool = false) throws {
        try AtomicFile.write(Array(pem.utf8), to: path, mode: 0o644, overwrite: overwrite)
    }
}
