import Diagnostics
import Foundation
import StrictJSON

/// The protected header of a ConsentGate JWS.
///
/// The header is a closed set: `alg`, `kid` and `typ`, exactly the members `JWS.sign` writes. Anything else
/// is refused when reading, although RFC 7515 §4 tells a general-purpose JOSE reader to ignore parameters it
/// does not understand unless `crit` lists them. ConsentGate documents are not general-purpose JWS: their
/// header is fixed by CONTRACTS §5, and a reader that ignores a member another reader honours is how two
/// readers come to see two different documents. In particular:
/// - `crit` is refused: ConsentGate understands no extension, so it could never honour one.
/// - `b64` (RFC 7797) is refused whatever its value and with or without `crit`: ConsentGate payloads are
///   always base64url-encoded, and a library that honours `b64: false` would read other payload bytes.
/// - Key-locating parameters (`jku`, `jwk`, `x5u`, `x5c`, …) would point other readers at a key the trust
///   store never vouched for; `cty` and private parameters have no meaning here.
///
/// The header is read with the strict parser (`StrictJSON.JSONParser`), in one pass, so a member name that
/// occurs twice is refused instead of resolved (RFC 7515 §4 leaves readers free to take the first or the
/// last value, and libraries differ).
public struct JWSHeader: Sendable, Equatable {
    /// `Ed25519`, `EdDSA` (accepted when reading, RFC 8037) or `ES256`.
    public var alg: String
    /// The signer's key id (RFC 7638 thumbprint).
    public var kid: String?
    /// The document type, e.g. `consentgate-consent+json`.
    public var typ: String?

    /// The only member names a protected header may have.
    public static let allowedMembers: Set<String> = ["alg", "kid", "typ"]

    /// A header with the given members.
    public init(alg: String, kid: String?, typ: String?) {
        self.alg = alg; self.kid = kid; self.typ = typ
    }

    /// The header as `JWS.sign` writes it: RFC 8785 canonical JSON (members sorted, no white space), absent
    /// optional members left out.
    public var encoded: [UInt8] {
        var members: [String: JSONValue] = ["alg": .string(alg)]
        if let kid { members["kid"] = .string(kid) }
        if let typ { members["typ"] = .string(typ) }
        return CanonicalJSON.encode(.object(members))
    }

    /// Reads decoded protected-header bytes strictly: one JSON object without duplicate member names, no
    /// `crit`, no `b64`, no member outside `allowedMembers`, a string `alg`, and `kid` and `typ` strings when
    /// present. Throws `SigningError.malformedJWS` naming the member (and, for JSON errors, the byte offset).
    public init(protected bytes: [UInt8]) throws(SigningError) {
        let value: JSONValue
        do { value = try JSONParser.parse(bytes, limits: JWS.parsingLimits) } catch {
            throw JWS.notStrictJSON(error, in: text("the protected header", de: "der geschützte Header"))
        }
        guard case let .object(members) = value else {
            throw .malformedJWS(text("the protected header is not a JSON object (found \(value.typeName))",
                                     de: "der geschützte Header ist kein JSON-Objekt (gefunden: \(value.typeName(in: .de)))"))
        }
        guard members["crit"] == nil else {
            throw .malformedJWS(text("\"crit\" header parameters are not supported", de: "\"crit\"-Header-Parameter werden nicht unterstützt"))
        }
        guard members["b64"] == nil else {
            throw .malformedJWS(text("the \"b64\" header parameter (RFC 7797 unencoded payload) is not supported; ConsentGate payloads are always base64url",
                                     de: "der Header-Parameter \"b64\" (RFC 7797, nicht codierte Nutzdaten) wird nicht unterstützt; ConsentGate-Nutzdaten sind immer base64url-codiert"))
        }
        let unknown = Set(members.keys).subtracting(Self.allowedMembers)
        guard unknown.isEmpty else {
            // Names from an untrusted document: escaped (`ShownValue`), so none reaches a terminal as an escape sequence.
            func list(_ l: Language) -> String { unknown.sorted().map { ShownValue.text($0, language: l) }.joined(separator: ", ") }
            throw .malformedJWS(text("unsupported protected header parameter(s) \(list(.en)); only alg, kid, typ are accepted",
                                     de: "nicht unterstützte(r) Parameter im geschützten Header: \(list(.de)); erlaubt sind nur alg, kid, typ"))
        }
        guard let alg = members["alg"]?.stringValue else {
            throw .malformedJWS(text("the protected header has no string \"alg\"", de: "der geschützte Header hat kein Text-\"alg\""))
        }
        func optionalString(_ name: String) throws(SigningError) -> String? {
            guard let member = members[name] else { return nil }
            guard let string = member.stringValue else {
                throw .malformedJWS(text("\"\(name)\" in the protected header must be a string, not \(member.typeName)",
                                         de: "\"\(name)\" im geschützten Header muss ein Text sein, nicht \(member.typeName(in: .de))"))
            }
            return string
        }
        self.init(alg: alg, kid: try optionalString("kid"), typ: try optionalString("typ"))
    }
}

