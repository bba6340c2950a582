import Diagnostics
import Foundation
import Hummingbird
import Logging
import NIOHTTP1

/// Turns every error into a response: `WebError` and module errors with their own status,
/// Hummingbird's errors (404, 413, bad decoding) with theirs, anything else a logged 500 with a
/// generic message (never the internals). JSON `{"error": {"code", "message"}}` on `/v1` and the machine
/// routes (`answersJSON`), an HTML error page elsewhere, framed like every page: for a request with a logged-in page session
/// with the account box (who is logged in, logout) and the navigation, so whoever hit the error still sees who they
/// are and can log out from there; without one, nothing about any account.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    /// The registered routes: a path that exists for other methods answers 405 with `Allow`, not 404.
    let catalog: RouteCatalog
    /// For the session of an error page (`AuthenticationMiddleware` runs inside this middleware, and the context it
    /// filled in does not come back with a thrown error). Nil: error pages without an account box.
    var environment: WebEnvironment? = nil

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            var webError = Self.webError(for: error, path: request.uri.path, logger: context.logger)
            webError.message = LongValueShortening.shortened(webError.message)
            if let detail = webError.logDetail {
                context.logger.error("\(webError.logLabel)", metadata: ["error": "\(detail)", "path": "\(request.uri.path)"])
            }
            var allowed: [String] = []
            if let e = error as? HTTPError, e.status == .notFound {
                allowed = catalog.methods(forPath: request.uri.path)
                // A 404 from a handler of this very method (none throw HTTPError today) stays a 404.
                if allowed.contains(request.method.rawValue) { allowed = [] }
                // Every GET route answers HEAD too (`HeadMiddleware`).
                if allowed.contains("GET") { allowed = (allowed + ["HEAD"]).sorted() }
                if !allowed.isEmpty {
                    webError = .methodNotAllowed(request.method.rawValue, path: request.uri.path, allowed: allowed)
                }
            }
            var response: Response
            if answersJSON(request) {
                response = Self.json(webError, language: context.language)
            } else {
                var page = context
                if let environment {
                    (page.session, page.account) = await AuthenticationMiddleware.pageIdentity(request, environment: environment)
                }
                // A page asked for without a session leads to the login and from there back to it; after a POST, back to
                // the page the form lives on (`FormPagePath`; the forms that keep their entries answer before this, in
                // `LoginPages.sessionEnded`).
                // Not for a page another site linked to (`Sec-Fetch-Site`): its link must not choose, through this page's
                // login button, what a login opens (and logs), as on `/login` itself (`LoginPages`).
                let site = request.headers[.init("Sec-Fetch-Site")!]
                let crossSite = site == "cross-site" || site == "same-site"
                // After a POST (a session that ended while a consent's page was open, then "withdraw"): back to the page the
                // form lives on, where it is sent again; nothing of the POST was done.
                let posted = request.method == .post
                let shownPath = posted ? FormPagePath.page(ofPost: request.uri.path) : request.uri.path
                let shownQuery = posted ? nil : request.uri.query
                let returnTo = (request.method == .get || request.method == .head || posted) && !crossSite
                    ? LoginReturnPath(shownPath, query: shownQuery) : nil
                response = ErrorPage.response(webError, context: page, path: shownPath, query: shownQuery, returnTo: returnTo,
                                              afterForm: posted)
            }
            if !allowed.isEmpty { response.headers[.allow] = allowed.joined(separator: ", ") }
            if let seconds = webError.retryAfterSeconds { response.headers[.retryAfter] = String(seconds) }
            if webError.status == .unauthorized && AppRequestContext.isAPI(path: request.uri.path) {
                response.headers[.wwwAuthenticate] = "Bearer realm=\"consentgate\""
            }
            return response
        }
    }

    /// Whether the error goes out as the JSON error body rather than an HTML page: on the JSON API (`/v1`), on the
    /// machine routes (`/health`, `/metrics`, `/openapi.yaml`: `RouteCatalog.isSystem`; before, a `POST /health` of a
    /// monitor got an HTML page), and wherever the client asked only for JSON. The one place this is decided.
    func answersJSON(_ request: Request) -> Bool {
        let path = request.uri.path
        return AppRequestContext.isAPI(path: path) || catalog.isSystem(path: path) || !Self.wantsHTML(request)
    }

    /// True unless the client asked only for JSON (pages are HTML for browsers and for curl alike).
    static func wantsHTML(_ request: Request) -> Bool {
        guard let accept = request.headers[.accept] else { return true }
        return !(accept.contains("application/json") && !accept.contains("text/html"))
    }

    static func webError(for error: any Error, path: String, logger: Logger) -> WebError {
        switch error {
        case let e as WebError: return e
        case let e as any UserFacingError: return WebError(e)
        case let e as HTTPError where e.status == .notFound: return .notFound(path)
        // A body the decoder could not read (a bad chunk size): the request's fault, not a 500.
        case let e as HTTPParserError: return .malformedHTTP(.parser(e))
        case let e as any HTTPResponseError where e.status == .contentTooLarge:
            return WebError(.contentTooLarge, code: "body-too-large", de: "Anfrage zu groß", en: "request body too large")
        case let e as any HTTPResponseError where (400..<500).contains(e.status.code):
            // Hummingbird's own refusals (English texts): a generic message in the answer language.
            return WebError(e.status, code: "bad-request", de: "Ungültige Anfrage (\(e.status.code) \(e.status.reasonPhrase))",
                            en: "invalid request (\(e.status.code) \(e.status.reasonPhrase))")
        default:
            logger.error("unexpected error", metadata: ["error": "\(String(reflecting: type(of: error)))", "path": "\(path)"])
            return WebError(.internalServerError, code: "internal",
                            de: "Interner Fehler; er wurde protokolliert.", en: "internal error; it has been logged.")
        }
    }

    /// The bytes of `{"error": {"code": ..., "message": ...}}`, members in that (sorted) order; also the body of the
    /// answer to a request no route saw (`MalformedRequestAnswer`).
    static func body(code: String, message: String) -> Data {
        struct Body: Encodable { struct Inner: Encodable { let code: String; let message: String }; let error: Inner }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(Body(error: .init(code: code, message: message)))) ?? Data("{}".utf8)
    }

    /// `{"error": {"code": ..., "message": ...}}` with the error's status, members in that (sorted) order on every
    /// answer (as `JSONResponse`): `JSONEncoder` without `.sortedKeys` orders them as a hashed dictionary does, which changes between runs.
    static func json(_ error: WebError, language: Language) -> Response {
        let data = body(code: error.code, message: error.message[language])
        return Response(status: error.status,
                        headers: [.contentType: "application/json; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
