import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import WebService

/// Page forms without a file upload take at most `maxPlainFormBodyBytes` (64 KiB); only the consent recording form (the
/// scan) takes up to 12 MiB. Found in the web review: `POST /login`, open to anyone, read and parsed 12 MiB bodies.
@Suite struct PageFormLimitTests {
    static func form(_ bytes: Int, csrf: String = "x") -> ByteBuffer {
        ByteBuffer(string: "_csrf=\(csrf)&name=" + String(repeating: "a", count: bytes))
    }

    @Test func loginAndOtherPlainFormsRefuseLargeBodies() async throws {
        let fixture = try WebFixture()
        defer { fixture.remove() }
        try await fixture.application().test(.router) { client in
            let anonymous = try await client.execute(uri: "/login", method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded"], body: Self.form(100 * 1024))
            #expect(anonymous.status == .contentTooLarge, "\(anonymous.status)")
            #expect(anonymous.text.contains("65536"), "the page names the limit")

            let cookie = try #require(try await pageLogin(client, name: "test-caseworker"))
            let page = try await client.execute(uri: "/check", method: .get, headers: [.cookie: "cg_session=\(cookie)"])
            let csrf = try #require(csrfToken(in: page.text))
            let check = try await client.execute(uri: "/check", method: .post,
                headers: [.cookie: "cg_session=\(cookie)", .contentType: "application/x-www-form-urlencoded"], body: Self.form(100 * 1024, csrf: csrf))
            #expect(check.status == .contentTooLarge)
            // A form of ordinary size still reaches the route.
            let small = try await client.execute(uri: "/check", method: .post,
                headers: [.cookie: "cg_session=\(cookie)", .contentType: "application/x-www-form-urlencoded"], body: Self.form(1024, csrf: csrf))
            #expect(small.status == .badRequest, "the check's own refusal of an incomplete form: \(small.status)")
        }
    }

    @Test func theConsentFormStillTakesAScan() async throws {
        let fixture = try WebFixture()
        defer { fixture.remove() }
        try await fixture.application().test(.router) { client in
            let cookie = try #require(try await pageLogin(client, name: "test-caseworker"))
            let page = try await client.execute(uri: "/consents/new", method: .get, headers: [.cookie: "cg_session=\(cookie)"])
            let csrf = try #require(csrfToken(in: page.text))
            let boundary = "cgboundary"
            var body = "--\(boundary)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(csrf)\r\n"
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"scan\"; filename=\"scan.pdf\"\r\nContent-Type: application/pdf\r\n\r\n"
            body += String(repeating: "x", count: 1024 * 1024) + "\r\n--\(boundary)--\r\n"
            let r = try await client.execute(uri: "/consents", method: .post,
                headers: [.cookie: "cg_session=\(cookie)", .contentType: "multipart/form-data; boundary=\(boundary)"], body: ByteBuffer(string: body))
            // Read and answered by the form (its fields are missing), not refused as too large.
            #expect(r.status != .contentTooLarge)
            #expect(r.status == .badRequest, "\(r.status)")
        }
    }
}
