import Diagnostics
import Signing
import Foundation
import Gate
import Hummingbird

/// What a protected route's handler receives: the request context and the account, which is
/// guaranteed here (the registrar answered 401/403 before the handler ran).
public struct AuthenticatedRequest: Sendable {
    /// The underlying context.
    public let context: AppRequestContext
    /// Who is asking.
    public let account: Account
    /// The answer language.
    public var language: Language { context.language }
}

/// What a page handler receives: the context, the account if any, the session, and for a POST the
/// parsed form (already checked against the session's CSRF token).
public struct PageRequest: Sendable {
    /// The underlying request context (language, account, session).
    public let context: AppRequestContext
    /// The logged-in account; nil when no one is logged in (only on pages open to anyone, e.g. `/login`).
    public let account: Account?
    /// The page session; anonymous before login, so that its forms carry a CSRF token.
    public let session: WebSession?
    /// The parsed form body of a POST, whose CSRF token has already been checked; empty for other methods.
    public let form: FormData
    /// The request path (raw, still percent-encoded).
    public let path: String
    /// The request's query string (raw), if any.
    public let query: String?
    /// Whether the request is a POST (a form sent): its page's frame links to the form's own page (`FormPagePath`).
    public var isPost = false
    /// The answer language: German unless `?lang=en` or the `cg_lang` cookie says English.
    public var language: Language { context.language }

    /// The frame for this request: for a POST, that of the page the form lives on (its language switch leads there).
    var layout: Layout {
        isPost ? Layout(language: context.language, account: account, session: session, path: FormPagePath.page(ofPost: path))
               : Layout(language: context.language, account: account, session: session, path: path, query: query)
    }
}

/// Registers routes with their access rule, records each in the `RouteCatalog`, and enforces the
/// rule before the handler runs: 401 without an account, 403 with one whose role is not allowed; on
/// pages, every POST must carry the session's CSRF token.
struct RouteRegistrar {
    let router: Router<AppRequestContext>
    let environment: WebEnvironment

    /// A route anyone may call (health, metrics, OpenAPI, stylesheet).
    func open(_ method: HTTPRequest.Method, _ path: String, kind: RouteKind = .system,
              _ handler: @escaping @Sendable (Request, AppRequestContext) async throws -> Response) {
        environment.catalog.add(RouteEntry(method: method.rawValue, path: path, access: .open, kind: kind))
        router.on(RouterPath(path), method: method) { request, context in try await handler(request, context) }
    }

    /// A JSON route for the given roles, which reads the query parameters `query` (any other is 400, after 401/403).
    func api(_ method: HTTPRequest.Method, _ path: String, roles: Set<AccountRole>, query: KnownQueryParameters = .none,
             _ handler: @escaping @Sendable (Request, AuthenticatedRequest) async throws -> Response) {
        environment.catalog.add(RouteEntry(method: method.rawValue, path: path, access: .roles(roles), kind: .api))
        router.on(RouterPath(path), method: method) { request, context in
            let account = try Self.authorize(context.account, roles: roles)
            try query.check(request)
            return try await handler(request, AuthenticatedRequest(context: context, account: account))
        }
    }

    /// A page for `access` (open pages still get the session, for the login form's CSRF token), refused when another
    /// site's page requests it as a resource (`FetchMetadataPolicy`). A POST of a form
    /// that `keepsEntries` names which arrives without a session (401) or with a CSRF token that is not the session's
    /// (403) is answered with the login form carrying its entries (`LoginPages.sessionEnded`), never acted on.
    func page(_ method: HTTPRequest.Method, _ path: String, access: RouteAccess, keepsEntries: KeptEntries.Target? = nil,
              _ handler: @escaping @Sendable (Request, PageRequest) async throws -> Response) {
        environment.catalog.add(RouteEntry(method: method.rawValue, path: path, access: access, kind: .page))
        let config = environment.configuration
        let uploads = Self.uploadPaths.contains(path)
        let limit = uploads ? config.maxFormBodyBytes : min(config.maxPlainFormBodyBytes, config.maxFormBodyBytes)
        let env = environment
        let keeps = method == .post ? keepsEntries : nil
        router.on(RouterPath(path), method: method) { request, context in
            guard FetchMetadataPolicy.allows(method: method, headers: request.headers) else { throw FetchMetadataPolicy.refused }
            if case let .roles(roles) = access {
                do { _ = try Self.authorize(context.account, roles: roles) } catch let e as WebError where e.status == .unauthorized && keeps != nil {
                    // Without a session the answer stays 401 whatever the body: a body that is no form keeps nothing.
                    // Only a request that still sends a session cookie (one that ended) may have the upload form's
                    // 12 MiB read; without any, anyone could make the service buffer and parse 12 MiB per request for
                    // a 401 (input review, finding 4): its entries are kept up to the plain forms' 64 KiB.
                    // A bogus cookie cannot be told from an ended session's, so only `endedSessionReads` of them at
                    // once are read up to the upload limit.
                    let large = limit > config.maxPlainFormBodyBytes && request.cookies[AuthenticationMiddleware.sessionCookie] != nil
                        && env.endedSessionReads.acquire()
                    defer { if large { env.endedSessionReads.release() } }
                    // Read up to 64 KiB, a form is not cut at a file (a larger one keeps nothing): its scan is not "too
                    // large", the session ended.
                    let form = (try? await Self.readForm(request, limit: large ? limit : min(limit, config.maxPlainFormBodyBytes),
                                                         uploads: uploads && large)) ?? FormData()
                    return try await LoginPages.sessionEnded(request, context: context, form: form, refusal: e, target: keeps!, env: env)
                }
            }
            var form = FormData()
            if method == .post {
                form = try await Self.readForm(request, limit: limit, uploads: uploads)
                guard let session = context.session, let sent = form["_csrf"],
                      ConstantTime.equals(sent, session.csrfToken) else {
                    if let keeps {
                        return try await LoginPages.sessionEnded(request, context: context, form: form, refusal: .csrf, target: keeps, env: env)
                    }
                    throw WebError.csrf
                }
                try form.requireSingleValues()
            }
            var page = PageRequest(context: context, account: context.account, session: context.session,
                                   form: form, path: request.uri.path, query: request.uri.query)
            page.isPost = method == .post
            return try await handler(request, page)
        }
    }

