import Diagnostics

/// RFC 7638 JWK thumbprints: SHA-256 over the required JWK members in lexicographic order, no whitespace.
public enum JWKThumbprint {
    /// The canonical JSON of `members` (sorted by name, strings JSON-escaped, no whitespace), e.g.
    /// `{"crv":"Ed25519","kty":"OKP","x":"..."}`. RFC 7638 §3.2.
    public static func canonicalJSON(members: [(String, String)]) -> String {
        let sorted = members.sorted { Array($0.0.utf16).lexicographicallyPrecedes(Array($1.0.utf16)) }
        return "{" + sorted.map { "\(quote($0.0)):\(quote($0.1))" }.joined(separator: ",") + "}"
    }

    /// The base64url SHA-256 thumbprint of a JWK given by its required members (any key type, e.g. RSA
    /// `e`, `kty`, `n`; OKP `crv`, `kty`, `x`; EC `crv`, `kty`, `x`, `y`).
    public static func compute(members: [(String, String)]) -> String {
        Base64URL.encode(SHA256.hash(Array(canonicalJSON(members: members).utf8)))
    }

    /// A JSON string literal (the project's one escaper).
    static func quote(_ s: String) -> String { JSONStringEscaping.quoted(s) }
}
