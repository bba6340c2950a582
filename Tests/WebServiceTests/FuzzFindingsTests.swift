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

    /// A consent id that is no UUID is the request's error, a 400 naming the path parameter (it was the
    /// store's undocumented 422 `invalid-input` about a field "id" of a consent document).
    static let malformedConsentIDs: [(method: HTTPRequest.Method, path: String)] = [
        (.get, "/v1/consents/0"),
        (.post, "/v1/consents/0/withdraw"),
        (.get, "/v1/consents/not-a-uuid"),
        (.get, "/v1/consents/0f8e4a52-5a0b-4c3e-9d5e-2b7f1c9a6d4"),
        (.get, "/v1/consents/%7B0f8e4a52-5a0b-4c3e-9d5e-2b7f1c9a6d40%7D"),
    ]

    @Test(arguments: malformedConsentIDs)
    func malformedConsentIDIs400NamingThePathParameter(_ c: (method: HTTPRequest.Method, path: String)) async throws {
        try await fixture.application().test(.router) { client in
            for language in ["de", "en"] {
                let r = try await client.execute(uri: c.path + "?lang=\(language)", method: c.method, headers: bearer(fixture.tokens["caseworker"]!))
                #expect(r.status == .badRequest, "\(c.path): \(r.text)")
                #expect(r.errorCode == "invalid-field")
                #expect(r.errorMessage?.contains(language == "de" ? "Pfadparameter \"id\"" : "path parameter \"id\"") == true, "\(r.text)")
                #expect(r.errorMessage?.contains("UUID") == true, "\(r.text)")
            }
        }
    }

    @Test func wellFormedUnknownConsentIDStays404() async throws {
        try await fixture.application().test(.router) { client in
            let r = try await client.execute(uri: "/v1/consents/0F8E4A52-5A0B-4C3E-9D5E-2B7F1C9A6D40", method: .get,
                                             headers: bearer(fixture.tokens["dpo"]!))
            #expect(r.status == .notFound, "\(r.text)")
            #expect(r.errorCode == "not-found")
        }
    }

    @Test(arguments: ["/consents/0", "/consents/0/declaration"])
    func malformedConsentIDOnAPageIs400(path: String) async throws {
        try await fixture.application().test(.router) { client in
            let session = try #require(try await pageLogin(client, name: "test-caseworker"))
            let r = try await client.execute(uri: path, method: .get, headers: [.cookie: "cg_session=\(session)"])
            #expect(r.status == .badRequest, "\(path): \(r.text)")
            #expect(r.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(r.text.contains("UUID"))
        }
    }
}
