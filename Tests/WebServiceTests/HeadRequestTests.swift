import Foundation
import Gate
import Hummingbird
import HummingbirdTesting
import Testing
@testable import WebService

/// `HEAD` is answered for every `GET` route (RFC 9110 §9.3.2): found in the web review, where `curl -I /health` and an
/// uptime monitor's `HEAD /health` got 405 `method-not-allowed` with `Allow: GET`.
@Suite struct HeadRequestTests {
    @Test func headOfAGetRouteIsItsGetWithoutTheBody() async throws {
        let fixture = try WebFixture()
        defer { fixture.remove() }
        try await fixture.application().test(.router) { client in
            let get = try await client.execute(uri: "/health", method: .get)
            let head = try await client.execute(uri: "/health", method: .head)
            #expect(head.status == .ok)
            #expect(head.body.readableBytes == 0)
            #expect(head.headers[.contentType] == get.headers[.contentType])
            #expect(head.headers[.contentLength] == String(get.body.readableBytes))

            // Protected routes keep their rules: 401 without a token, the answer with one.
            #expect(try await client.execute(uri: "/v1/me", method: .head).status == .unauthorized)
            let me = try await client.execute(uri: "/v1/me", method: .head, headers: bearer(fixture.tokens["admin"]!))
            #expect(me.status == .ok)
            #expect(me.body.readableBytes == 0)
            #expect(try await client.execute(uri: "/login", method: .head).status == .ok)
        }
    }

    @Test func headOfAPathWithoutGetIsStill405NamingHead() async throws {
        let fixture = try WebFixture()
        defer { fixture.remove() }
        try await fixture.application().test(.router) { client in
            let r = try await client.execute(uri: "/v1/decisions", method: .head, headers: bearer(fixture.tokens["caseworker"]!))
            #expect(r.status == .methodNotAllowed)
            #expect(r.headers[.allow] == "POST")
            // A wrong method on a GET route lists HEAD beside GET.
            let post = try await client.execute(uri: "/health", method: .post)
            #expect(post.status == .methodNotAllowed)
            #expect(post.headers[.allow] == "GET, HEAD")
        }
    }
}
