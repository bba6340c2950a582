import AuditLog
import Foundation
import Gate
import Hummingbird
import HummingbirdTesting
import Testing
@testable import WebService

/// The data protection officer's pages and API, from the review of the DPO workflows: what the Art. 15 report,
/// the log, the statistics and "explain again" show, in which zone and language, and what every read logs.
@Suite(.serialized) struct DPOPagesReviewTests {
    let fixture: WebFixture
    init() throws { fixture = try WebFixture() }

    var gate: Gate { fixture.environment.gate }

    /// A referral check by the fixture's case worker (Siegburg); returns the decision JSON.
    func decide(_ client: some TestClientProtocol, subject: String = "RSK-2022-000901", partner: String = "auslaenderbehoerde",
                purpose: String = "residence-registration", fields: [String] = ["name.family", "birth.date"]) async throws -> [String: Any] {
        let list = fields.map { "\"\($0)\"" }.joined(separator: ",")
        let r = try await client.execute(uri: "/v1/decisions", method: .post, headers: jsonHeaders(fixture.tokens["caseworker"]!),
            body: ByteBuffer(string: #"{"subject": "\#(subject)", "partner": "\#(partner)", "purpose": "\#(purpose)", "fields": [\#(list)]}"#))
        try #require(r.status == .ok, "\(r.text)")
        return r.json
    }

    /// The DPO's page session cookie header.
    func dpoCookie(_ client: some TestClientProtocol) async throws -> HTTPFields {
        [.cookie: "cg_session=\(try #require(try await pageLogin(client, name: "test-dpo")))"]
    }

    /// The `<main>` part of a page.
    static func main(_ html: String) -> String {
        guard let a = html.range(of: "<main"), let b = html.range(of: "</main>") else { return html }
        return String(html[a.lowerBound..<b.upperBound])
    }

    // MARK: Art. 15 report page

    @Test func reportPageNamesTheLegalBasisPurposeAndChannelInTheReadersLanguage() async throws {
        try await fixture.application().test(.router) { client in
            _ = try await decide(client)
            let cookie = try await dpoCookie(client)
            let citation = try #require(gate.policy.bundle.rules.first { $0.id == "abh-registration" }?.citation)
            for (lang, purpose, channel, basis) in [("de", "Aufenthaltsrechtliche Registrierung", "Freigabe-Entscheidung", "Gesetz"),
                                                    ("en", "Residence registration", "Release decision", "Statute")] {
                let page = try await client.execute(uri: "/audit/report?subject=RSK-2022-000901&lang=\(lang)", method: .get, headers: cookie)
                #expect(page.status == .ok)
                let main = Self.main(page.text)
                let expectedPurpose = gate.policy.bundle.purpose("residence-registration")?.label[lang == "de" ? .de : .en] ?? purpose
                #expect(main.contains(HTML.escape(expectedPurpose)), "purpose shown by its label: \(main)")
                #expect(main.contains(HTML.escape(citation)), "the legal basis (the rule's norm) belongs in an Art. 15 answer: \(main)")
                #expect(main.contains(basis), "\(main)")
                #expect(main.contains(channel), "channel in words, not the id: \(main)")
            }
            // A person the log knows nothing about: said in words, not an empty table.
            let empty = try await client.execute(uri: "/audit/report?subject=RSK-2022-999999&lang=en", method: .get, headers: cookie)
            #expect(Self.main(empty.text).contains("The log records no disclosures"), "\(Self.main(empty.text))")
            let leer = try await client.execute(uri: "/audit/report?subject=RSK-2022-999999&lang=de", method: .get, headers: cookie)
            #expect(Self.main(leer.text).contains("Im Protokoll sind keine Offenlegungen verzeichnet"), "\(Self.main(leer.text))")
        }
    }

    @Test func reportNamesTheNormOfAReleaseDecisionInJSONAndOnThePage() async throws {
        try await fixture.application().test(.router) { client in
            _ = try await decide(client)
            let citation = try #require(gate.policy.bundle.rules.first { $0.id == "abh-registration" }?.citation)
            let api = try await client.execute(uri: "/v1/audit/report/RSK-2022-000901", method: .get, headers: bearer(fixture.tokens["dpo"]!))
            let recipients = try #require(api.json["recipients"] as? [[String: Any]], "\(api.text)")
            #expect(recipients.count == 1)
            let fields = recipients.first?["fields"] as? [[String: Any]] ?? []
            #expect(fields.count == 2 && fields.allSatisfy { $0["citation"] as? String == citation },
                    "a referral released by statute must say which statute: \(api.text)")
        }
    }
}
