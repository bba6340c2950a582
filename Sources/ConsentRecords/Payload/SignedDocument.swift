import Diagnostics
import Foundation
import Signing

/// A payload that ConsentGate signs as a JWS: consents and withdrawals.
public protocol SignedPayload: Sendable, Equatable {
    /// Which document this is (decides the JWS `typ`).
    static var documentKind: ConsentDocumentKind { get }
    /// Reads the payload strictly.
    init(payload bytes: [UInt8]) throws(ConsentError)
    /// The canonical bytes that are signed.
    var canonicalPayload: [UInt8] { get }
    /// The time the signing key must have been valid at (`granted-at`, `withdrawn-at`).
    var signedAt: Date { get }
}

/// A signed consent or withdrawal: the parsed content, its JWS, and the exact serialized bytes (kept
/// verbatim as evidence, GDPR Art. 7(1)).
///
/// `init(bytes:)` checks only the envelope (flattened JWS shape, supported `alg`, `kid` present, the right
/// `typ`) and the payload's strict form; whether the signature holds with a trusted key and whether the
/// content fits the policy is `ConsentVerifier`'s job.
public struct SignedDocument<Content: SignedPayload>: Sendable, Equatable {
    /// The payload read from the JWS (strictly; not yet verified against trust or templates).
    public let content: Content
    /// The parsed JWS: protected header (`alg`, `kid`, `typ`), payload and signature.
    public let jws: JWS
    /// The flattened JSON serialization exactly as signed or received.
    public let bytes: [UInt8]

    /// Signs `content` with `key` (canonical payload, `kid` and `typ` in the protected header).
    public static func sign(_ content: Content, with key: PrivateKey) throws(ConsentError) -> SignedDocument {
        let payload = content.canonicalPayload
        // Whatever is signed must read back: this checks every member's shape before a signature exists.
        let reread = try Content(payload: payload)
        let jws: JWS
        do { jws = try JWS.sign(payload: payload, type: Content.documentKind.jwsType, key: key) } catch {
            throw .signingFailed(reason: String(describing: error))
        }
        return SignedDocument(content: reread, jws: jws, bytes: Array(jws.serialized.utf8))
    }

    /// Reads a flattened JWS of this document kind (no signature check; see the type's comment).
    public init(bytes: [UInt8]) throws(ConsentError) {
        let doc = Content.documentKind
        let jws: JWS
        do { jws = try JWS(flattened: bytes) } catch let error as SigningError {
            throw ConsentError.from(signing: error, document: doc, kid: nil)
        } catch {
            throw .malformedJWS(document: doc, reason: ConsentError.untranslated(String(describing: error)))
        }
        guard jws.algorithm != nil else {
            throw .malformedJWS(document: doc, reason: LocalizedText(
                de: "nicht unterstützter alg \"\(jws.header.alg)\" (Ed25519, EdDSA oder ES256)",
                en: "unsupported alg \"\(jws.header.alg)\" (Ed25519, EdDSA or ES256)"))
        }
        guard jws.header.kid?.isEmpty == false else { throw .malformedJWS(document: doc, reason: LocalizedText(
            de: "der geschützte Header hat kein \"kid\"", en: "the protected header has no \"kid\"")) }
        guard doc.isNamed(byType: jws.header.typ) else { throw .wrongType(document: doc, found: jws.header.typ) }
        self.content = try Content(payload: jws.payload)
        self.jws = jws
        self.bytes = bytes
    }

    private init(content: Content, jws: JWS, bytes: [UInt8]) {
        self.content = content; self.jws = jws; self.bytes = bytes
    }

    /// The signing key's id from the protected header.
    public var kid: String { jws.header.kid ?? "" }

    /// `sha256:<hex>` of `bytes`: the evidence digest stored beside the record.
    public var digest: String { SHA256.tagged(bytes) }

    /// Whether `other` is the same signed document (same protected header, payload and signature), even if
    /// its JSON serialization differs in member order or white space.
    public func isSameDocument(as other: SignedDocument) -> Bool {
        jws.protectedB64 == other.jws.protectedB64 && jws.payloadB64 == other.jws.payloadB64
            && jws.signature == other.jws.signature
    }

    /// Whether `other` states the same thing under the same key: the same protected header and payload,
    /// whatever the signature bytes. An ECDSA signature is randomised and has a second valid form (s and
    /// n − s, both accepted under JOSE), so the same declaration signed twice, or passed through a signer that
    /// normalises s, carries other signature bytes. Use only when both signatures were verified.
    public func isSameStatement(as other: SignedDocument) -> Bool {
        jws.protectedB64 == other.jws.protectedB64 && jws.payloadB64 == other.jws.payloadB64
    }
}

/// A signed consent declaration.
public typealias SignedConsent = SignedDocument<ConsentDeclaration>
/// A signed withdrawal.
public typealias SignedWithdrawal = SignedDocument<ConsentWithdrawal>

extension ConsentDeclaration {
    /// Signs this declaration with `key` (which must be a trusted `consent-signer` key at `granted-at` for
    /// the result to verify).
    public func signed(with key: PrivateKey) throws(ConsentError) -> SignedConsent { try .sign(self, with: key) }
}

extension ConsentWithdrawal {
    /// Signs this withdrawal with `key` (a trusted `consent-signer` key at `withdrawn-at`).
    public func signed(with key: PrivateKey) throws(ConsentError) -> SignedWithdrawal { try .sign(self, with: key) }
}
