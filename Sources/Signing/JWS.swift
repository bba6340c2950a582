import Foundation

/// The protected header of a ConsentGate JWS.
public struct JWSHeader: Sendable, Equatable, Codable {
    /// `Ed25519`, `EdDSA` (accepted when reading, RFC 8037) or `ES256`.
    public var alg: String
    /// The signer's key id (RFC 7638 thumbprint).
    public var kid: String?
    /// The document type, e.g. `consentgate-consent+json`.
    public var typ: String?

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
        guard bytes.count <= Self.maximumSize else { throw SigningError.malformedJWS("larger than \(Self.maximumSize) bytes") }
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: Data(bytes)) } catch {
            throw SigningError.malformedJWS("not JSON: \(error.localizedDescription)")
        }
        guard let dict = object as? [String: Any] else { throw SigningError.malformedJWS("not a JSON object") }
        let unknown = Set(dict.keys).subtracting(["protected", "payload", "signature"])
        guard unknown.isEmpty else {
            throw SigningError.malformedJWS("unexpected member(s) \(unknown.sorted().joined(separator: ", ")); only protected, payload, signature are accepted")
        }
        guard let p = dict["protected"] as? String else { throw SigningError.malformedJWS("missing \"protected\"") }
        guard let pl = dict["payload"] as? String else { throw SigningError.malformedJWS("missing \"payload\"") }
        guard let s = dict["signature"] as? String else { throw SigningError.malformedJWS("missing \"signature\"") }
        guard let headerBytes = Base64URL.decode(p) else { throw SigningError.malformedJWS("\"protected\" is not base64url") }
        guard let payload = Base64URL.decode(pl) else { throw SigningError.malformedJWS("\"payload\" is not base64url") }
        guard let sig = Base64URL.decode(s) else { throw SigningError.malformedJWS("\"signature\" is not base64url") }
        let header: JWSHeader
        do { header = try JSONDecoder().decode(JWSHeader.self, from: Data(headerBytes)) } catch {
            throw SigningError.malformedJWS("protected header is not a JSON object with a string \"alg\"")
        }
        if let obj = try? JSONSerialization.jsonObject(with: Data(headerBytes)) as? [String: Any], obj["crit"] != nil {
            throw SigningError.malformedJWS("\"crit\" header parameters are not supported")
        }
        self.init(protectedB64: p, payloadB64: pl, signature: sig, header: header, payload: payload)
    }

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
        guard let alg = algorithm else { throw SigningError.malformedJWS("unsupported alg \"\(header.alg)\"") }
        guard alg == key.algorithm else {
            throw SigningError.signatureInvalid("header alg \(header.alg) does not match the \(key.algorithm.rawValue) key")
        }
        let input = Array((protectedB64 + "." + payloadB64).utf8)
        let sig = alg == .p256 ? try ECDSASignatureFormat.derFromRaw(signature) : signature
        guard key.isValidSignature(sig, for: input) else {
            throw SigningError.signatureInvalid("the JWS signature does not verify with key \(key.kid)")
        }
    }
}
