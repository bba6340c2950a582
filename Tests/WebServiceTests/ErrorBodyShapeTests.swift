import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import WebService

/// The error body has one shape, byte for byte: `{"error":{"code":…,"message":…}}` as docs/web.md and
/// docs/openapi.yaml show it, the same member order on every answer (clients that compare or log bodies,
/// and the tests of partner tools, must not see it change from one request to the next).
@Suite struct ErrorBodyShapeTests {
    let fixture: WebFixture
    init() throws { fixture = try WebFixture() }

    @Test func errorMembersComeInOneOrder() async throws {
        try await fixture.application().test(.router) { client in
            let body = #"{"subject": "RSK-2022-000002", "partner": "nope", "purpose": "job-placement", "fields": ["name.family"]}"#
            var prefixes: Set<String> = []
            for _ in 0..<40 {
                let r = try await client.execute(uri: "/v1/decisions?lang=en", method: .post,
                                                 headers: jsonHeaders(fixture.tokens["caseworker"]!), body: ByteBuffer(string: body))
                #expect(r.status == .unprocessableContent)
                prefixes.insert(String(String(buffer: r.body).prefix(40)))
            }
            #expect(prefixes == [#"{"error":{"code":"unknown-partner","mess"#], "\(prefixes)")
        }
    }
}
