import AuditLog
import Diagnostics
import Foundation
import Gate
import Signing
import StrictJSON

/// What `audit verify` reports beside a passing verification, as information: the changes of the trust store (`--trust`)
/// that the database has not recorded yet (`Gate.unrecordedTrustChanges`), i.e. the `key-event`s the next open of the
/// installation will log. A key added to `keys/trust.yaml` counts from the moment the file says so (a `consent
/// import` accepts what it signed), but the log shows it only after that open; before, a passing `audit verify` did not
/// mention it, so a data protection officer learned of the key only from the next `key-event`, if they looked.
struct UnrecordedKeyEvents {
    /// The events, as the next open would log them.
    var events: [KeyEventRecord]
    /// The trust store the events come from (for the keys' names).
    var store: TrustStore

    /// The pending events of the trust store `o` names against the database of `log`; nil when that trust store cannot
    /// be loaded (the checkpoints were then verified with `--verifier-key` or `--public-key`, which need none).
    static func read(_ o: AuditKeyOptions, in log: AuditLogStore) throws -> UnrecordedKeyEvents? {
        guard let store = try? TrustStore.load(file: o.trust, demoMode: o.demo) else { return nil }
        return UnrecordedKeyEvents(events: try Gate.unrecordedTrustChanges(store, in: log), store: store)
    }

    /// `[{"event", "kid", "name" (absent for a removed key), "roles", "state"}]` for `--json` (`unrecorded-key-events`).
    var json: JSONValue {
        .array(events.map { e in
            var o: [String: JSONValue] = ["event": .string(e.event), "kid": .string(e.kid), "roles": .strings(e.roles)]
            if let name = name(e.kid) { o["name"] = .string(name) }
            if let state = e.reason { o["state"] = .string(state) }
            return .object(o)
        })
    }

    /// The note printed after the verification's summary: a header naming the trust store, one line per event.
    func text(trustFile: String, language: Language) -> String {
        let de = language == .de
        let header = de
            ? "Hinweis (kein Fehler): Der Trust-Store \(trustFile) wurde geändert, seit diese Datenbank ihn zuletzt festgehalten hat; das Protokoll enthält diese Änderungen noch nicht. Das nächste Öffnen der Installation (z. B. serve, check, consent, users, export) protokolliert sie als key-event:"
            : "note (no failure): the trust store \(trustFile) has changed since this database last recorded it; the log does not hold these changes yet. The next open of the installation (e.g. serve, check, consent, users, export) logs them as key-events:"
        return ([header] + events.map { "  - " + line($0, de: de) }).joined(separator: "\n")
    }

    private func line(_ e: KeyEventRecord, de: Bool) -> String {
        let roles = e.roles.joined(separator: ", ")
        let key = name(e.kid).map { de ? "Schlüssel \(e.kid) (\($0), Rollen: \(roles))" : "key \(e.kid) (\($0), roles: \(roles))" }
            ?? (de ? "Schlüssel \(e.kid) (Rollen: \(roles))" : "key \(e.kid) (roles: \(roles))")
        switch e.event {
        case "trusted": return de ? "\(key): neu hinzugekommen" : "\(key): added"
        case "revoked": return de ? "\(key): widerrufen (\(e.reason ?? ""))" : "\(key): revoked (\(e.reason ?? ""))"
        case "removed": return de ? "\(key): aus dem Trust-Store entfernt" : "\(key): removed from the trust store"
        default: return de ? "\(key): geändert, jetzt \(e.reason ?? "")" : "\(key): changed, now \(e.reason ?? "")"
        }
    }

    private func name(_ kid: String) -> String? { store.entries.first { $0.kid == kid }?.name }
}
