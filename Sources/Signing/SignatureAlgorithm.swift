/// The signature algorithms ConsentGate signs with (CONTRACTS §2).
public enum SignatureAlgorithm: String, Sendable, CaseIterable, Codable {
    /// Ed25519 (RFC 8032): the default.
    case ed25519 = "ed25519"
    /// ECDSA over P-256 with SHA-256, for agencies whose PKI needs it.
    case p256 = "p256"

    /// The JWS `alg` value (RFC 9864 names Ed25519 `Ed25519`; RFC 7518 names P-256 `ES256`).
    public var jwsAlgorithm: String {
        switch self {
        case .ed25519: return "Ed25519"
        case .p256: return "ES256"
        }
    }

    /// The name shown to people: `Ed25519` or `ECDSA P-256`.
    public var displayName: String {
        switch self {
        case .ed25519: return "Ed25519"
        case .p256: return "ECDSA P-256"
        }
    }

    /// Parses a user-facing name (any case): `ed25519` or `eddsa`; `p256`, `p-256`, `es256`, `ecdsa-p256` or `ecdsa`.
    /// Nil for anything else. The trust file's `algorithm` and `keys generate --algorithm` are read with it.
    public init?(userName: String) {
        switch userName.lowercased() {
        case "ed25519", "eddsa": self = .ed25519
        case "p256", "p-256", "es256", "ecdsa-p256", "ecdsa": self = .p256
        default: return nil
        }
    }
}
