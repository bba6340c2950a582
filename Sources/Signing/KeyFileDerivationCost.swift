import COpenSSL

/// The bound on the key-derivation work an encrypted key file may ask for, checked before its passphrase is tried.
///
/// Why: the work is written in the file (PBKDF2's iteration count, scrypt's N, r and p), and OpenSSL derives the key
/// with whatever it says. A damaged or hostile `*.key.pem` asking for 2^31 PBKDF2 rounds would keep `serve` or the
/// nightly export opening it for hours (found by the fuzzing review). ConsentGate writes 600,000 rounds; the bounds
/// leave room for stronger settings chosen with the stock `openssl` and refuse what no one would choose.
enum KeyFileDerivationCost {
    /// At most this many PBKDF2 (or PKCS#5 v1.5 / PKCS#12) rounds: ~17 times ConsentGate's own, a few seconds here.
    static let maximumIterations: UInt64 = 10_000_000
    /// scrypt: N at most 2^20, r at most 32, p at most 16, and N·r·p at most 2^24 block mixes (a few seconds).
    static let maximumScryptWork: UInt64 = 1 << 24
    /// scrypt's memory OpenSSL allows when it decrypts a key (`SCRYPT_MAX_MEM`, 32 MiB), counted as it counts it:
    /// 128·r·(N+2) + 128·r·p bytes.
    static let maximumScryptMemory: UInt64 = 32 << 20

    /// Throws `SigningError.invalidKey` naming `source` when `envelope` (an encrypted PKCS#8 `X509_SIG`) asks for more.
    static func check(_ envelope: OpaquePointer, source: String) throws {
        var iterations: UInt64 = 0, n: UInt64 = 0, r: UInt64 = 0, p: UInt64 = 0
        let scheme = cg_pkcs8_kdf_cost(envelope, &iterations, &n, &r, &p)
        switch scheme {
        case 1 where iterations > maximumIterations, 3 where iterations > maximumIterations:
            throw SigningError.invalidKey(source: source, reason: text(
                "the file asks for \(iterations) key-derivation rounds; at most \(maximumIterations) are accepted (a damaged or hostile file would take hours to open)",
                de: "die Datei verlangt \(iterations) Runden der Schlüsselableitung; höchstens \(maximumIterations) werden angenommen (eine beschädigte oder manipulierte Datei bräuchte Stunden zum Öffnen)"))
        // Each factor is bounded before the product is taken, so it cannot overflow.
        case 2 where n > 1 << 20 || r > 32 || p > 16 || n * r * p > maximumScryptWork:
            throw SigningError.invalidKey(source: source, reason: text(
                "the file asks for scrypt with N=\(n), r=\(r), p=\(p); at most N=2^20, r=32, p=16 and N·r·p=2^24 are accepted (a damaged or hostile file would take hours to open)",
                de: "die Datei verlangt scrypt mit N=\(n), r=\(r), p=\(p); höchstens N=2^20, r=32, p=16 und N·r·p=2^24 werden angenommen (eine beschädigte oder manipulierte Datei bräuchte Stunden zum Öffnen)"))
        // OpenSSL decrypts a key with at most 32 MiB for scrypt (128·r·(N+2) + 128·r·p bytes, as its scrypt counts): a file
        // asking for more never opens, and would be called a wrong passphrase (found in a key review: N=65536, r=8).
        case 2 where 128 * r * (n + 2) + 128 * r * p > maximumScryptMemory:
            throw SigningError.invalidKey(source: source, reason: text(
                "the file asks for scrypt with N=\(n), r=\(r), p=\(p): \((128 * r * (n + 2 + p) + 1023) / 1024) KiB, over the \(maximumScryptMemory / 1024) KiB OpenSSL allows for decrypting a key, so no passphrase opens it; write it anew with N·r below 2^18 (e.g. N=16384, r=8)",
                de: "die Datei verlangt scrypt mit N=\(n), r=\(r), p=\(p): \((128 * r * (n + 2 + p) + 1023) / 1024) KiB, mehr als die \(maximumScryptMemory / 1024) KiB, die OpenSSL zum Entschlüsseln eines Schlüssels zulässt; keine Passphrase öffnet sie; mit N·r unter 2^18 neu schreiben (z. B. N=16384, r=8)"))
        default:
            return
        }
    }
}
