import Diagnostics
import Foundation
import Gate
import Hummingbird
import Signing

/// `GET /v1/keys` and `GET /v1/keys/{kid}` (admin): the keys the service trusts, read-only, in the shape of
/// `consentgate keys list --json` / `keys show --json` (`TrustedKeySummary`, `TrustedKeyDetail`), without the private
/// key file and never any private key material.
///
/// Why: the admin manages accounts and keys, and the API offered only accounts; an administrator checking which keys
/// the running service accepts (after a rotation, before one expires) had to log in to the server. Generating and
/// rotating keys stays on the command line (`consentgate keys generate`): the passphrase of a private key must not
/// pass through HTTP.
enum KeyRoutes {
    /// Who may read the trust store through the API.
    static let roles: Set<AccountRole> = [.admin]

    /// The body of `GET /v1/keys`: the time the states are for, and the keys in the trust store's order.
    struct KeyList: Encodable, Sendable {
        let at: String
        let keys: [TrustedKeySummary]
    }

    /// The `{kid}` path parameter: a key id as the trust store has them (an RFC 7638 thumbprint: 43 characters of
    /// base64url), else 400 `invalid-field`.
    static func kid(in context: AppRequestContext) throws -> String {
        let kid = try PathParameter.text("kid", in: context)
        guard isKeyID(kid) else {
            throw WebError.badRequest(code: "invalid-field",
                de: "Pfadparameter \"kid\": \"\(kid)\" ist keine Schlüssel-ID (43 Zeichen aus Buchstaben, Ziffern, - und _)",
                en: "path parameter \"kid\": \"\(kid)\" is not a key id (43 letters, digits, - and _)")
        }
        return kid
    }

    /// True for 43 characters of the base64url alphabet: the form of every kid (a SHA-256 thumbprint, unpadded).
    static func isKeyID(_ text: String) -> Bool {
        text.utf8.count == 43 && text.utf8.allSatisfy { c in
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == UInt8(ascii: "-") || c == UInt8(ascii: "_")
        }
    }

    /// A JSON answer through the encoder the CLI's listings use.
    static func json(_ value: some Encodable) throws -> Response {
        Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                 body: .init(byteBuffer: ByteBuffer(bytes: try TrustedKeySummary.encoder().encode(value))))
    }

    static func register(_ r: RouteRegistrar) {
        // The trust store the service loaded at start and verifies with (in memory: no database read).
        let trust = r.environment.gate.trustStore
        r.api(.get, "/v1/keys", roles: roles) { _, _ in
            let now = Date()
            return try json(KeyList(at: RFC3339.format(now), keys: trust.entries.map { TrustedKeySummary($0, at: now) }))
        }
        r.api(.get, "/v1/keys/{kid}", roles: roles) { _, auth in
            let kid = try kid(in: auth.context)
            guard let key = trust.keys[kid] else {
                throw WebError.notFound(LocalizedText(de: "Schlüssel \(kid) (nicht im Trust-Store)", en: "key \(kid) (not in the trust store)"))
            }
            return try json(TrustedKeyDetail(key, at: Date()))
        }
    }
}
