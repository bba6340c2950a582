import Foundation
import Gate
import Hummingbird
import HummingbirdTesting
import Testing
@testable import WebService

/// The DPO's log filter offers the policy's partner and purpose ids and the county's municipalities, and says when a
/// typed value names nothing the policy knows: `Hennef` or `Jobcenter` found nothing before, with no word why (the
/// log stores `Hennef (Sieg)` and `jobcenter`).
@Suite struct AuditFilterChoicesTests {
    @Test func theFilterOffersThePolicysChoices() async throws {
        let fixture = try WebFixture()
        defer { fixture.remove() }
        try await fixture.application().test(.router) { client in
            let cookie: HTTPFields = [.cookie: "cg_session=\(try #require(try await pageLogin(client, name: "test-dpo")))"]
            let page = try await client.execute(uri: "/audit", method: .get, headers: cookie)
            #expect(page.status == .ok)
            #expect(page.text.contains("list=\"f-partner-choices\"") && page.text.contains("list=\"f-municipality-choices\""))
            #expect(page.text.contains("<option value=\"jobcenter\">Jobcenter</option>"), "\(page.text)")
            #expect(page.text.contains("<option value=\"Hennef (Sieg)\"></option>"))
            #expect(!page.text.contains("class=\"filter-hint\""), "nothing typed, nothing to say")
        }
    }

    @Test(arguments: [
        ("municipality=Hennef", "de", "Eine Kommune „Hennef“ kennt die geltende Richtlinie nicht; gemeint ist wohl „Hennef (Sieg)“."),
        ("municipality=Trosdorf", "en", "The policy in force knows no municipality “Trosdorf”; did you mean “Troisdorf”?"),
        ("partner=Jobcenter", "de", "Eine Stelle „Jobcenter“ kennt die geltende Richtlinie nicht; gemeint ist wohl „jobcenter“."),
        ("purpose=job", "en", "The policy in force knows no purpose “job”"),
        ("partner=%3Cscript%3E", "en", "The policy in force knows no partner “&lt;script&gt;”? Older entries"),
    ])
    func anUnknownFilterValueIsNamedWithWhatWasMeant(_ query: String, _ language: String, _ sentence: String) async throws {
        let fixture = try WebFixture()
        defer { fixture.remove() }
        try await fixture.application().test(.router) { client in
            let cookie: HTTPFields = [.cookie: "cg_session=\(try #require(try await pageLogin(client, name: "test-dpo")))"]
            let page = try await client.execute(uri: "/audit?\(query)&lang=\(language)", method: .get, headers: cookie)
            #expect(page.status == .ok)
            #expect(page.text.contains(sentence), "\(page.text)")
            let known = try await client.execute(uri: "/audit?municipality=Siegburg&partner=jobcenter&purpose=job-placement", method: .get, headers: cookie)
            #expect(!known.text.contains("class=\"filter-hint\""))
        }
    }
}
