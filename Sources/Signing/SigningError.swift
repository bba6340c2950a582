import Diagnostics

/// Errors raised by the cryptography module. Each carries what a user needs to act on it, in German and
/// English; the category decides the exit code (CONTRACTS §8).
public enum SigningError: Error, Sendable, Equatable, CustomStringConvertible {
    /// An OpenSSL call failed; `entries` is the whole drained error queue, oldest first.
    case openssl(operation: String, entries: [OpenSSLErrorEntry])
    /// A PEM or key file could not be read as a key of the expected kind.
    case invalidKey(source: String, reason: LocalizedText)
    /// The passphrase did not decrypt the private key (or the encrypted key data is damaged).
    case wrongPassphrase(source: String)
    /// The key uses an algorithm ConsentGate does not sign with.
    case unsupportedAlgorithm(String)
    /// A signature did not verify.
    case signatureInvalid(LocalizedText)
    /// A detached signature file does not have a signature's form (wrong length, text instead of bytes, no DER
    /// framing): a format mistake, so invalid input (3), not an integrity failure.
    case malformedSignature(file: String, reason: LocalizedText)
    /// A JWS could not be parsed or is not acceptable.
    case malformedJWS(LocalizedText)
    /// A key id is not in the trust store.
    case unknownKey(kid: String)
    /// A key exists but may not be used for this role at this time.
    case keyNotTrusted(kid: String, reason: LocalizedText)
    /// No key in the trust store can sign for `role` now; `reasons` says why each candidate was refused.
    case noUsableKey(role: KeyRole, reasons: [LocalizedText])
    /// The keys for `role` that the trust store would let sign now have no private-key file in this installation
    /// (`keys`: each one's kid and name): a set-up that is incomplete (a public key copied here, the private key left on
    /// another machine), not a key that failed a check, so invalid input (3) rather than an integrity failure.
    case noPrivateKeyFile(role: KeyRole, keys: [String])
    /// The trust store file is invalid at `line`:`column` (1-based, when known).
    case invalidTrustStore(file: String, line: Int?, column: Int?, reason: LocalizedText)
    /// A passphrase could not be obtained (none given, or the file or variable is empty).
    case passphraseUnavailable(LocalizedText)
    /// The passphrase file given with `--passphrase-file` is missing or cannot be read (`reason`: why, from
    /// `InputFileProblem`). Its own case so the message says it is the passphrase file, not just a path.
    case unreadablePassphraseFile(path: String, reason: LocalizedText)
    /// An input file could not be read.
    case unreadableFile(path: String, reason: LocalizedText)
    /// A file could not be written (storage failure).
    case io(path: String, reason: LocalizedText)
    /// A file that must not replace anything found its name taken at the last step (another process made it meanwhile,
    /// e.g. a second backup to the same `--out`): the other file is left as it is. A usage error (2), like a name
    /// that was taken before the write began.
    case nameTaken(path: String)
    /// `error` about the private key file of the trust store entry `entry` (`kid (name)`), whose `private-key:` member is
    /// at `reference` (`keys/trust.yaml:12`): the message names the line to correct, since the file alone did not say
    /// which entry pointed at it (found in a key review). Same category as `error`.
    indirect case privateKeyFile(reference: String, entry: String, error: SigningError)

    /// The English text (also what logs show).
    public var description: String { message(in: .en) }
}

extension SigningError {
    /// The error about the key file itself: `error` of `privateKeyFile`, else this error.
    public var keyFileError: SigningError {
        if case let .privateKeyFile(_, _, error) = self { return error }
        return self
    }
}

extension SigningError: UserFacingError {
    /// Integrity failures (bad signature, a malformed JWS, an untrusted or unknown key) exit 4; a missing passphrase is
    /// a usage error (2); write failures are storage (5); unreadable keys, a wrong passphrase, an unsupported algorithm,
    /// an OpenSSL failure, files (the passphrase file too, a file named on the command line like any other) and trust
    /// stores are invalid input (3). A trust store with no key at all for the
    /// role asked for (`noUsableKey` with no candidate to refuse) is invalid input too (3): the set-up is incomplete,
    /// nothing failed a check; a key that is there but may not sign (revoked, expired, a demo key outside demo mode)
    /// stays an integrity failure (4). So is a key whose only defect is that its private-key file is not here
    /// (`noPrivateKeyFile`, 3).
    public var category: ProblemCategory {
        switch self {
        case let .privateKeyFile(_, _, error): return error.category
        case let .noUsableKey(_, reasons) where reasons.isEmpty: return .invalidInput
        case .noPrivateKeyFile: return .invalidInput
        case .signatureInvalid, .unknownKey, .keyNotTrusted, .noUsableKey, .malformedJWS: return .integrity
        case .passphraseUnavailable, .nameTaken: return .usage
        case .io: return .storage
        case .openssl, .invalidKey, .wrongPassphrase, .unsupportedAlgorithm, .invalidTrustStore, .unreadableFile,
             .unreadablePassphraseFile, .malformedSignature:
            return .invalidInput
        }
    }

