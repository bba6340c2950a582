import Foundation
import Gate
import Hummingbird
import HummingbirdTesting
import Testing
@testable import WebService

/// What fuzzing the running service with schemathesis against its own OpenAPI document found, each kept
/// here as an in-process case so it stays fixed: the answers to odd requests are 4xx with a precise message,
/// and status codes, content types and bodies are those the document promises.
@Suite struct FuzzFindingsTests {
    let fixture: WebFixture
    init() throws { fixture = try WebFixture() }

    /// A literal path segment wins over a `{parameter}` in the router, so `/v1/exports/dry-run` is only ever
    /// the POST route: any other method is 405 with `Allow: POST` (it was `Allow: GET, POST`, borrowing the GET
    /// of `/v1/exports/{id}` that the path never reaches, and a GET was a bare 404).
    static let literalSegmentMethods: [(method: HTTPRequest.Method, uri: String, allow: String)] = [
        (.get, "/v1/exports/dry-run", "POST"),
        (.options, "/v1/exports/dry-run", "POST"),
        (.delete, "/v1/exports/dry-run", "POST"),
        (.delete, "/v1/exports/run-1", "GET"),
        (.post, "/consents/new", "GET"),
    ]

    @Test(arguments: literalSegmentMethods)
    func allowListsOnlyTheMethodsOfTheRouteThePathResolvesTo(_ c: (method: HTTPRequest.Method, uri: String, allow: String)) async throws {
        try await fixture.application().test(.router) { client in
            let r = try await client.execute(uri: c.uri, method: c.method,
                                             headers: [.authorization: "Bearer \(fixture.tokens["exporter"]!)", .accept: "application/json"])
            #expect(r.status == .methodNotAllowed, "\(c.method) \(c.uri): \(r.text)")
            #expect(r.headers[.allow] == c.allow)
            #expect(r.errorCode == "method-not-allowed")
        }
    }

    @Test func catalogResolvesLikeTheRouterWithLiteralsFirstAndBacktracking() {
        let catalog = RouteCatalog()
        catalog.add(RouteEntry(method: "GET", path: "/a/b/c", access: .open, kind: .api))
        catalog.add(RouteEntry(method: "PUT", path: "/a/{x}/d", access: .open, kind: .api))
        catalog.add(RouteEntry(method: "POST", path: "/a/{x}/c", access: .open, kind: .api))
        #expect(catalog.methods(forPath: "/a/b/c") == ["GET"])
        // The literal `b` leads nowhere for `d`: the parameter route answers.
        #expect(catalog.methods(forPath: "/a/b/d") == ["PUT"])
        #expect(catalog.methods(forPath: "/a/z/c") == ["POST"])
        #expect(catalog.methods(forPath: "/a//c").isEmpty)
    }
}
