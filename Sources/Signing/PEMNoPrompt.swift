import COpenSSL

/// Reading PEM without ever letting OpenSSL ask for a passphrase.
///
/// With a nil `pem_password_cb` and nil user data, OpenSSL's `PEM_def_callback` reads a passphrase from the
/// controlling terminal (printing "Enter PEM pass phrase:") or, without one, from the process's standard input.
/// A PEM block only needs a passphrase when it carries RFC 1421 encryption headers (`Proc-Type: 4,ENCRYPTED`,
/// `DEK-Info`), which no key ConsentGate reads should have: public keys are never encrypted, and a private key is
/// encrypted PKCS#8 (decrypted by `PKCS8_decrypt` with the passphrase given, not through the PEM layer). So every
/// PEM read passes a callback that never supplies a passphrase and records that one was asked for.
enum PEMNoPrompt {
    /// OpenSSL's `pem_password_cb`, as a C function pointer.
    typealias Callback = @convention(c) (UnsafeMutablePointer<CChar>?, Int32, Int32, UnsafeMutableRawPointer?) -> Int32

    /// Runs `body` with a callback that refuses (returns -1, no passphrase) and sets the `Bool` its user data points
    /// at, and that user data; returns the result and whether OpenSSL asked for a passphrase.
    static func read<R>(_ body: (Callback, UnsafeMutableRawPointer) throws -> R) rethrows -> (result: R, asked: Bool) {
        let refuse: Callback = { _, _, _, userdata in
            userdata?.assumingMemoryBound(to: Bool.self).pointee = true
            return -1
        }
        var asked = false
        let result = try withUnsafeMutablePointer(to: &asked) { try body(refuse, UnsafeMutableRawPointer($0)) }
        return (result, asked)
    }

    /// The reason given when a PEM block asked for a passphrase.
    static let encryptedHeadersReason = text(
        "the PEM block has encryption headers (Proc-Type: 4,ENCRYPTED / DEK-Info), which ConsentGate does not read; a private key must be encrypted PKCS#8 (-----BEGIN ENCRYPTED PRIVATE KEY-----), and a public key is never encrypted",
        de: "der PEM-Block hat Verschlüsselungs-Header (Proc-Type: 4,ENCRYPTED / DEK-Info), die ConsentGate nicht liest; ein privater Schlüssel muss verschlüsseltes PKCS#8 sein (-----BEGIN ENCRYPTED PRIVATE KEY-----), und ein öffentlicher Schlüssel ist nie verschlüsselt")
}