    /// The message in `language`. OpenSSL's own detail texts and operating-system reasons stay as OpenSSL
    /// and the system give them; the frame around them is translated.
    public func message(in language: Language) -> String {
        let de = language == .de
        switch self {
        case let .openssl(operation, entries):
            let detail = entries.isEmpty ? (de ? "keine Angabe von OpenSSL" : "no detail from OpenSSL")
                : entries.map(\.description).joined(separator: "; ")
            return de ? "OpenSSL-Fehler in \(operation): \(detail)" : "OpenSSL failed in \(operation): \(detail)"
        case let .invalidKey(source, reason):
            return de ? "\(source): kein verwendbarer Schlüssel: \(reason.de)" : "\(source): not a usable key: \(reason.en)"
        case let .wrongPassphrase(source):
            return de ? "\(source): falsche Passphrase (der private Schlüssel ließ sich nicht entschlüsseln, oder die Datei ist beschädigt)"
                : "\(source): wrong passphrase (the private key did not decrypt, or the file is damaged)"
        case let .unsupportedAlgorithm(name):
            return de ? "nicht unterstützter Schlüsselalgorithmus: \(name) (nur Ed25519 und P-256)"
                : "unsupported key algorithm: \(name) (only Ed25519 and P-256)"
        case let .signatureInvalid(what):
            return de ? "Signatur ungültig: \(what.de)" : "signature invalid: \(what.en)"
        case let .malformedSignature(file, reason):
            return de ? "\(file): \(reason.de)" : "\(file): \(reason.en)"
        case let .malformedJWS(reason):
            return de ? "fehlerhafte JWS: \(reason.de)" : "malformed JWS: \(reason.en)"
        case let .unknownKey(kid):
            return de ? "unbekannte Schlüssel-ID \(kid): nicht im Trust-Store" : "unknown key id \(kid): not in the trust store"
        case let .keyNotTrusted(kid, reason):
            return de ? "Schlüssel \(kid) nicht vertrauenswürdig: \(reason.de)" : "key \(kid) not trusted: \(reason.en)"
        case let .noUsableKey(role, reasons):
            let list = reasons.map { de ? $0.de : $0.en }
            let tail = list.isEmpty
                ? (de ? "der Trust-Store enthält keinen Schlüssel mit dieser Rolle (anlegen mit consentgate keys generate --role \(role.rawValue))"
                      : "the trust store holds no key with this role (make one with consentgate keys generate --role \(role.rawValue))")
                : list.joined(separator: "; ")
            return de ? "kein verwendbarer Schlüssel für die Rolle \(role.rawValue): \(tail)"
                : "no usable key for role \(role.rawValue): \(tail)"
        case let .noPrivateKeyFile(role, keys):
            let list = keys.joined(separator: ", ")
            return de ? "kein verwendbarer Schlüssel für die Rolle \(role.rawValue): für \(list) ist keine private-key-Datei in dieser Installation (den Schlüssel mit seiner privaten Datei einrichten oder mit consentgate keys generate --role \(role.rawValue) einen neuen anlegen)"
                : "no usable key for role \(role.rawValue): \(list) has no private-key file in this installation (install the key with its private file, or make a new one with consentgate keys generate --role \(role.rawValue))"
        case let .invalidTrustStore(file, line, column, reason):
            var place = file
            if let line { place += ":\(line)" }
            if let column { place += ":\(column)" }
            return "\(place): \(de ? reason.de : reason.en)"
        case let .passphraseUnavailable(reason):
            return de ? "keine Passphrase: \(reason.de)" : "no passphrase: \(reason.en)"
        case let .unreadableFile(path, reason):
            return de ? "\(path): nicht lesbar: \(reason.de)" : "\(path): cannot be read: \(reason.en)"
        case let .unreadablePassphraseFile(path, reason):
            return de ? "Passphrasendatei \(path) nicht lesbar: \(reason.de)" : "passphrase file \(path) cannot be read: \(reason.en)"
        case let .io(path, reason):
            return de ? "\(path): Schreiben fehlgeschlagen: \(reason.de)" : "\(path): write failed: \(reason.en)"
        case let .privateKeyFile(reference, entry, error):
            return de ? "\(error.message(in: .de)) (\(reference): private-key von \(entry))"
                      : "\(error.message(in: .en)) (\(reference): private-key of \(entry))"
        case let .nameTaken(path):
            return de ? "\(path) gibt es inzwischen (ein anderer Vorgang hat die Datei angelegt, während diese geschrieben wurde); sie bleibt unverändert"
                      : "\(path) exists now (another process created it while this one was written); it is left as it is"
        }
    }
}

extension SigningError {
    /// Runs `body`, which reads the key of `source`; an `unsupportedAlgorithm` becomes `invalidKey` naming `source`, so
    /// the user learns which file holds the RSA (or other) key.
    static func namingKeyFile<R>(_ source: String, _ body: () throws -> R) throws -> R {
        do { return try body() } catch SigningError.unsupportedAlgorithm(let name) {
            throw SigningError.invalidKey(source: source, reason: text("unsupported key algorithm \(name) (only Ed25519 and P-256)",
                                                                     de: "nicht unterstützter Schlüsselalgorithmus \(name) (nur Ed25519 und P-256)"))
        }
    }
}

/// Shorthand for a text in both languages, English first as the code reads it.
func text(_ en: String, de: String) -> LocalizedText { LocalizedText(de: de, en: en) }
