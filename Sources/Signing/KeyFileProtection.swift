import COpenSSL
import Diagnostics
import Foundation

/// How an encrypted private key file is protected: its encryption scheme and the key-derivation work, read from the
/// file's `EncryptedPrivateKeyInfo` without the passphrase, and whether that is weaker than CONTRACTS §2 asks.
///
/// Why: a key file re-encrypted with the stock `openssl` (docs/keys.md tells the administrator to re-encrypt when a
/// passphrase changes) easily ends up with OpenSSL's defaults or older choices — 2,048 PBKDF2 rounds, Triple DES, a
/// PKCS#12 scheme — and ConsentGate then opened it without a word (found in a keys review, I5). Such a file falls to
/// a passphrase guess hundreds of times faster than one ConsentGate writes (AES-256-CBC, PBKDF2-HMAC-SHA256, 600,000
/// rounds). It is not refused: it still holds the right key, and refusing would stop signing on an installation that
/// worked yesterday. `keys list`, `keys show` and `serve`'s log say what is weak and how to re-encrypt.
public struct KeyFileProtection: Sendable, Equatable {
    /// The key-derivation function and its work factors.
    public enum Derivation: Sendable, Equatable {
        /// PBES2 with PBKDF2: rounds and the pseudo-random function's short name (e.g. `hmacWithSHA256`).
        case pbkdf2(iterations: UInt64, prf: String)
        /// PBES2 with scrypt: cost N, block size r, parallelisation p.
        case scrypt(n: UInt64, r: UInt64, p: UInt64)
        /// A PKCS#5 v1.5 or PKCS#12 password-based scheme (no PBES2), with its rounds.
        case legacy(scheme: String, iterations: UInt64)
    }

    /// The least PBKDF2 rounds not warned about: a sixth of what ConsentGate writes (`PrivateKey.pbkdf2Iterations`),
    /// fifty times OpenSSL's default of 2,048.
    public static let minimumIterations: UInt64 = 100_000
    /// The least scrypt work (N·r) not warned about: OpenSSL's and RFC 7914's interactive setting, N = 2^14, r = 8.
    public static let minimumScryptWork: UInt64 = 1 << 17

    /// The encryption scheme's short name as OpenSSL knows it (e.g. `AES-256-CBC`, `DES-EDE3-CBC`).
    public let cipher: String
    /// The key derivation.
    public let derivation: Derivation

    /// The protection of the encrypted PKCS#8 PEM `pem`, or nil when it is not encrypted (`requireEncrypted` refuses
    /// that elsewhere) or its parameters cannot be read (opening it then says what is wrong). Nothing is decrypted.
    public init?(pem: String) {
        guard pem.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----"),
              let read = try? MemoryBIO.read(Array(pem.utf8), { bio in
                  PEMNoPrompt.read { cb, flag in PEM_read_bio_PKCS8(bio, nil, cb, flag) }
              }), let envelope = read.result else {
            OpenSSLErrorQueue.clear()
            return nil
        }
        defer { X509_SIG_free(envelope) }
        var iterations: UInt64 = 0, n: UInt64 = 0, r: UInt64 = 0, p: UInt64 = 0
        var cipherNID: Int32 = 0, prfNID: Int32 = 0
        let kdf = cg_pkcs8_kdf_cost(envelope, &iterations, &n, &r, &p)
        let pbes2 = cg_pkcs8_pbes2_algorithms(envelope, &cipherNID, &prfNID) == 1
        switch kdf {
        case 1 where pbes2:
            derivation = .pbkdf2(iterations: iterations, prf: Self.shortName(prfNID))
        case 2 where pbes2:
            derivation = .scrypt(n: n, r: r, p: p)
        case 3:
            var alg: UnsafePointer<X509_ALGOR>? = nil
            X509_SIG_get0(envelope, &alg, nil)
            let scheme = alg.map { Self.shortName(OBJ_obj2nid($0.pointee.algorithm)) } ?? "?"
            derivation = .legacy(scheme: scheme, iterations: iterations)
        default:
            OpenSSLErrorQueue.clear()
            return nil
        }
        // A legacy scheme names its cipher in the scheme itself (e.g. `PBE-SHA1-3DES`).
        if case let .legacy(scheme, _) = derivation { cipher = scheme } else { cipher = Self.shortName(cipherNID) }
        OpenSSLErrorQueue.clear()
    }

    /// The protection of the key file at `path`, or nil when it cannot be read, is not encrypted, or its parameters
    /// cannot be read.
    public init?(file path: String) {
        guard let pem = try? FileBytes.readText(path, limit: 65_536) else { return nil }
        self.init(pem: pem)
    }

