import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import WebService

/// Errors on the machine routes (`/health`, `/metrics`, `/openapi.yaml`) are the JSON error body of `/v1`
/// (`{"error":{"code":…,"message":…}}`, `application/json`), whatever the client's `Accept` says: monitors, scrapers
/// and API tooling call them, not browsers. Before, a `POST /health` with curl's `Accept: */*` got the HTML error page.
/// Pages keep their HTML error page.
@Suite struct MachineRouteErrorTests {
    let fixture: WebFixture
    init() throws { fixture = try WebFixture() }

    static let machinePaths = ["/health", "/metrics", "/openapi.yaml"]

    /// A wrong method (405 with `Allow`), with curl's default `Accept` and with no `Accept` at all.
    @Test(arguments: machinePaths)
    func wrongMethodIsJSON(_ path: String) async throws {
        try await fixture.application().test(.router) { client in
            for headers: HTTPFields in [[.accept: "*/*"], [:], [.accept: "text/html"]] {
                let r = try await client.execute(uri: path + "?lang=en", method: .post, headers: headers)
                #expect(r.status == .methodNotAllowed)
                #expect(r.headers[.contentType]?.hasPrefix("application/json") == true, "\(path) \(headers)")
                #expect(r.headers[.allow] == "GET, HEAD")
                #expect(r.errorCode == "method-not-allowed")
                #expect(r.errorMessage == "method POST is not allowed for \(path) (allowed: GET, HEAD)")
                #expect(r.text.hasPrefix(#"{"error":{"code":"method-not-allowed","message":"#))
                #expect(!r.text.contains("<html"))
            }
        }
    }

    /// An error thrown before the route (a query that is not properly percent-encoded: 400 from `QueryTextMiddleware`),
    /// in German by default; the path read as the router reads it (`//health` reaches `/health`).
    @Test(arguments: machinePaths)
    func badQueryIsJSONInGerman(_ path: String) async throws {
        try await fixture.application().test(.router) { client in
            for uri in [path + "?x=%ZZ", "/" + path + "?x=%ZZ"] {
                let r = try await client.execute(uri: uri, method: .get)
                #expect(r.status == .badRequest, "\(uri)")
                #expect(r.headers[.contentType]?.hasPrefix("application/json") == true, "\(uri)")
                #expect(r.errorCode == "invalid-field")
                #expect(r.errorMessage?.contains("nicht gültig kodiert") == true, "\(r.text)")
            }
        }
    }

    /// As on `/v1`, `Accept-Language` picks the message's language (English here); pages keep German without `?lang=`.
    @Test(arguments: machinePaths)
    func acceptLanguageCountsAsOnTheAPI(_ path: String) async throws {
        try await fixture.application().test(.router) { client in
            let r = try await client.execute(uri: path, method: .put, headers: [.acceptLanguage: "en-GB,en;q=0.9,de;q=0.5"])
            #expect(r.status == .methodNotAllowed)
            #expect(r.errorMessage == "method PUT is not allowed for \(path) (allowed: GET, HEAD)", "\(r.text)")
            let page = try await client.execute(uri: "/login", method: .put, headers: [.acceptLanguage: "en-GB,en;q=0.9"])
            #expect(page.text.contains("Methode PUT"), "\(page.text)")
        }
    }

    /// `HEAD` of a machine route answers as its `GET` (200, no body), and a `HEAD` that errors carries the JSON type.
    @Test(arguments: machinePaths)
    func headAnswersLikeGetAndItsErrorIsJSON(_ path: String) async throws {
        try await fixture.application().test(.router) { client in
            let ok = try await client.execute(uri: path, method: .head)
            #expect(ok.status == .ok)
            #expect(ok.body.readableBytes == 0)
            let bad = try await client.execute(uri: path + "?x=%ZZ", method: .head)
            #expect(bad.status == .badRequest)
            #expect(bad.headers[.contentType]?.hasPrefix("application/json") == true)
        }
    }

    /// A page path still gets the HTML error page, and the stylesheet (an open route, but for browsers) too.
    @Test func pagesKeepTheirHTMLErrorPage() async throws {
        try await fixture.application().test(.router) { client in
            for path in ["/login", "/assets/style.css"] {
                let r = try await client.execute(uri: path, method: .delete, headers: [.accept: "*/*"])
                #expect(r.status == .methodNotAllowed)
                #expect(r.headers[.contentType]?.hasPrefix("text/html") == true, "\(path)")
                #expect(r.errorCode == nil)
            }
        }
    }

    /// `RouteCatalog.isSystem`: exactly the machine routes, read with empty segments skipped; not their look-alikes.
    @Test func catalogKnowsTheMachineRoutes() {
        _ = fixture.application()  // the catalog is filled while the application is built
        let catalog = fixture.environment.catalog
        for path in Self.machinePaths { #expect(catalog.isSystem(path: path)) }
        #expect(catalog.isSystem(path: "//health"))
        #expect(catalog.isSystem(path: "/health/"))
        for path in ["/login", "/assets/style.css", "/v1/me", "/healthz", "/health/x", "/"] { #expect(!catalog.isSystem(path: path), "\(path)") }
        #expect(Set(catalog.routes.filter { $0.kind == .system }.map(\.path)) == Set(Self.machinePaths))
    }
}
