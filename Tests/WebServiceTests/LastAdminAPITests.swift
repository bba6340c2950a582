import Foundation
import Gate
import Hummingbird
import HummingbirdTesting
import Testing
@testable import WebService

/// `POST /v1/accounts/{name}/disable` refuses the last active administrator with 409, in the answer's language;
/// with a second active administrator it disables as before.
@Suite struct LastAdminAPITests {
    let fixture: WebFixture
    init() throws { fixture = try WebFixture() }

    @Test func lastAdminDisablingItselfIs409() async throws {
        let admin = fixture.tokens["admin"]!
        try await fixture.application().test(.router) { client in
            let r = try await client.execute(uri: "/v1/accounts/test-admin/disable", method: .post, headers: bearer(admin))
            #expect(r.status == .conflict, "\(r.text)")
            #expect(r.errorCode == "conflict")
            #expect(r.errorMessage?.contains("letzte aktive Administrationskonto") == true, "\(r.text)")
            let en = try await client.execute(uri: "/v1/accounts/test-admin/disable?lang=en", method: .post, headers: bearer(admin))
            #expect(en.status == .conflict && en.errorMessage?.contains("last active administrator") == true, "\(en.text)")
            // Still an administrator: the token works and account management too.
            #expect(try await client.execute(uri: "/v1/accounts", method: .get, headers: bearer(admin)).status == .ok)
        }
    }

    @Test func withASecondAdminTheFirstMayGo() async throws {
        let admin = fixture.tokens["admin"]!
        _ = try fixture.environment.gate.addAccount(name: "test-admin-2", role: .admin, municipality: nil, password: nil, actor: Actor(id: "test"))
        try await fixture.application().test(.router) { client in
            let r = try await client.execute(uri: "/v1/accounts/test-admin-2/disable", method: .post, headers: bearer(admin))
            #expect(r.status == .ok && r.json["disabled-at"] is String, "\(r.text)")
            let again = try await client.execute(uri: "/v1/accounts/test-admin/disable", method: .post, headers: bearer(admin))
            #expect(again.status == .conflict, "the one left is the last: \(again.text)")
        }
    }
}
