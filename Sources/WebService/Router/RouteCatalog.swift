import Gate
import Synchronization

/// Who may call a route.
public enum RouteAccess: Sendable, Equatable, CustomStringConvertible {
    /// Anyone, without credentials (`/health`, `/metrics`, `/openapi.yaml`, the login page).
    case open
    /// Any authenticated account whose role is in the set.
    case roles(Set<AccountRole>)

    /// Every role.
    public static let anyRole = RouteAccess.roles(Set(AccountRole.allCases))

    public var description: String {
        switch self {
        case .open: "open"
        case let .roles(r): r.map(\.rawValue).sorted().joined(separator: ",")
        }
    }
}

/// What a route answers with: JSON (`/v1`), HTML pages, or plain service endpoints.
public enum RouteKind: String, Sendable { case api, page, system }

/// One registered route, as recorded at registration (the OpenAPI and role-matrix tests read these).
public struct RouteEntry: Sendable, Equatable, CustomStringConvertible {
    /// `GET`, `POST`, ...
    public let method: String
    /// The path in OpenAPI form (`/v1/accounts/{name}`).
    public let path: String
    /// Who may call it.
    public let access: RouteAccess
    /// JSON, page or system.
    public let kind: RouteKind
    public var description: String { "\(method) \(path) [\(access)]" }
}

/// Every route of the application, in registration order. Filled while the router is built.
public final class RouteCatalog: Sendable {
    private let entries = Mutex<[RouteEntry]>([])
    /// An empty catalog; the router adds each route as it registers it.
    public init() {}
    func add(_ e: RouteEntry) { entries.withLock { $0.append(e) } }
    /// The routes registered so far.
    public var routes: [RouteEntry] { entries.withLock { $0 } }

    /// The methods registered for a request path (raw; a `{parameter}` segment matches any one segment),
    /// sorted: empty when no route has this path, so a 404 is right; else the answer to a wrong method is 405.
    ///
    /// The path resolves as Hummingbird's router resolves it: of the patterns that match it whole, segment by
    /// segment a literal segment wins over a `{parameter}`, and the methods are those of the one route pattern it
    /// resolves to. So `/v1/exports/dry-run` (POST only) answers `Allow: POST`, not also the GET of
    /// `/v1/exports/{id}`, which that path never reaches.
    public func methods(forPath path: String) -> [String] {
        Array(Set(resolve(path).map(\.method))).sorted()
    }

    /// The route pattern a request path resolves to (`/v1/consents/{id}`), whatever the method; nil when none does. The
    /// metrics label a 405 with it (they said `NotFound`, as for a path no route has: an API review).
    public func pattern(forPath path: String) -> String? { resolve(path).first?.path }

    /// The routes of the one pattern `path` resolves to (as `methods(forPath:)` describes).
    private func resolve(_ path: String) -> [RouteEntry] {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        // Every pattern that matches the whole path; then, segment by segment, literal matches first.
        var candidates = routes.map { (route: $0, pattern: $0.path.split(separator: "/", omittingEmptySubsequences: false)) }
            .filter { c in
                c.pattern.count == segments.count
                    && zip(c.pattern, segments).allSatisfy { p, s in (Self.isParameter(p) && !s.isEmpty) || p == s }
            }
        for (position, segment) in segments.enumerated() {
            let literal = candidates.filter { $0.pattern[position] == segment }
            if !literal.isEmpty { candidates = literal }
        }
        return candidates.map(\.route)
    }

    /// True when `path` (raw) is a machine route (`RouteKind.system`: `/health`, `/metrics`, `/openapi.yaml`), read as
    /// Hummingbird's router reads it, skipping empty segments (`//health` reaches `/health`). Monitors, scrapers and
    /// API tooling call these, not browsers: their errors are the JSON error body of `/v1`, not an HTML page.
    public func isSystem(path: String) -> Bool {
        let normalized = "/" + path.split(separator: "/").joined(separator: "/")
        return routes.contains { $0.kind == .system && $0.path == normalized }
    }

    /// True for a `{name}` segment of a route pattern.
    private static func isParameter(_ segment: Substring) -> Bool { segment.hasPrefix("{") && segment.hasSuffix("}") }
}
