import HTTPTypes
import Hummingbird

/// The service's router with `HEAD` for every `GET` route (RFC 9110 §9.3.2: "All general-purpose servers MUST support
/// the methods GET and HEAD"): the request is answered as its `GET` would be, with the same status and headers
/// (`Content-Length` included) and no body. Before, `HEAD /health` of an uptime monitor, or `curl -I`, got 405
/// `method-not-allowed`. A path without a `GET` route keeps the method, so its 405 names `HEAD` and lists what the
/// path allows.
///
/// A wrapper around the router's responder, not a middleware: Hummingbird resolves the route (path and method) before
/// router middleware runs. Everything of the route (authentication, its rules, the `audit-read` of a DPO page) sees the
/// `GET` the `HEAD` stands for; metrics count it as `GET`.
struct HeadRouter: HTTPResponderBuilder {
    /// The router of every route.
    let router: Router<AppRequestContext>
    /// The registered routes (which paths have a `GET`).
    let catalog: RouteCatalog

    func buildResponder() -> HeadResponder<RouterResponder<AppRequestContext>> {
        HeadResponder(base: router.buildResponder(), catalog: catalog)
    }
}

/// The responder of `HeadRouter`.
struct HeadResponder<Base: HTTPResponder>: HTTPResponder where Base.Context == AppRequestContext {
    typealias Context = AppRequestContext
    let base: Base
    let catalog: RouteCatalog

    @Sendable func respond(to request: Request, context: Context) async throws -> Response {
        guard request.method == .head, catalog.methods(forPath: request.uri.path).contains(HTTPRequest.Method.get.rawValue) else {
            return try await base.respond(to: request, context: context)
        }
        var head = request.head
        head.method = .get
        let response = try await base.respond(to: Request(head: head, body: request.body), context: context)
        var headers = response.headers
        if headers[.contentLength] == nil, let length = response.body.contentLength { headers[.contentLength] = String(length) }
        return Response(status: response.status, headers: headers, body: ResponseBody())
    }
}