/// A JSON Web Signature in flattened JSON serialization (RFC 7515 §7.2.2).
///
/// Signing input is `ASCII(BASE64URL(protected) "." BASE64URL(payload))`; the protected header and payload
/// are kept as the exact base64url text received so verification never depends on re-encoding.
///
/// Reading is stricter than RFC 7515 requires, so that one signed document has one meaning and one byte form
/// for every reader: the outer object and the protected header go through the strict JSON parser (duplicate
/// member names are refused, never resolved), the header is a closed set (see `JWSHeader`), and all three
/// parts must be canonical base64url (see `Base64URL`). ES256 signatures with a high S are accepted, as JOSE
/// allows them and other libraries produce them; the signatures ConsentGate makes always have a low S.
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

    /// Limits for the outer object and the protected header: the outer object holds strings and the header
    /// strings (an unsupported `crit` an array), so depth 4 leaves room for a clear error about a wrong
    /// member rather than about nesting.
    static let parsingLimits = JSONParser.Limits(maximumBytes: maximumSize, maximumDepth: 4)

    /// Signs `payload` with `key`, putting `kid` and `typ` in the protected header (canonical JSON, see
    /// `JWSHeader.encoded`). An ES256 signature is raw R‖S with S in the low half (`PrivateKey.signature`).
    public static func sign(payload: [UInt8], type: String?, key: PrivateKey) throws -> JWS {
        let header = JWSHeader(alg: key.algorithm.jwsAlgorithm, kid: key.publicKey.kid, typ: type)
        let protectedB64 = Base64URL.encode(header.encoded)
        let payloadB64 = Base64URL.encode(payload)
        let input = Array((protectedB64 + "." + payloadB64).utf8)
        var sig = try key.signature(for: input)
        if key.algorithm == .p256 { sig = try ECDSASignatureFormat.rawFromDER(sig) }
        return JWS(protectedB64: protectedB64, payloadB64: payloadB64, signature: sig, header: header, payload: payload)
    }

    /// Parses a flattened JSON serialization. Throws `SigningError.malformedJWS` for oversized input, input
    /// that is not strict JSON (including a duplicate member name, with its byte offset), unknown members, an
    /// unprotected `header` member, missing parts, parts that are not canonical base64url, and a protected
    /// header `JWSHeader(protected:)` refuses. Does not check the signature (see `verify(with:)`).
    public init(flattened bytes: [UInt8]) throws {
        guard bytes.count <= Self.maximumSize else { throw SigningError.malformedJWS(text("larger than \(Self.maximumSize) bytes", de: "größer als \(Self.maximumSize) Bytes")) }
        let object: JSONValue
        do { object = try JSONParser.parse(bytes, limits: Self.parsingLimits) } catch {
            throw Self.notStrictJSON(error, in: nil)
        }
        guard case let .object(dict) = object else { throw SigningError.malformedJWS(text("not a JSON object", de: "kein JSON-Objekt")) }
        let unknown = Set(dict.keys).subtracting(["protected", "payload", "signature"])
        guard unknown.isEmpty else {
            func list(_ l: Language) -> String { unknown.sorted().map { ShownValue.text($0, language: l) }.joined(separator: ", ") }
            throw SigningError.malformedJWS(text("unexpected member(s) \(list(.en)); only protected, payload, signature are accepted",
                                                  de: "unerwartete(s) Element(e) \(list(.de)); erlaubt sind nur protected, payload, signature"))
        }
        let p = try Self.stringMember("protected", of: dict)
        let pl = try Self.stringMember("payload", of: dict)
        let s = try Self.stringMember("signature", of: dict)
        let headerBytes = try Self.decode(p, member: "protected")
        let payload = try Self.decode(pl, member: "payload")
        let sig = try Self.decode(s, member: "signature")
        let header = try JWSHeader(protected: headerBytes)
        self.init(protectedB64: p, payloadB64: pl, signature: sig, header: header, payload: payload)
    }

    /// The string member `name` of the outer object.
    private static func stringMember(_ name: String, of dict: [String: JSONValue]) throws(SigningError) -> String {
        guard let member = dict[name] else { throw .malformedJWS(text("missing \"\(name)\"", de: "\"\(name)\" fehlt")) }
        guard let string = member.stringValue else {
            throw .malformedJWS(text("\"\(name)\" must be a string, not \(member.typeName)", de: "\"\(name)\" muss ein Text sein, nicht \(member.typeName(in: .de))"))
        }
        return string
    }

    /// Decodes the base64url text of the outer member `member`, which must be canonical.
    private static func decode(_ text64: String, member: String) throws(SigningError) -> [UInt8] {
        do { return try Base64URL.decodeCanonical(text64) } catch {
            switch error {
            case .nonZeroTrailingBits:
                throw .malformedJWS(text("\"\(member)\" is not canonical base64url: the last character has non-zero unused bits",
                                         de: "\"\(member)\" ist kein kanonisches base64url: im letzten Zeichen sind ungenutzte Bits gesetzt"))
            case let .invalidCharacter(offset):
                throw .malformedJWS(text("\"\(member)\" is not base64url: the character at offset \(offset) is not in the base64url alphabet (no padding, no white space)",
                                         de: "\"\(member)\" ist kein base64url: das Zeichen an Position \(offset) gehört nicht zum base64url-Alphabet (kein Auffüllen, keine Leerzeichen)"))
            case let .invalidLength(count):
                throw .malformedJWS(text("\"\(member)\" is not base64url: \(count) characters is not a possible length",
                                         de: "\"\(member)\" ist kein base64url: \(count) Zeichen sind keine mögliche Länge"))
            }
        }
    }

    /// The error for JSON that the strict parser refused: the outer object (`part` nil) or the protected
    /// header. A duplicate member name gets its own message; other reasons the parser's, in both languages.
    static func notStrictJSON(_ error: JSONSyntaxError, in part: LocalizedText?) -> SigningError {
        let prefix = "duplicate member \""
        if error.reason.hasPrefix(prefix), error.reason.hasSuffix("\""), error.reason.count > prefix.count {
            let name = String(error.reason.dropFirst(prefix.count).dropLast())
            let en = part.map { $0.en } ?? "the JWS object", de = part.map { $0.de } ?? "das JWS-Objekt"
            return .malformedJWS(text("\(en) has a duplicate member \"\(name)\" (byte \(error.offset)); member names must be unique",
                                      de: "\(de) enthält das Element \"\(name)\" doppelt (Byte \(error.offset)); Elementnamen müssen eindeutig sein"))
        }
        let words = error.words().text
        guard let part else {
            return .malformedJWS(text("not JSON: \(words.en) at byte \(error.offset)", de: "kein JSON: \(words.de) (Byte \(error.offset))"))
        }
        return .malformedJWS(text("\(part.en) is not strict JSON: \(words.en) at byte \(error.offset)",
                                  de: "\(part.de) ist kein striktes JSON: \(words.de) (Byte \(error.offset))"))
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

    /// Verifies the signature with `key`, whose algorithm the header's `alg` must name; throws `signatureInvalid`
    /// with the reason when it does not hold, `malformedJWS` for an `alg` ConsentGate does not know. Whether the key
    /// is trusted for the document is not checked here: `TrustStore.verify(_:role:signedAt:)` does that.
    public func verify(with key: PublicKey) throws {
        guard let alg = algorithm else {
            throw SigningError.malformedJWS(text("unsupported alg \"\(ShownValue.text(header.alg, language: .en))\" (Ed25519, EdDSA or ES256)",
                                                 de: "nicht unterstützter alg \"\(ShownValue.text(header.alg, language: .de))\" (Ed25519, EdDSA oder ES256)"))
        }
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
