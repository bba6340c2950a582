import Foundation

/// A trust store entry as listings show it: kid, name, algorithm, roles, validity window (RFC 3339 UTC), revocation,
/// demo flag, state at a time, and the public key file. The one shape of a key in `consentgate keys list --json` /
/// `keys show --json` and in the web service's `GET /v1/keys` / `GET /v1/keys/{kid}`, so the two never drift apart.
///
/// Deliberately without the private key file: its path is the CLI's business on the machine that holds the key (the
/// CLI adds it, `private-key`); what leaves the service never names it, and never any private key material.
public struct TrustedKeySummary: Encodable, Sendable, Equatable {
    /// The RFC 7638 thumbprint of the public key (SHA-256, base64url): also the key's fingerprint.
    public let kid: String
    /// The name for people.
    public let name: String
    /// `ed25519` or `p256`.
    public let algorithm: String
    /// The roles, in `KeyRole.allCases` order.
    public let roles: [String]
    /// Start of the validity window (inclusive), RFC 3339 UTC.
    public let notBefore: String
    /// End of the validity window (exclusive), RFC 3339 UTC.
    public let notAfter: String
    /// When the key was revoked (RFC 3339 UTC), absent when it was not.
    public let revokedAt: String?
    /// Whether it is one of the demo keys shipped with the repository (refused outside demo mode).
    public let demo: Bool
    /// `valid`, `not-yet-valid`, `expired` or `revoked` at the time asked for (`TrustedKey.state(at:)`).
    public let state: String
    /// The public key file as the trust store names it (relative to the store's folder, or absolute).
    public let publicKey: String

    enum CodingKeys: String, CodingKey {
        case kid, name, algorithm, roles, demo, state
        case notBefore = "not-before", notAfter = "not-after", revokedAt = "revoked-at", publicKey = "public-key"
    }

    /// The summary of `key` with its state at `time`.
    public init(_ key: TrustedKey, at time: Date) {
        kid = key.kid
        name = key.name
        algorithm = key.algorithm.rawValue
        roles = KeyRole.allCases.filter { key.roles.contains($0) }.map(\.rawValue)
        notBefore = RFC3339.format(key.notBefore)
        notAfter = RFC3339.format(key.notAfter)
        revokedAt = key.revokedAt.map(RFC3339.format)
        demo = key.demo
        state = key.state(at: time)
        publicKey = key.publicKeyFile
    }

    /// The encoder of every listing: members sorted (the same order on every answer), slashes not escaped.
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
