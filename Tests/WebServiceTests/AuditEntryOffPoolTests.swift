import AuditLog
import Foundation
import Gate
import Hummingbird
import HummingbirdTesting
import Testing
@testable import WebService

/// The entry page's "explain again" and policy-change section read the database and evaluate policies: they run on
/// `BlockingWork`'s threads, never on the concurrency pool's threads that serve every request. `AuditPages.entryWork`
/// refuses to run anywhere else (`BlockingWork.requireCurrent`), so a page that answers with the section is proof the
/// handler ran it there; the other audit reads moved off the pool (report, proofs, checkpoint, one entry) still answer.
@Suite struct AuditEntryOffPoolTests {
    let fixture: WebFixture
    init() throws { fixture = try WebFixture() }

    var gate: Gate { fixture.environment.gate }

    /// A referral check by the fixture's case worker; returns the decision's log index.
    func decide(_ client: some TestClientProtocol) async throws -> Int64 {
        let r = try await client.execute(uri: "/v1/decisions", method: .post, headers: jsonHeaders(fixture.tokens["caseworker"]!),
            body: ByteBuffer(string: #"{"subject": "RSK-2022-000901", "partner": "auslaenderbehoerde", "purpose": "residence-registration", "fields": ["name.family", "health.notes"]}"#))
        try #require(r.status == .ok, "\(r.text)")
        return Int64(try #require((r.json["audit"] as? [String: Any])?["index"] as? Int))
    }

    @Test func entryWorkRunsOnlyOnBlockingWorksThreads() async throws {
        try await fixture.application().test(.router) { client in
            let index = try await decide(client)
            let reads = try gate.auditLog.entries(matching: AuditQuery(kinds: [.auditRead])).count
            let gate = self.gate
            #expect(throws: BlockingWork.OffThePool.self) {
                try AuditPages.entryWork(index, explain: true, actor: "test-dpo", gate: gate, language: .en)
            }
            #expect(try gate.auditLog.entries(matching: AuditQuery(kinds: [.auditRead])).count == reads, "refused before it logged a read")
            let (entry, section) = try await BlockingWork.run {
                try AuditPages.entryWork(index, explain: true, actor: "test-dpo", gate: gate, language: .en)
            }
            #expect(entry.index == index)
            #expect(section.description.contains("<section id=\"explain\""))
            #expect(section.description.contains("<tr data-field=\"health.notes\">"))
            #expect(try gate.auditLog.entries(matching: AuditQuery(kinds: [.auditRead])).count == reads + 1)
        }
    }

    @Test func explainAgainPageAnswers() async throws {
        try await fixture.application().test(.router) { client in
            let index = try await decide(client)
            let cookie: HTTPFields = [.cookie: "cg_session=\(try #require(try await pageLogin(client, name: "test-dpo")))"]
            let page = try await client.execute(uri: "/audit/entries/\(index)?explain=1&lang=en", method: .get, headers: cookie)
            #expect(page.status == .ok, "\(page.text)")
            let section = try #require(page.text.firstMatch(of: /<section id="explain"[\s\S]*?<\/section>/).map { String($0.0) }, "\(page.text)")
            #expect(section.contains("data-reproduces=\"true\""), "\(section)")
            #expect(section.contains("<tr data-field=\"name.family\">") && section.contains("<tr data-field=\"health.notes\">"))
            // Without `explain` the entry shows without the section.
            let plain = try await client.execute(uri: "/audit/entries/\(index)", method: .get, headers: cookie)
            #expect(plain.status == .ok && !plain.text.contains("<section id=\"explain\"") && plain.text.contains("?explain=1"))
        }
    }

    @Test func policyLoadedEntryPageAnswers() async throws {
        let loaded = try #require(try gate.auditLog.entries(matching: AuditQuery(kinds: [.policyLoaded], limit: nil)).first?.index)
        try await fixture.application().test(.router) { client in
            let cookie: HTTPFields = [.cookie: "cg_session=\(try #require(try await pageLogin(client, name: "test-dpo")))"]
            let page = try await client.execute(uri: "/audit/entries/\(loaded)", method: .get, headers: cookie)
            #expect(page.status == .ok, "\(page.text)")
            #expect(page.text.contains("id=\"policy-change-first\""), "\(page.text)")
        }
    }

    /// An inclusion proof hands out the entry itself (`entry`, base64: here a decision naming the person, the partner and
    /// the fields), as `GET /v1/audit/entries/{index}` does: it is logged as that DPO's read, with the index (and size)
    /// asked, before the answer. Before, the proof route logged nothing, so any entry could be read unlogged through it.
    @Test func anInclusionProofIsLoggedAsARead() async throws {
        try await fixture.application().test(.router) { client in
            let index = try await decide(client)
            let before = try gate.auditLog.entries(matching: AuditQuery(kinds: [.auditRead])).count
            let proof = try await client.execute(uri: "/v1/audit/proofs/inclusion?index=\(index)", method: .get, headers: bearer(fixture.tokens["dpo"]!))
            #expect(proof.status == .ok, "\(proof.text)")
            let entry = try #require(Data(base64Encoded: proof.json["entry"] as? String ?? ""))
            #expect(String(decoding: entry, as: UTF8.self).contains("RSK-2022-000901"), "the proof carries the entry")
            let reads = try gate.auditLog.entries(matching: AuditQuery(kinds: [.auditRead]))
            #expect(reads.count == before + 1)
            #expect(reads.last?.entry.actor == "test-dpo")
            #expect(reads.last?.entry.content == .auditRead(AuditReadRecord(command: "GET /v1/audit/proofs/inclusion",
                                                                             filters: ["index": String(index)], results: 1)))
            #expect((reads.last?.index ?? 0) > index)
            let refused = try await client.execute(uri: "/v1/audit/proofs/inclusion?index=999999", method: .get, headers: bearer(fixture.tokens["dpo"]!))
            #expect(refused.status == .unprocessableContent)
            #expect(try gate.auditLog.entries(matching: AuditQuery(kinds: [.auditRead])).count == before + 1, "a refused proof reads nothing")
        }
    }

    /// The audit API's reads that moved into `BlockingWork.run` answer as before, and a refusal thrown inside it (an
    /// index outside the log) still reaches the client as its 404 / 422.
    @Test func auditAPIReadsAnswerFromBlockingWork() async throws {
        try await fixture.application().test(.router) { client in
            let index = try await decide(client)
            let dpo = bearer(fixture.tokens["dpo"]!)
            let entry = try await client.execute(uri: "/v1/audit/entries/\(index)", method: .get, headers: dpo)
            #expect(entry.status == .ok && entry.json["index"] as? Int == Int(index), "\(entry.text)")
            let missing = try await client.execute(uri: "/v1/audit/entries/999999", method: .get, headers: dpo)
            #expect(missing.status == .notFound && missing.errorCode == "not-found")
            let size = try gate.auditLog.size()
            let inclusion = try await client.execute(uri: "/v1/audit/proofs/inclusion?index=\(index)", method: .get, headers: dpo)
            #expect(inclusion.status == .ok, "\(inclusion.text)")
            let outside = try await client.execute(uri: "/v1/audit/proofs/inclusion?index=\(size + 5)", method: .get, headers: dpo)
            #expect(outside.status == .unprocessableContent && outside.errorCode == "invalid-input")
            let consistency = try await client.execute(uri: "/v1/audit/proofs/consistency?from=1&to=\(size)", method: .get, headers: dpo)
            #expect(consistency.status == .ok, "\(consistency.text)")
            let tooFar = try await client.execute(uri: "/v1/audit/proofs/consistency?from=1&to=\(size + 100)", method: .get, headers: dpo)
            #expect(tooFar.status == .unprocessableContent)
            let report = try await client.execute(uri: "/v1/audit/report/RSK-2022-000901", method: .get, headers: dpo)
            #expect(report.status == .ok && report.text.contains("RSK-2022-000901"), "\(report.text)")
            let stats = try await client.execute(uri: "/v1/audit/stats", method: .get, headers: dpo)
            #expect(stats.status == .ok && stats.text.hasPrefix("["), "\(stats.text)")
        }
    }
}
