import Foundation
import Gate
import Hummingbird
import HummingbirdTesting
import Testing
@testable import WebService

/// `POST /v1/accounts/{name}/disable` and `/token` take no fields: an empty body or `{}` does the change; a field is
/// 400 `unknown-field` naming it, a body that is not JSON 415, and nothing changes (found in a review of the API,
/// 2026-12-06: `{"dry-run": true}` was ignored and the account disabled).
@Suite struct AccountChangeBodyTests {
    @Test(arguments: ["disable", "token"])
    func aFieldIsRefusedAndNothingChanges(_ change: String) async throws {
        let fixture = try WebFixture()
        defer { fixture.remove() }
        let admin = fixture.tokens["admin"]!
        try await fixture.application().test(.router) { client in
            let field = try await client.execute(uri: "/v1/accounts/test-dpo/\(change)?lang=en", method: .post, headers: jsonHeaders(admin),
                                                 body: ByteBuffer(string: #"{"dry-run": true}"#))
            #expect(field.status == .badRequest && field.errorCode == "unknown-field", "\(field.text)")
            #expect(field.errorMessage?.contains("dry-run") == true, "\(field.text)")
            let text = try await client.execute(uri: "/v1/accounts/test-dpo/\(change)", method: .post,
                                                headers: [.authorization: "Bearer \(admin)", .contentType: "text/plain"], body: ByteBuffer(string: "yes"))
            #expect(text.status == .unsupportedMediaType, "\(text.text)")
            // Nothing changed: the DPO's token still works.
            let me = try await client.execute(uri: "/v1/me", method: .get, headers: bearer(fixture.tokens["dpo"]!))
            #expect(me.status == .ok)
            // Without a body, or with `{}`, the change is made.
            let done = try await client.execute(uri: "/v1/accounts/test-dpo/\(change)", method: .post, headers: jsonHeaders(admin),
                                                body: ByteBuffer(string: "{}"))
            #expect(done.status == .ok, "\(done.text)")
            let after = try await client.execute(uri: "/v1/me", method: .get, headers: bearer(fixture.tokens["dpo"]!))
            #expect(after.status == .unauthorized, "the old token stops working after either change")
        }
    }
}
