import Foundation
import Testing
@testable import Signing

/// `alg` must name the verifying key's algorithm: a header may not switch a verifier to another algorithm (`none`,
/// HMAC with the public key as secret, the other curve). Each JWS here carries a signature that really was made,
/// with the key's own algorithm, over its signing input, so only the `alg` check can refuse it.
@Suite struct JWSAlgorithmConfusionTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let alg: String
        let key: SignatureAlgorithm
        var testDescription: String { "alg \(alg) with a \(key.rawValue) key" }
    }

    static let cases: [Case] = [
        Case(alg: "none", key: .ed25519), Case(alg: "none", key: .p256),
        Case(alg: "HS256", key: .ed25519), Case(alg: "HS256", key: .p256),
        Case(alg: "ES256", key: .ed25519), Case(alg: "Ed25519", key: .p256), Case(alg: "EdDSA", key: .p256),
        Case(alg: "ES384", key: .p256), Case(alg: "es256", key: .p256), Case(alg: "ed25519", key: .ed25519),
        Case(alg: "", key: .ed25519),
    ]

    /// A flattened JWS with header `{"alg":alg,"kid":…}`, signed by `key` in its own algorithm (ES256 as raw R‖S).
    static func forged(alg: String, key: PrivateKey) throws -> [UInt8] {
        let header = JWSHeader(alg: alg, kid: key.publicKey.kid, typ: "consentgate-consent+json")
        let protected = Base64URL.encode(header.encoded), payload = Base64URL.encode(Array("{\"id\":1}".utf8))
        var signature = try key.signature(for: Array("\(protected).\(payload)".utf8))
        if key.algorithm == .p256 { signature = try ECDSASignatureFormat.rawFromDER(signature) }
        let text = "{\"payload\":\"\(payload)\",\"protected\":\"\(protected)\",\"signature\":\"\(Base64URL.encode(signature))\"}"
        return Array(text.utf8)
    }

    @Test(arguments: cases)
    func aHeaderAlgOtherThanTheKeysIsRefused(c: Case) throws {
        let key = try PrivateKey.generate(c.key)
        let jws = try JWS(flattened: Self.forged(alg: c.alg, key: key))
        #expect {
            try jws.verify(with: key.publicKey)
        } throws: { error in
            switch error as? SigningError {
            case .malformedJWS?, .signatureInvalid?: return true
            default: return false
            }
        }
    }

    /// The names that do match still verify, `EdDSA` included (RFC 8037, accepted when reading).
    @Test(arguments: [("Ed25519", SignatureAlgorithm.ed25519), ("EdDSA", .ed25519), ("ES256", .p256)])
    func theMatchingNamesVerify(alg: String, key: SignatureAlgorithm) throws {
        let k = try PrivateKey.generate(key)
        try JWS(flattened: Self.forged(alg: alg, key: k)).verify(with: k.publicKey)
    }
}
