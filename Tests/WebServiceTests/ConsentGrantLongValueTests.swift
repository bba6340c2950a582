import AuditLog
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import WebService

/// A grant whose values would make the signed declaration larger than a payload may be (64 KiB), though the request is
/// under the body limit: refused as the field that is wrong, not as "payload is not acceptable JSON (byte 0): larger
/// than 65536 bytes" (found by probing the service); nothing is recorded.
@Suite struct ConsentGrantLongValueTests {
    static let cases: [(name: String, member: String, field: String, words: String)] = [
        ("language", #""language": "\#(String(repeating: "d", count: 70_000))", "clauses": ["jobcenter"]"#, "language", "a language code such as de, en, uk"),
        ("guardian", #""language": "de", "clauses": ["jobcenter"], "guardians": [{"name": "\#(String(repeating: "N", count: 70_000))", "relation": "mother"}]"#,
         "guardians[0].name", "1-128 characters"),
        ("clauses", #""language": "de", "clauses": [\#(Array(repeating: #""jobcenter""#, count: 10_000).joined(separator: ","))]"#, "clauses[1]", "clause listed twice"),
    ]

    @Test(arguments: cases.map(\.name))
    func anOverLongValueIsNamedAsItsField(_ name: String) async throws {
        let c = try #require(Self.cases.first { $0.name == name })
        let fixture = try WebFixture()
        let subject = "RSK-LONG-\(name.uppercased())"
        try await fixture.application().test(.router) { client in
            let body = #"{"subject": "\#(subject)", "attributes": {"birth-date": "1990-01-01"}, "template": "kim-beratung", \#(c.member)}"#
            #expect(body.utf8.count < 256 * 1024, "under the body limit")
            let size = try fixture.environment.gate.auditLog.size()
            let refused = try await client.execute(uri: "/v1/consents?lang=en", method: .post, headers: jsonHeaders(fixture.tokens["caseworker"]!),
                                                   body: ByteBuffer(string: body))
            #expect(refused.status == .unprocessableContent, "\(refused.text.prefix(300))")
            let message = try #require((refused.json["error"] as? [String: Any])?["message"] as? String)
            #expect(message.contains("\"\(c.field)\"") && message.contains(c.words), "\(message.prefix(300))")
            #expect(!message.contains("65536"), "\(message.prefix(300))")
            #expect(try fixture.environment.gate.auditLog.size() == size, "nothing logged")
            #expect(try fixture.environment.gate.consents.list(subject: subject).isEmpty, "nothing stored")
        }
    }
}
