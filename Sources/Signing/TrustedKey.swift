import Diagnostics
import Foundation

/// One key in the trust store: who it is, what it may sign, and when.
public struct TrustedKey: Sendable {
    /// The RFC 7638 thumbprint of `publicKey` (checked when the store is loaded).
    public var kid: String
    /// A name for people, e.g. "Kreis Rhein-Sieg consent signer 2026".
    public var name: String
    /// The public key.
    public var publicKey: PublicKey
    /// The public key file, relative to the trust store's folder (or absolute).
    public var publicKeyFile: String
    /// The encrypted private key file, relative to the trust store's folder, where this installation holds it.
    public var privateKeyFile: String?
    /// What the key may sign.
    public var roles: Set<KeyRole>
    /// Start of the validity window (inclusive).
    public var notBefore: Date
    /// End of the validity window (exclusive).
    public var notAfter: Date
    /// When the key was revoked: signatures made at or after this time do not count.
    public var revokedAt: Date?
    /// Demo keys ship with the repository; they are refused unless demo mode is on. Set by the entry's `demo: true`,
    /// and always for a key of `ShippedDemoKeys`.
    public var demo: Bool

    /// The key's algorithm.
    public var algorithm: SignatureAlgorithm { publicKey.algorithm }

    /// A trust store entry; `kid` must be `publicKey.kid` (the loader checks it for files).
    public init(kid: String, name: String, publicKey: PublicKey, publicKeyFile: String, privateKeyFile: String?,
                roles: Set<KeyRole>, notBefore: Date, notAfter: Date, revokedAt: Date?, demo: Bool) {
        self.kid = kid; self.name = name; self.publicKey = publicKey; self.publicKeyFile = publicKeyFile
        self.privateKeyFile = privateKeyFile; self.roles = roles; self.notBefore = notBefore
        self.notAfter = notAfter; self.revokedAt = revokedAt; self.demo = demo
    }

    /// Why this key may not be used for `role` (nil: any role) at `time`, or nil when it may.
    /// Checks, in order: demo key outside demo mode, role (an `audit-log` key must be Ed25519), validity window,
    /// revocation.
    public func refusal(role: KeyRole?, at time: Date, demoMode: Bool) -> LocalizedText? {
        if demo && !demoMode {
            if ShippedDemoKeys.kids.contains(kid) {
                return text("demo key refused outside demo mode (use --demo for the demo): it is shipped with ConsentGate in keys/demo/, its private key and passphrase are public, whatever the trust store entry says",
                            de: "Demo-Schlüssel außerhalb des Demo-Modus abgelehnt (für die Demo --demo angeben): er wird mit ConsentGate in keys/demo/ ausgeliefert, sein privater Schlüssel und seine Passphrase sind öffentlich, gleich was der Eintrag im Trust-Store sagt")
            }
            return text("demo key refused outside demo mode (use --demo for the demo)",
                        de: "Demo-Schlüssel außerhalb des Demo-Modus abgelehnt (für die Demo --demo angeben)")
        }
        if let role, !roles.contains(role) {
            let has = roles.map(\.rawValue).sorted().joined(separator: ", ")
            return text("the key lacks role \(role.rawValue) (it has: \(has))",
                        de: "dem Schlüssel fehlt die Rolle \(role.rawValue) (er hat: \(has))")
        }
        // The audit log's only signature is the checkpoint, a C2SP signed note, and signed notes are Ed25519 (CONTRACTS §6).
        if role == .auditLog, algorithm != .ed25519 {
            return text("an audit-log key must be Ed25519: checkpoints are C2SP signed notes; this key is \(algorithm.displayName)",
                        de: "ein audit-log-Schlüssel muss Ed25519 sein: Checkpoints sind signierte C2SP-Notizen; dieser Schlüssel ist \(algorithm.displayName)")
        }
        if time < notBefore {
            return text("\(RFC3339.format(time)) is before the key's not-before \(RFC3339.format(notBefore))",
                        de: "\(RFC3339.format(time)) liegt vor dem Gültigkeitsbeginn (not-before) \(RFC3339.format(notBefore))")
        }
        if time >= notAfter {
            return text("\(RFC3339.format(time)) is at or after the key's not-after \(RFC3339.format(notAfter))",
                        de: "\(RFC3339.format(time)) liegt am oder nach dem Gültigkeitsende (not-after) \(RFC3339.format(notAfter))")
        }
        if let revokedAt, time >= revokedAt {
            return text("the key was revoked at \(RFC3339.format(revokedAt))",
                        de: "der Schlüssel wurde am \(RFC3339.format(revokedAt)) widerrufen")
        }
        return nil
    }

    /// A one-word state at `time` for listings: `valid`, `not-yet-valid`, `expired`, `revoked`.
    public func state(at time: Date) -> String {
        if let revokedAt, time >= revokedAt { return "revoked" }
        if time < notBefore { return "not-yet-valid" }
        if time >= notAfter { return "expired" }
        return "valid"
    }
}
