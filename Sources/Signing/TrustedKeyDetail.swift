import Foundation

/// One trust store entry in full, as `consentgate keys show --json` and `GET /v1/keys/{kid}` show it: the
/// `TrustedKeySummary` members plus the public key as JWK (`jwk`) and as PEM (`public-key-pem`). The kid is the key's
/// SHA-256 fingerprint (the RFC 7638 thumbprint of that JWK), so whoever holds the PEM can check it.
///
/// Public parts only: no private key file, no private key material.
public struct TrustedKeyDetail: Encodable, Sendable, Equatable {
    /// What a listing shows of the key.
    public let summary: TrustedKeySummary
    /// The public key as a JWK (`crv`, `kty`, `x`, and `y` for P-256).
    public let jwk: [String: String]
    /// The public key as PEM (SubjectPublicKeyInfo, `-----BEGIN PUBLIC KEY-----`).
    public let publicKeyPEM: String

    enum CodingKeys: String, CodingKey { case jwk, publicKeyPEM = "public-key-pem" }

    /// The detail of `key` with its state at `time`.
    public init(_ key: TrustedKey, at time: Date) {
        summary = TrustedKeySummary(key, at: time)
        // The JWK's members are all strings (`PublicKey.jwkJSON`); an empty object cannot happen for a loaded key.
        jwk = (try? JSONDecoder().decode([String: String].self, from: Data(key.publicKey.jwkJSON.utf8))) ?? [:]
        publicKeyPEM = key.publicKey.pem
    }

    /// The summary's members and `jwk`, `public-key-pem` in one flat object.
    public func encode(to encoder: any Encoder) throws {
        try summary.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(jwk, forKey: .jwk)
        try c.encode(publicKeyPEM, forKey: .publicKeyPEM)
    }
}
