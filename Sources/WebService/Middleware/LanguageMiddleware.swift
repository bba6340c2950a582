import Diagnostics
import Hummingbird

/// Picks the answer language: `?lang=de|en` (and remembers it in the `cg_lang` cookie), else the
/// cookie, else on the JSON API and the machine routes (`/health`, `/metrics`, `/openapi.yaml`, whose errors are JSON
/// like the API's) the `Accept-Language` header (`AcceptLanguage`), else German. Runs outside
/// `ErrorMiddleware` so error messages are in that language too.
struct LanguageMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    static let cookieName = "cg_lang"
    /// Clients reach the service over TLS (`--tls`): the language cookie carries `Secure` like the session cookie
    /// (found in the web review: it never did, so a browser sent it over plain HTTP to the same host too).
    var tls = false
    /// The registered routes (which are machine routes); nil: `Accept-Language` counts on `/v1` only.
    var catalog: RouteCatalog? = nil

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        var chosen: Language?
        if let q = request.uri.queryParameters["lang"].map(String.init), let l = Language(rawValue: q.lowercased()) {
            chosen = l
            context.language = l
        } else if let c = request.cookies[Self.cookieName]?.value, let l = Language(rawValue: c) {
            context.language = l
        } else if AppRequestContext.isAPI(path: request.uri.path) || catalog?.isSystem(path: request.uri.path) == true,
                  let header = request.headers[.acceptLanguage],
                  let l = AcceptLanguage.preferred(header) {
            context.language = l
        }
        var response = try await next(request, context)
        if let chosen {
            response.setCookie(Cookie(name: Self.cookieName, value: chosen.rawValue, maxAge: 365 * 24 * 3600, path: "/",
                                      secure: tls, httpOnly: true, sameSite: .strict))
        }
        return response
    }
}
