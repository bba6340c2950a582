import Diagnostics
import Foundation
import Gate
import Logging
import Signing

/// Tells the service's log when no key may sign for a role the service signs with, and some days before the key that
/// signs now reaches its `not-after` with no successor in force from then on.
///
/// Why: when the consent signer expires (the docs rely on a calendar entry) or is revoked, every recording of a consent
/// or a withdrawal fails; before, nothing in the log or in `/metrics` showed it (found in a key review). Checked with the
/// trust store watch (every 10 s in `serve`); nothing is decrypted. Each state is logged once, when it begins: an error
/// when a role loses its last usable key (with the key ring's reason), an info line when one may sign again, and a warning
/// per key and role `expiryWarning` before the key's `not-after`.
struct SigningKeyWatchLog: Sendable {
    /// The roles whose keys are watched: those the service signs with (the audit log's key has its own 503 and gauge,
    /// but its end of validity is warned of here too).
    static let roles: [KeyRole] = [.consentSigner, .exportSigner, .auditLog]
    /// How long before a key's `not-after` the warning comes, when no successor is in force at that time.
    static let expiryWarning: TimeInterval = 14 * 86_400

    /// The roles reported as having no usable key.
    private var unusable: Set<KeyRole> = []
    /// The `role kid` pairs whose coming end was warned of.
    private var warned: Set<String> = []
    /// The key files whose encryption was looked at (by kid and path), each once per run of the service.
    private var protectionChecked: Set<String> = []

    init() {}

    /// Looks at the keys of `gate` at `now` and logs what changed since the last look.
    mutating func report(_ gate: Gate, at now: Date = Date(), to logger: Logger) {
        reportWeakKeyFiles(gate.trustStore, to: logger)
        for role in Self.roles {
            // The audit log's unusable key is answered (503 `audit-log-unavailable`) and logged per request already; an
            // export signer only where the trust store has one at all (an installation that does not export has none).
            let used = role == .consentSigner || gate.trustStore.entries.contains { $0.roles.contains(role) }
            if role != .auditLog && used {
                if let problem = gate.signingKeyProblem(for: role, at: now) {
                    if unusable.insert(role).inserted {
                        logger.error("no usable key for role \(role.rawValue); nothing can be signed for it until a usable key is set up (consentgate keys generate; a trust store edited since the start counts after a restart of serve; docs/keys.md)",
                                     metadata: ["role": "\(role.rawValue)", "error": "\(TrustStoreWatchLog.describe(problem))"])
                    }
                    continue
                }
                if unusable.remove(role) != nil {
                    logger.info("a key for role \(role.rawValue) may sign again", metadata: ["role": "\(role.rawValue)"])
                }
            }
            guard let entry = try? gate.keyRing.usableEntry(for: role, at: now),
                  entry.notAfter.timeIntervalSince(now) < Self.expiryWarning,
                  (try? gate.keyRing.usableEntry(for: role, at: entry.notAfter)) == nil,
                  warned.insert("\(role.rawValue) \(entry.kid)").inserted else { continue }
            let days = Int((entry.notAfter.timeIntervalSince(now) / 86_400).rounded(.down))
            let when = days == 0 ? "in less than a day" : days == 1 ? "in 1 day" : "in \(days) days"
            logger.warning("the key for role \(role.rawValue) reaches its not-after \(when), and no other key of the role is in force then; generate its successor (consentgate keys generate --role \(role.rawValue), docs/keys.md)",
                           metadata: ["role": "\(role.rawValue)", "kid": "\(entry.kid)", "name": "\(entry.name)",
                                      "not-after": "\(RFC3339.format(entry.notAfter))"])
        }
    }

    /// Warns once per key file that its encryption is weaker than ConsentGate writes (`KeyFileProtection`: read without
    /// the passphrase), with what is weak and the command that re-encrypts it; a key review found such files were opened
    /// without a word. A key a trust store edited meanwhile names with another file is looked at again.
    private mutating func reportWeakKeyFiles(_ store: TrustStore, to logger: Logger) {
        for entry in store.entries {
            guard let file = entry.privateKeyFile else { continue }
            let path = store.resolve(file)
            guard protectionChecked.insert("\(entry.kid) \(path)").inserted,
                  let protection = KeyFileProtection(file: path), !protection.weaknesses.isEmpty else { continue }
            logger.warning("the private key file of key \(entry.kid) \(protection.advice(for: path).en)",
                           metadata: ["kid": "\(entry.kid)", "name": "\(entry.name)", "file": "\(path)",
                                      "encryption": "\(protection.summary.en)"])
        }
    }
}
