import Foundation

/// The protected header of a ConsentGate JWS.
public struct JWSHeader: Sendable, Equatable, Codable {
    /// `Ed25519`, `EdDSA` (accepted when reading, RFC 8037) or `ES256`.
    public var alg: String
    /// The signer's key id (RFC 7638 thumbprint).
    public var kid: String?
    /// The document type, e.g. `consentgate-consent+json`.
    public var typ: String?

    /// A header with the given members.
    public init(alg: String, kid: String?, typ: String?) {
        self.alg = alg; self.kid = kid; self.typ = typ
    }
}

/// A JSON Web Signature in flattened JSON serialization (RFC 7515 §7.2.2).
///
/// Signing input is `ASCII(BASE64URL(protected) "." BASE64URL(payload))`; the protected header and payload
/// are kept as the exact base64url text received so verification never depends on re-encoding.
public struct JWS: Sendable, Equatable {
    /// The protected header, base64url as serialized.
    public let protectedB64: String
    /// The payload, base64url as serialized.
    public let payloadB64: String
    /// The signature bytes (Ed25519: 64 bytes; ES256: raw R‖S, 64 bytes).
    public let signature: [UInt8]
    /// The decoded protected header.
    public let header: JWSHeader
    /// The decoded payload bytes.
    public let payload: [UInt8]

    /// Upper bound on a serialized JWS ConsentGate accepts (a consent is a few kilobytes).
    public static let maximumSize = 1 << 20

    /// Signs `payload` with `key`, putting `kid` and `typ` in the protected header.
    public static func sign(payload: [UInt8], type: String?, key: PrivateKey) throws -> JWS {
        let header = JWSHeader(alg: key.algorithm.jwsAlgorithm, kid: key.publicKey.kid, typ: type)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let headerBytes = Array(try encoder.encode(header))
        let protectedB64 = Base64URL.encode(headerBytes)
        let payloadB64 = Base64URL.encode(payload)
        let input = Array((protectedB64 + "." + payloadB64).utf8)
        var sig = try key.signature(for: input)
        if key.algorithm == .p256 { sig = try ECDSASignatureFormat.rawFromDER(sig) }
        return JWS(protectedB64: protectedB64, payloadB64: payloadB64, signature: sig, header: header, payload: payload)
    }

    /// Parses a flattened JSON serialization. Rejects oversized input, unknown members, an unprotected
    /// `header` member, and missing or non-base64url parts.
    public init(flattened bytes: [UInt8]) throws {
        guard bytes.count <= Self.maximumSize else { throw SigningError.malformedJWS(text("larger than \(Self.maximumSize) bytes", de: "größer als \(Self.maximumSize) Bytes")) }
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: Data(bytes)) } catch {
            throw SigningError.malformedJWS(text("not JSON", de: "kein JSON"))
        }
        guard let dict = object as? [String: Any] else { throw SigningError.malformedJWS(text("not a JSON object", de: "kein JSON-Objekt")) }
        let unknown = Set(dict.keys).subtracting(["protected", "payload", "signature"])
        guard unknown.isEmpty else {
            let list = unknown.sorted().joined(separator: ", ")
            throw SigningError.malformedJWS(text("unexpected member(s) \(list); only protected, payload, signature are accepted",
                                                  de: "unerwartete(s) Element(e) \(list); erlaubt sind nur protected, payload, signature"))
        }
        guard let p = dict["protected"] as? String else { throw SigningError.malformedJWS(text("missing \"protected\"", de: "\"protected\" fehlt")) }
        guard let pl = dict["payload"] as? String else { throw SigningError.malformedJWS(text("missing \"payload\"", de: "\"payload\" fehlt")) }
        guard let s = dict["signature"] as? String else { throw SigningError.malformedJWS(text("missing \"signature\"", de: "\"signature\" fehlt")) }
        guard let headerBytes = Base64URL.decode(p) else { throw SigningError.malformedJWS(text("\"protected\" is not base64url", de: "\"protected\" ist kein base64url")) }
        guard let payload = Base64URL.decode(pl) else { throw SigningError.malformedJWS(text("\"payload\" is not base64url", de: "\"payload\" ist kein base64url")) }
        guard let sig = Base64URL.decode(s) else { throw SigningError.malformedJWS(text("\"signature\" is not base64url", de: "\"signature\" ist kein base64url")) }
        let header: JWSHeader
        do { header = try JSONDecoder().decode(JWSHeader.self, from: Data(headerBytes)) } catch {
            throw SigningError.malformedJWS(text("the protected header is not a JSON object with a string \"alg\"", de: "der geschützte Header ist kein JSON-Objekt mit einem Text-\"alg\""))
        }
        if let obj = try? JSONSerialization.jsonObject(with: Data(headerBytes)) as? [String: Any], obj["crit"] != nil {
            throw SigningError.malformedJWS(text("\"crit\" header parameters are not supported", de: "\"crit\"-Header-Parameter werden nicht unterstützt"))
        }
        self.init(protectedB64: p, payloadB64: pl, signature: sig, header: header, payload: payload)
    }

    /// A JWS from its parts, as parsed or signed.
    init(protectedB64: String, payloadB64: String, signature: [UInt8], header: JWSHeader, payload: [UInt8]) {
        self.protectedB64 = protectedB64
        self.payloadB64 = payloadB64
        self.signature = signature
        self.header = header
        self.payload = payload
    }

    /// The flattened JSON serialization, members in a fixed order.
    public var serialized: String {
        "{\"payload\":\"\(payloadB64)\",\"protected\":\"\(protectedB64)\",\"signature\":\"\(Base64URL.encode(signature))\"}"
    }

    /// The algorithm named by the header, mapping `EdDSA` to Ed25519.
    public var algorithm: SignatureAlgorithm? {
        switch header.alg {
        case "Ed25519", "EdDSA": return .ed25519
        case "ES256": return .p256
        default: return nil
        }
    }

    /// Verifies the signature with `key`; throws `signatureInvalid` with the reason when it does not hold.
    public func verify(with key: PublicKey) throws {
        guard let alg = algorithm else { throw SigningError.malformedJWS(text("unsupported alg \"\(header.alg)\" (Ed25519, EdDSA or ES256)", de: "nicht unterstützter alg \"\(header.alg)\" (Ed25519, EdDSA oder ES256)")) }
        guard alg == key.algorithm else {
            throw SigningError.signatureInvalid(text("header alg \(header.alg) does not match the \(key.algorithm.displayName) key \(key.kid)", de: "Header-alg \(header.alg) passt nicht zum \(key.algorithm.displayName)-Schlüssel \(key.kid)"))
        }
        let input = Array((protectedB64 + "." + payloadB64).utf8)
        let sig = alg == .p256 ? try ECDSASignatureFormat.derFromRaw(signature) : signature
        guard key.isValidSignature(sig, for: input) else {
            throw SigningError.signatureInvalid(text("the JWS signature does not verify with key \(key.kid)", de: "die JWS-Signatur lässt sich mit Schlüssel \(key.kid) nicht bestätigen"))
        }
    }
}
