import Foundation
import Signing

/// How a trust store entry is shown by `keys list` and `keys show`.
enum KeysDescription {
    /// The entry as a JSON object (times RFC 3339 UTC; absent values omitted).
    static func json(_ key: TrustedKey, at time: Date) -> [String: Any] {
        var out: [String: Any] = [
            "kid": key.kid, "name": key.name, "algorithm": key.algorithm.rawValue,
            "roles": KeyRole.allCases.filter { key.roles.contains($0) }.map(\.rawValue),
            "not-before": RFC3339.format(key.notBefore), "not-after": RFC3339.format(key.notAfter),
            "demo": key.demo, "state": key.state(at: time), "public-key": key.publicKeyFile,
        ]
        if let r = key.revokedAt { out["revoked-at"] = RFC3339.format(r) }
        if let p = key.privateKeyFile { out["private-key"] = p }
        return out
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
