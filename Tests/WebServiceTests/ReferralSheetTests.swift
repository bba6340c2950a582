import AuditLog
import Foundation
import Gate
import Hummingbird
import HummingbirdTesting
import Testing
@testable import WebService

/// `/check/{index}/sheet.csv` answers a case worker the same 404 for another municipality's decision as
/// for an entry that is no decision or does not exist: walking the indices tells nothing about how many
/// decisions other municipalities make, or when.
@Suite struct ReferralSheetTests {
    let fixture: WebFixture
    init() throws { fixture = try WebFixture() }

    @Test func otherMunicipalitiesDecisionsLookLikeNoEntry() async throws {
        try await fixture.application().test(.router) { client in
            let theirs = try await client.execute(uri: "/v1/decisions", method: .post, headers: jsonHeaders(fixture.tokens["caseworker-other"]!),
                body: ByteBuffer(string: #"{"subject": "RSK-2022-000041", "partner": "jobcenter", "purpose": "job-placement", "fields": ["name.family"]}"#))
            let theirIndex = try #require((theirs.json["audit"] as? [String: Any])?["index"] as? Int)
            let grant = try await client.execute(uri: "/v1/consents", method: .post, headers: jsonHeaders(fixture.tokens["caseworker"]!),
                body: ByteBuffer(string: #"{"subject": "RSK-7", "attributes": {"birth-date": "1990-01-01"}, "template": "kim-beratung", "language": "de", "clauses": ["jobcenter"]}"#))
            let grantIndex = try #require((grant.json["audit"] as? [String: Any])?["index"] as? Int)
            let mine = try #require(try await pageLogin(client, name: "test-caseworker"))
            var answers: [(HTTPResponse.Status, String)] = []
            for index in [theirIndex, grantIndex, 99_999] {
                let uri = "/check/\(index)/sheet.csv"
                let r = try await client.execute(uri: uri, method: .get, headers: [.cookie: "cg_session=\(mine)"])
                // The same answer with the path taken out.
                answers.append((r.status, r.text.replacingOccurrences(of: uri, with: "PATH")))
            }
            #expect(answers.allSatisfy { $0.0 == .notFound }, "\(answers.map(\.0.code))")
            #expect(Set(answers.map(\.1)).count == 1, "the answers differ")
            #expect(!answers[0].1.contains("RSK-2022-000041") && !answers[0].1.contains("gehört nicht zu Ihrer Kommune"))
        }
    }
}