    /// Why this protection is weaker than CONTRACTS §2 asks (AES-256, PBKDF2 or scrypt) and than ConsentGate writes,
    /// one reason each, in German and English; empty when it is not.
    public var weaknesses: [LocalizedText] {
        var out: [LocalizedText] = []
        if case let .legacy(scheme, _) = derivation {
            out.append(text("an old password-based scheme (\(scheme)) instead of PBES2 with PBKDF2 or scrypt",
                            de: "ein altes Passwortverfahren (\(scheme)) statt PBES2 mit PBKDF2 oder scrypt"))
        } else if !cipher.uppercased().hasPrefix("AES-256") {
            out.append(text("the cipher \(cipher) instead of AES-256", de: "die Verschlüsselung \(cipher) statt AES-256"))
        }
        switch derivation {
        case let .pbkdf2(iterations, _) where iterations < Self.minimumIterations,
             let .legacy(_, iterations) where iterations < Self.minimumIterations:
            out.append(text("only \(iterations) key-derivation \(iterations == 1 ? "round" : "rounds") (ConsentGate writes \(PrivateKey.pbkdf2Iterations); at least \(Self.minimumIterations))",
                            de: "nur \(iterations) \(iterations == 1 ? "Runde" : "Runden") der Schlüsselableitung (ConsentGate schreibt \(PrivateKey.pbkdf2Iterations); mindestens \(Self.minimumIterations))"))
        // N and r come from the file unbounded (opening it bounds them, `KeyFileDerivationCost`; this is read before):
        // the product is taken so that it cannot overflow, which would stop the program on a damaged or hostile file.
        case let .scrypt(n, r, _) where r == 0 || n < Self.minimumScryptWork / r:
            out.append(text("scrypt with only N=\(n), r=\(r) (at least N·r = 2^17, e.g. N=16384, r=8)",
                            de: "scrypt mit nur N=\(n), r=\(r) (mindestens N·r = 2^17, z. B. N=16384, r=8)"))
        default:
            break
        }
        return out
    }

    /// The protection in a few words, e.g. `AES-256-CBC, PBKDF2 (hmacWithSHA256, 600000 rounds)`.
    public var summary: LocalizedText {
        switch derivation {
        case let .pbkdf2(iterations, prf):
            return text("\(cipher), PBKDF2 (\(prf), \(iterations) rounds)", de: "\(cipher), PBKDF2 (\(prf), \(iterations) Runden)")
        case let .scrypt(n, r, p):
            return text("\(cipher), scrypt (N=\(n), r=\(r), p=\(p))", de: "\(cipher), scrypt (N=\(n), r=\(r), p=\(p))")
        case let .legacy(scheme, iterations):
            return text("\(scheme) (\(iterations) rounds)", de: "\(scheme) (\(iterations) Runden)")
        }
    }

    /// What to tell about the weakly encrypted file at `path`, after the words naming it: `is weakly encrypted: <why>;
    /// re-encrypt it … <command> …`, in German and English; `keys list`/`keys show` and `serve`'s log say the same.
    public func advice(for path: String) -> LocalizedText {
        let reasons = weaknesses
        let command = Self.reencryptCommand(path)
        return text("is weakly encrypted: \(reasons.map(\.en).joined(separator: "; ")); re-encrypt it with the same passphrase: \(command), then replace the file by the new one, mode 0600 (docs/keys.md)",
                    de: "ist schwach verschlüsselt: \(reasons.map(\.de).joined(separator: "; ")); mit derselben Passphrase neu verschlüsseln: \(command), dann die Datei durch die neue ersetzen, Modus 0600 (docs/keys.md)")
    }

    /// The stock `openssl` command that re-encrypts `path` the way ConsentGate writes keys (asks for the old and the
    /// new passphrase; the result must replace the file with mode 0600, docs/keys.md).
    public static func reencryptCommand(_ path: String) -> String {
        "openssl pkcs8 -topk8 -v2 aes-256-cbc -v2prf hmacWithSHA256 -iter \(PrivateKey.pbkdf2Iterations) -in \(shellQuoted(path)) -out \(shellQuoted(path + ".new"))"
    }

    /// `path` as one word for a POSIX shell: as it is when it holds only characters no shell treats specially, else in
    /// single quotes (a `'` in it written `'\''`), so a command copied from a warning works for any file name.
    static func shellQuoted(_ path: String) -> String {
        let plain = path.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || "/._-+:,@%".unicodeScalars.contains($0) }
        return plain && !path.isEmpty ? path : "'" + path.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// OpenSSL's short name of `nid` (`?` when it has none).
    static func shortName(_ nid: Int32) -> String {
        guard nid != 0, let name = OBJ_nid2sn(nid) else { return "?" }
        return String(cString: name)
    }
}
