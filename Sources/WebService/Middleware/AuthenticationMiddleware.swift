import Foundation
import Gate
import Hummingbird

/// Finds out who is asking, without deciding whether they may: `Authorization: Bearer <token>` on
/// `/v1`, the `cg_session` cookie on pages. The result goes into `context.account`; routes then
/// demand what they need (`RouteRegistrar`). Session cookies are ignored on `/v1`, so the JSON API
/// never acts on ambient browser credentials (no CSRF there), and tokens are ignored on pages.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let environment: WebEnvironment
    static let sessionCookie = "cg_session"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if AppRequestContext.isAPI(path: request.uri.path) {
            // One read of the store's change counter serves the token look-up and the route's reads.
            return try await environment.gate.readCache.withRequestSnapshot {
                if let header = Self.authorizationHeader(request.headers) {
                    // A single field (RFC 9110 §11.6.2): two were joined into one unknown "token" and answered "API token
                    // unknown or account disabled", also when both were the same valid one (API review L4).
                    guard header.fields == 1 else {
                        throw WebError(.unauthorized, code: "unauthenticated",
                                       de: "Authorization-Header mehrfach angegeben: bitte genau einmal \"Bearer <Token>\" senden",
                                       en: "Authorization header given more than once: send \"Bearer <token>\" exactly once")
                    }
                    guard let token = Self.bearerToken(header.value) else {
                        throw WebError(.unauthorized, code: "unauthenticated",
                                       de: "Authorization-Header muss \"Bearer <Token>\" lauten", en: "Authorization header must be \"Bearer <token>\"")
                    }
                    guard let account = try environment.accounts.authenticate(token: token) else {
                        throw WebError(.unauthorized, code: "unauthenticated",
                                       de: "API-Token unbekannt oder Konto gesperrt", en: "API token unknown or account disabled")
                    }
                    context.account = account
                }
                return try await next(request, context)
            }
        }
        if let id = request.cookies[Self.sessionCookie]?.value, let session = await environment.sessions.session(id: id) {
            context.session = session
            if let name = session.accountName {
                if let (account, stamp) = try environment.accounts.activeAccountWithStamp(named: name),
                   session.credentialsStamp == stamp {
                    context.account = account
                } else {
                    // Disabled or deleted since login, or its password or token changed: end the session now.
                    await environment.sessions.remove(id: id)
                    context.session = nil
                }
            }
        }
        return try await next(request, context)
    }

    /// The page session and its account for `request`, read again for an error page (the context this middleware
    /// fills in does not come back with a thrown error). Only what this middleware would have found, and less: nothing
    /// for the API, for a request the pages refuse as another site's resource (`FetchMetadataPolicy`), for a missing or
    /// unknown cookie, or when the store cannot be read; the account only while it is active and its credentials stamp
    /// is the session's (here the session is not ended: the request's own pass through this middleware did that).
    static func pageIdentity(_ request: Request, environment: WebEnvironment) async -> (session: WebSession?, account: Account?) {
        guard !AppRequestContext.isAPI(path: request.uri.path), FetchMetadataPolicy.allows(method: request.method, headers: request.headers),
              let id = request.cookies[sessionCookie]?.value, let session = await environment.sessions.session(id: id) else { return (nil, nil) }
        guard let name = session.accountName else { return (session, nil) }
        guard let found = try? environment.accounts.activeAccountWithStamp(named: name), session.credentialsStamp == found.stamp else { return (nil, nil) }
        return (session, found.account)
    }

    /// The `Authorization` header as `headers[.authorization]` gives it (several fields joined with
    /// ", "), without the generic joining when there is one field, as there is on every API request; and how many
    /// fields there were.
    static func authorizationHeader(_ headers: HTTPFields) -> (value: String, fields: Int)? {
        let values = headers[values: .authorization]
        switch values.count {
        case 0: return nil
        case 1: return (values[0], 1)
        default: return (values.joined(separator: ", "), values.count)
        }
    }

    /// The token of `Bearer <token>` (scheme case-insensitive), or nil.
    static func bearerToken(_ header: String) -> String? {
        if let token = asciiBearerToken(header) { return token }
        return generalBearerToken(header)
    }

    /// The common case read from the UTF-8 bytes: `bearer` in any case, one space, and a token of ASCII
    /// bytes that neither starts with nor ends in white space. Nil for anything else, which then goes
    /// to `generalBearerToken` (the same answer for every header this accepts, without Foundation's
    /// string trimming per request).
    static func asciiBearerToken(_ header: String) -> String? {
        var header = header
        return header.withUTF8 { u -> String? in
            guard u.count > 7, u[6] == 0x20 else { return nil }
            for (i, c) in "bearer".utf8.enumerated() where u[i] | 0x20 != c { return nil }
            let first = u[7], last = u[u.count - 1]
            guard first > 0x20, first < 0x7F, last > 0x20, last < 0x7F else { return nil }
            return String(decoding: UnsafeBufferPointer(rebasing: u[7...]), as: UTF8.self)
        }
    }

    /// `bearerToken` for any header: split at the first space, compare the scheme case-insensitively,
    /// trim white space from the token.
    static func generalBearerToken(_ header: String) -> String? {
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }
}
