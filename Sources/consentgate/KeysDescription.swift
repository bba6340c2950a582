import Diagnostics
import Foundation
import Signing

/// How a trust store entry is shown by `keys list` and `keys show`.
enum KeysDescription {
    /// The entry as a JSON object (times RFC 3339 UTC; absent values omitted): `TrustedKeySummary`, the shape the web
    /// service's `GET /v1/keys` answers with too, plus the private key file where this installation holds one.
    static func json(_ key: TrustedKey, at time: Date, store: TrustStore) -> [String: Any] {
        var out = object(TrustedKeySummary(key, at: time))
        if let p = key.privateKeyFile { out["private-key"] = p }
        if let protection = protection(key, store: store) { out["private-key-protection"] = json(protection) }
        return out
    }

    /// The entry in full for `keys show --json`: `TrustedKeyDetail` (with `jwk` and `public-key-pem`, as
    /// `GET /v1/keys/{kid}` answers), plus the private key file where this installation holds one.
    static func detailJSON(_ key: TrustedKey, at time: Date, store: TrustStore) -> [String: Any] {
        var out = object(TrustedKeyDetail(key, at: time))
        if let p = key.privateKeyFile { out["private-key"] = p }
        if let protection = protection(key, store: store) { out["private-key-protection"] = json(protection) }
        return out
    }

    /// How the entry's private key file here is encrypted (read without the passphrase), or nil when there is none or
    /// it cannot be read as an encrypted PKCS#8 file (opening it says why).
    static func protection(_ key: TrustedKey, store: TrustStore) -> KeyFileProtection? {
        key.privateKeyFile.flatMap { KeyFileProtection(file: store.resolve($0)) }
    }

    /// `private-key-protection` of the JSON outputs: `cipher`, `kdf` (`pbkdf2`, `scrypt` or the old scheme's name),
    /// its work factors, and `weaknesses` (English, empty when none).
    static func json(_ p: KeyFileProtection) -> [String: Any] {
        var out: [String: Any] = ["cipher": p.cipher, "weaknesses": p.weaknesses.map(\.en)]
        switch p.derivation {
        case let .pbkdf2(iterations, prf): out["kdf"] = "pbkdf2"; out["prf"] = prf; out["iterations"] = iterations
        case let .scrypt(n, r, pp): out["kdf"] = "scrypt"; out["n"] = n; out["r"] = r; out["p"] = pp
        case let .legacy(scheme, iterations): out["kdf"] = scheme; out["iterations"] = iterations
        }
        return out
    }

    /// Warns on stderr when the entry's private key file is weakly encrypted (`KeyFileProtection.weaknesses`): what
    /// is weak and the `openssl` command that re-encrypts it as ConsentGate writes keys.
    static func warnIfWeak(_ key: TrustedKey, store: TrustStore) {
        guard let file = key.privateKeyFile, let protection = protection(key, store: store), !protection.weaknesses.isEmpty else { return }
        let path = store.resolve(file)
        let advice = protection.advice(for: path)
        KeysRunner.warn("the private key file \(path) of key \(key.kid) (\(shownName(key))) \(advice.en)",
                        de: "die private Schlüsseldatei \(path) des Schlüssels \(key.kid) (\(shownName(key))) \(advice.de)")
    }

    /// `value` encoded by the shared encoder and read back as an object, for `KeysRunner.printJSON`.
    private static func object(_ value: some Encodable) -> [String: Any] {
        // Encoding a struct of strings, string arrays and a bool cannot fail.
        let data = (try? TrustedKeySummary.encoder().encode(value)) ?? Data("{}".utf8)
        return ((try? JSONSerialization.jsonObject(with: data)) as? [String: Any]) ?? [:]
    }

    /// A key's name as `keys list`, `keys show` and warnings print it: control and text-direction characters escaped, so
    /// that a name from the file (`"…\e[2K\r…"` in quotes) cannot erase or forge a row of the list under review (consent
    /// review, session 40, L1; the file may hold such a name, `keys generate --name` refuses one).
    static func shownName(_ key: TrustedKey) -> String { ShownValue.text(key.name, language: KeysRunner.language, keep: 1_000) }

    /// One line for `keys list`.
    static func line(_ key: TrustedKey, at time: Date) -> String {
        let roles = KeyRole.allCases.filter { key.roles.contains($0) }.map(\.rawValue).joined(separator: ",")
        let demo = key.demo ? "  [demo]" : ""
        return "\(key.kid)  \(key.algorithm.rawValue)  \(roles)  \(RFC3339.format(key.notBefore))..\(RFC3339.format(key.notAfter))  \(localizedState(key.state(at: time)))  \(shownName(key))\(demo)"
    }

    /// The state word in the user's language.
    static func localizedState(_ state: String) -> String {
        guard KeysRunner.language == .de else { return state }
        switch state {
        case "valid": return "gültig"
        case "not-yet-valid": return "noch-nicht-gültig"
        case "expired": return "abgelaufen"
        case "revoked": return "widerrufen"
        default: return state
        }
    }
}
