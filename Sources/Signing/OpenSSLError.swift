import COpenSSL
import Diagnostics

/// One entry of OpenSSL's thread-local error queue.
public struct OpenSSLErrorEntry: Sendable, Equatable, CustomStringConvertible {
    /// The packed OpenSSL error code.
    public let code: UInt
    /// OpenSSL's own text for the code ("bad decrypt", ...).
    public let reason: String
    /// The OpenSSL source file and line that raised it, for bug reports.
    public let file: String
    public let line: Int

    public var description: String { "\(reason) (\(file):\(line))" }
}

/// Errors raised by the cryptography module. Each carries what a user needs to act on it.
public enum SigningError: Error, Sendable, Equatable, CustomStringConvertible {
    /// An OpenSSL call failed; `entries` is the whole drained error queue, oldest first.
    case openssl(operation: String, entries: [OpenSSLErrorEntry])
    /// A PEM or key file could not be read as a key of the expected kind.
    case invalidKey(source: String, reason: String)
    /// The passphrase did not decrypt the private key.
    case wrongPassphrase(source: String)
    /// The key uses an algorithm ConsentGate does not sign with.
    case unsupportedAlgorithm(String)
    /// A signature did not verify.
    case signatureInvalid(String)
    /// A JWS could not be parsed or is not acceptable.
    case malformedJWS(String)
    /// A key id is not in the trust store.
    case unknownKey(kid: String)
    /// A key exists but may not be used for this role at this time.
    case keyNotTrusted(kid: String, reason: String)
    /// The trust store file is invalid.
    case invalidTrustStore(file: String, line: Int?, reason: String)
    /// A passphrase could not be obtained.
    case passphraseUnavailable(String)
    /// A file could not be read or written.
    case io(path: String, reason: String)

    public var description: String {
        switch self {
        case let .openssl(operation, entries):
            let detail = entries.isEmpty ? "no detail from OpenSSL" : entries.map(\.description).joined(separator: "; ")
            return "OpenSSL failed in \(operation): \(detail)"
        case let .invalidKey(source, reason): return "\(source): not a usable key: \(reason)"
        case let .wrongPassphrase(source): return "\(source): wrong passphrase (the private key did not decrypt)"
        case let .unsupportedAlgorithm(name): return "unsupported key algorithm: \(name)"
        case let .signatureInvalid(what): return "signature invalid: \(what)"
        case let .malformedJWS(reason): return "malformed JWS: \(reason)"
        case let .unknownKey(kid): return "unknown key id \(kid): not in the trust store"
        case let .keyNotTrusted(kid, reason): return "key \(kid) not trusted: \(reason)"
        case let .invalidTrustStore(file, line, reason):
            return "\(file)\(line.map { ":\($0)" } ?? ""): \(reason)"
        case let .passphraseUnavailable(reason): return "no passphrase: \(reason)"
        case let .io(path, reason): return "\(path): \(reason)"
        }
    }

    /// Drains OpenSSL's error queue into an `.openssl` error for `operation`.
    static func drain(_ operation: String) -> SigningError {
        .openssl(operation: operation, entries: OpenSSLErrorQueue.drain())
    }
}

/// Reads and clears OpenSSL's thread-local error queue.
enum OpenSSLErrorQueue {
    static func drain() -> [OpenSSLErrorEntry] {
        var entries: [OpenSSLErrorEntry] = []
        while true {
            var file: UnsafePointer<CChar>? = nil
            var line: Int32 = 0
            let code = ERR_get_error_all(&file, &line, nil, nil, nil)
            if code == 0 { break }
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            let text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            let reason = ERR_reason_error_string(code).map { String(cString: $0) } ?? text
            entries.append(OpenSSLErrorEntry(code: code, reason: reason,
                                             file: file.map { String(cString: $0) } ?? "?", line: Int(line)))
        }
        return entries
    }

    static func clear() { ERR_clear_error() }
}

extension SigningError: UserFacingError {
    /// Integrity failures (bad signature, untrusted key) exit 4; unreadable keys and files exit 3.
    public var category: ProblemCategory {
        switch self {
        case .signatureInvalid, .unknownKey, .keyNotTrusted, .malformedJWS: return .integrity
        case .io: return .storage
        default: return .invalidInput
        }
    }

    public func message(in language: Language) -> String {
        // English detail from OpenSSL stays English; the frame is translated.
        guard language == .de else { return description }
        switch self {
        case let .wrongPassphrase(source): return "\(source): falsche Passphrase (der private Schlüssel ließ sich nicht entschlüsseln)"
        case let .invalidKey(source, reason): return "\(source): kein verwendbarer Schlüssel: \(reason)"
        case let .signatureInvalid(what): return "Signatur ungültig: \(what)"
        case let .unknownKey(kid): return "unbekannte Schlüssel-ID \(kid): nicht im Trust-Store"
        case let .keyNotTrusted(kid, reason): return "Schlüssel \(kid) nicht vertrauenswürdig: \(reason)"
        case let .malformedJWS(reason): return "fehlerhafte JWS: \(reason)"
        case let .io(path, reason): return "\(path): \(reason)"
        default: return description
        }
    }
}
