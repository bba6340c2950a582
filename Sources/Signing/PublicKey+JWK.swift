import COpenSSL
import Foundation

extension PublicKey {
    /// The DER prefix of a P-256 SubjectPublicKeyInfo before the 65-byte uncompressed point
    /// (SEQUENCE { SEQUENCE { id-ecPublicKey, prime256v1 }, BIT STRING }).
    private static let p256SPKIPrefix: [UInt8] = [
        0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a,
        0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00,
    ]

    /// Reads a public JWK (RFC 7517): `{"kty":"OKP","crv":"Ed25519","x":…}` or `{"kty":"EC","crv":"P-256",
    /// "x":…,"y":…}`, as other JOSE libraries publish keys. Other members (`kid`, `use`, …) are ignored;
    /// a private `d` member is refused so a private key is never mistaken for a public one.
    public init(jwk json: String) throws {
        func fail(_ en: String, _ de: String) -> SigningError { .invalidKey(source: "JWK", reason: text(en, de: de)) }
        guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else {
            throw fail("not a JSON object", "kein JSON-Objekt")
        }
        guard object["d"] == nil else { throw fail("holds a private key (d); give the public JWK", "enthält einen privaten Schlüssel (d); den öffentlichen JWK angeben") }
        func coordinate(_ name: String) throws -> [UInt8] {
            guard let s = object[name] as? String, let b = Base64URL.decode(s), b.count == 32 else {
                throw fail("member \(name) is not 32 bytes of base64url", "Element \(name) ist nicht 32 Bytes base64url")
            }
            return b
        }
        switch (object["kty"] as? String, object["crv"] as? String) {
        case ("OKP", "Ed25519"):
            try self.init(ed25519Raw: coordinate("x"))
        case ("EC", "P-256"):
            let der = Self.p256SPKIPrefix + [0x04] + (try coordinate("x")) + (try coordinate("y"))
            let parsed: OpaquePointer? = der.withUnsafeBufferPointer { buf in
                var p: UnsafePointer<UInt8>? = buf.baseAddress
                return d2i_PUBKEY(nil, &p, buf.count)
            }
            guard let parsed else {
                OpenSSLErrorQueue.clear()
                throw fail("x and y are not a point on P-256", "x und y sind kein Punkt auf P-256")
            }
            try self.init(key: EVPKey(taking: parsed))
        default:
            throw fail("only OKP/Ed25519 and EC/P-256 keys are supported", "nur OKP/Ed25519- und EC/P-256-Schlüssel werden unterstützt")
        }
    }
}
