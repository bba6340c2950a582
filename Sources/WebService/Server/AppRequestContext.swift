import Diagnostics
import Gate
import Hummingbird

/// The request context of every ConsentGate route: Hummingbird's core storage plus who is asking
/// (set by `AuthenticationMiddleware`), their page session, and the language to answer in.
public struct AppRequestContext: RequestContext {
    /// Hummingbird's own per-request storage (logger, allocator, parameters), required by `RequestContext`.
    public var coreContext: CoreRequestContextStorage
    /// The authenticated account: from the bearer token on `/v1`, from the session cookie on pages.
    public var account: Account?
    /// The page session (pages only; anonymous before login so the login form has a CSRF token).
    public var session: WebSession?
    /// German unless `?lang=en` or the `cg_lang` cookie says English.
    public var language: Language = .de
    /// True when the request asked to switch the language (`?lang=`): the response sets the cookie.
    public var languageChosen = false
    /// A new session cookie to set on the response (login, first visit to the login page).
    public var newSessionCookie: String?

    /// A context for a new request from the server's `source`: nobody authenticated yet, no session, German.
    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }

    /// Bodies are collected only through `RequestLimits`, which enforces its own per-kind limits.
    public var maxUploadSize: Int { 12 * 1024 * 1024 }

    /// True for the JSON API (`/v1/...`): errors are JSON there and HTML pages elsewhere; credentials are the bearer
    /// token there and the session cookie elsewhere. The path is read as Hummingbird's router reads it, skipping
    /// empty segments: `//v1/me` reaches the route `/v1/me`, so it is the API too, and a page session (which needs
    /// no bearer token, and the API no CSRF token) never authenticates an API route.
    static func isAPI(path: String) -> Bool {
        path.drop { $0 == "/" }.prefix { $0 != "/" } == "v1"
    }
}