    /// The page forms that send a file (the scan of the signed consent form), read up to `maxFormBodyBytes` (12 MiB);
    /// every other page form up to `maxPlainFormBodyBytes` (64 KiB). Found in the web review: every page POST read up
    /// to 12 MiB before its CSRF check, `/login` (open) and the forms that keep entries after a session ended without
    /// any session at all, so anyone reaching the service made it buffer and parse 12 MiB per request (about 3 s of a
    /// request thread per `POST /login` in a debug build).
    static let uploadPaths: Set<String> = ["/consents"]

    /// 401 without an account, 403 when its role is not in `roles`.
    static func authorize(_ account: Account?, roles: Set<AccountRole>) throws -> Account {
        guard let account else { throw WebError.unauthenticated }
        guard roles.contains(account.role) else {
            // The role's name for people, its id for programs (found in a review: pages said "Ihre Rolle caseworker").
            func named(_ role: AccountRole, _ l: Language) -> String { l == .de ? "„\(role.label.de)“ (\(role.rawValue))" : "“\(role.label.en)” (\(role.rawValue))" }
            let allowed = roles.sorted { $0.rawValue < $1.rawValue }
            throw WebError.forbidden(LocalizedText(
                de: "Ihre Rolle \(named(account.role, .de)) darf das nicht (erlaubt: \(allowed.map { named($0, .de) }.joined(separator: ", "))).",
                en: "your role \(named(account.role, .en)) may not do this (allowed: \(allowed.map { named($0, .en) }.joined(separator: ", ")))."))
        }
        return account
    }

    /// A URL-encoded or multipart form body (415 for other types). On a route that takes a file (`uploads`), a multipart
    /// body over the limit whose cut falls in a file part is read up to the cut: the entries before it are kept and the
    /// file is named as too large (`FormData.oversizedFile`), for the page to answer with the form.
    static func readForm(_ request: Request, limit: Int, uploads: Bool) async throws -> FormData {
        let type = RequestBodyReader.mediaType(of: request.headers[.contentType] ?? "")
        try RequestBodyReader.requireUTF8(request.headers[.contentType] ?? "")
        if type == "multipart/form-data" {
            let boundary = try MultipartForm.boundary(contentType: request.headers[.contentType] ?? "")
            if uploads {
                let (buffer, truncated) = try await RequestBodyReader.collectPrefix(request, limit: limit)
                return try MultipartForm.parse(Data(buffer.readableBytesView), boundary: boundary, truncated: truncated)
            }
            let buffer = try await RequestBodyReader.collect(request, limit: limit)
            return try MultipartForm.parse(Data(buffer.readableBytesView), boundary: boundary)
        }
        guard type == "application/x-www-form-urlencoded" else {
            throw WebError.unsupportedMediaType(expected: ["application/x-www-form-urlencoded", "multipart/form-data"], got: request.headers[.contentType])
        }
        let buffer = try await RequestBodyReader.collect(request, limit: limit)
        guard let text = String(validating: buffer.readableBytesView, as: UTF8.self) else {
            throw WebError.badRequest(code: "malformed-form", de: "Formular ist kein gültiges UTF-8", en: "form is not valid UTF-8")
        }
        return try FormData(urlEncoded: text)
    }
}
