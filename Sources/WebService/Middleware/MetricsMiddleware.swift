import Foundation
import Hummingbird

/// Outermost middleware: times every request and counts it by method, matched route (the pattern,
/// not the concrete path, so subject ids never become label values) and final status.
struct MetricsMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let metrics: MetricsRegistry
    /// The routes, to label a 405 with the pattern its path resolves to (Hummingbird matched no route for its method).
    let catalog: RouteCatalog

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        var status = 500
        defer {
            let elapsed = ContinuousClock.now - start
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            // Hummingbird says "NotFound" for any request no route takes, a wrong method on a route's path (405) too.
            var route = context.endpointPath ?? "NotFound"
            if route == "NotFound", status == 405, let pattern = catalog.pattern(forPath: request.uri.path) { route = pattern }
            metrics.recordRequest(method: request.method.rawValue, route: route,
                                  status: status, seconds: seconds)
        }
        let response = try await next(request, context)
        status = response.status.code
        return response
    }
}
