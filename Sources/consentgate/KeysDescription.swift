import Foundation
import Signing

/// How a trust store entry is shown by `keys list` and `keys show`.
enum KeysDescription {
    /// The entry as a JSON object (times RFC 3339 UTC; absent values omitted): `TrustedKeySummary`, the shape the web
    /// service's `GET /v1/keys` answers with too, plus the private key file where this installation holds one.
    static func json(_ key: TrustedKey, at time: Date) -> [String: Any] {
        var out = object(TrustedKeySummary(key, at: time))
        if let p = key.privateKeyFile { out["private-key"] = p }
        return out
    }

    /// The entry in full for `keys show --json`: `TrustedKeyDetail` (with `jwk` and `public-key-pem`, as
    /// `GET /v1/keys/{kid}` answers), plus the private key file where this installation holds one.
    static func detailJSON(_ key: TrustedKey, at time: Date) -> [String: Any] {
        var out = object(TrustedKeyDetail(key, at: time))
        if let p = key.privateKeyFile { out["private-key"] = p }
        return out
    }

    /// `value` encoded by the shared encoder and read back as an object, for `KeysRunner.printJSON`.
    private static func object(_ value: some Encodable) -> [String: Any] {
        // Encoding a struct of strings, string arrays and a bool cannot fail.
        let data = (try? TrustedKeySummary.encoder().encode(value)) ?? Data("{}".utf8)
        return ((try? JSONSerialization.jsonObject(with: data)) as? [String: Any]) ?? [:]
    }

    /// One line for `keys list`.
    static func line(_ key: TrustedKey, at time: Date) -> String {
        let roles = KeyRole.allCases.filter { key.roles.contains($0) }.map(\.rawValue).joined(separator: ",")
        let demo = key.demo ? "  [demo]" : ""
        return "\(key.kid)  \(key.algorithm.rawValue)  \(roles)  \(RFC3339.format(key.notBefore))..\(RFC3339.format(key.notAfter))  \(localizedState(key.state(at: time)))  \(key.name)\(demo)"
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
