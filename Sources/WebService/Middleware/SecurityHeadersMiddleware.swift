import HTTPTypes
import Hummingbird

/// Headers on every response: a strict Content-Security-Policy (only this origin; no inline script
/// or style), no framing, no MIME sniffing, no referrer, and no caching of pages that show personal data; served over
/// TLS (`--tls`), also `Strict-Transport-Security`, so a browser that once reached the service over HTTPS never falls
/// back to plain HTTP (before 2026-12-06 none was sent: a review of the pages).
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    /// Whether the service is served over TLS itself.
    var tls = false
    /// One year, the usual minimum for HSTS; no `includeSubDomains`: the county's other hosts are not ours to bind.
    static let hsts = "max-age=31536000"
    static let csp = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        if response.headers[.contentSecurityPolicy] == nil { response.headers[.contentSecurityPolicy] = Self.csp }
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.xFrameOptions] = "DENY"
        response.headers[.referrerPolicy] = "no-referrer"
        if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
        if tls { response.headers[.strictTransportSecurity] = Self.hsts }
        return response
    }
}

extension HTTPField.Name {
    static let xContentTypeOptions = HTTPField.Name("X-Content-Type-Options")!
    static let xFrameOptions = HTTPField.Name("X-Frame-Options")!
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
    static let strictTransportSecurity = HTTPField.Name("Strict-Transport-Security")!
}
