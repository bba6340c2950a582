import Foundation

/// What a key may sign (CONTRACTS §2).
public enum KeyRole: String, Sendable, Codable, CaseIterable {
    case consentSigner = "consent-signer"
    case policySigner = "policy-signer"
    case auditLog = "audit-log"
    case exportSigner = "export-signer"
}

/// One key in the trust store.
public struct TrustedKey: Sendable {
    public var kid: String
    public var name: String
    public var publicKey: PublicKey
    /// The public key file, relative to the trust store's folder.
    public var publicKeyFile: String
    /// The encrypted private key file, relative to the trust store's folder, where this installation holds it.
    public var privateKeyFile: String?
    public var roles: Set<KeyRole>
    public var notBefore: Date
    public var notAfter: Date
    public var revokedAt: Date?
    /// Demo keys ship with the repository; they are refused unless demo mode is on.
    public var demo: Bool

    public init(kid: String, name: String, publicKey: PublicKey, publicKeyFile: String, privateKeyFile: String?,
                roles: Set<KeyRole>, notBefore: Date, notAfter: Date, revokedAt: Date?, demo: Bool) {
        self.kid = kid; self.name = name; self.publicKey = publicKey; self.publicKeyFile = publicKeyFile
        self.privateKeyFile = privateKeyFile; self.roles = roles; self.notBefore = notBefore
        self.notAfter = notAfter; self.revokedAt = revokedAt; self.demo = demo
    }
}

/// The set of keys this installation trusts, from `keys/trust.yaml`.
public struct TrustStore: Sendable {
    /// The keys by kid.
    public private(set) var keys: [String: TrustedKey]
    /// Whether demo keys are accepted.
    public var demoMode: Bool

    public init(keys: [TrustedKey], demoMode: Bool) {
        self.keys = Dictionary(keys.map { ($0.kid, $0) }, uniquingKeysWith: { a, _ in a })
        self.demoMode = demoMode
    }

    /// The public key for `kid` if that key had `role` and was valid (inside its window, not revoked,
    /// not a refused demo key) at `time`; otherwise throws `unknownKey` or `keyNotTrusted` saying why.
    public func key(kid: String, role: KeyRole, at time: Date) throws -> PublicKey {
        guard let key = keys[kid] else { throw SigningError.unknownKey(kid: kid) }
        if key.demo && !demoMode { throw SigningError.keyNotTrusted(kid: kid, reason: "demo key refused outside demo mode (use --demo)") }
        guard key.roles.contains(role) else {
            throw SigningError.keyNotTrusted(kid: kid, reason: "key lacks role \(role.rawValue) (has \(key.roles.map(\.rawValue).sorted().joined(separator: ", ")))")
        }
        guard time >= key.notBefore else { throw SigningError.keyNotTrusted(kid: kid, reason: "signed before the key's not-before \(RFC3339.format(key.notBefore))") }
        guard time < key.notAfter else { throw SigningError.keyNotTrusted(kid: kid, reason: "signed at or after the key's not-after \(RFC3339.format(key.notAfter))") }
        if let revoked = key.revokedAt, time >= revoked {
            throw SigningError.keyNotTrusted(kid: kid, reason: "key revoked at \(RFC3339.format(revoked))")
        }
        return key.publicKey
    }

    /// Verifies `jws` against the key its header names, which must have had `role` at `signedAt`.
    public func verify(_ jws: JWS, role: KeyRole, signedAt: Date) throws {
        guard let kid = jws.header.kid else { throw SigningError.malformedJWS("protected header has no \"kid\"") }
        let key = try key(kid: kid, role: role, at: signedAt)
        try jws.verify(with: key)
    }
}
