import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import WebService

/// A consent template's `title` (the name case managers know the paper form by) is shown where a template is chosen or
/// named: the recording form's template list, a consent's page, and, changed, the DPO's policy-change page.
@Suite struct TemplateTitlePageTests {
    @Test func theRecordingFormAndTheConsentPageNameTheTemplateByItsTitle() async throws {
        let fixture = try WebFixture()
        defer { fixture.remove() }
        let template = try #require(fixture.environment.gate.policy.bundle.template("kim-beratung"))
        let title = try #require(template.title)
        try await fixture.application().test(.router) { client in
            let session = try #require(try await pageLogin(client, name: "test-caseworker"))
            for (lang, words) in [("de", title.de), ("en", title.en)] {
                let form = try await client.execute(uri: "/consents/new?lang=\(lang)", method: .get, headers: [.cookie: "cg_session=\(session)"])
                #expect(form.status == .ok)
                let option = try #require(form.text.firstMatch(of: /<option value="kim-beratung"[^>]*>([^<]*)<\/option>/), "\(form.text)")
                #expect(String(option.1) == "\(words) – kim-beratung (v\(template.version); \(template.texts.keys.sorted().joined(separator: ", ")))")
            }
            let grant = try await client.execute(uri: "/v1/consents", method: .post, headers: jsonHeaders(fixture.tokens["caseworker"]!),
                body: ByteBuffer(string: """
                {"subject": "RSK-2022-000405", "attributes": {"birth-date": "1990-03-01"}, "template": "kim-beratung", "language": "de",
                 "clauses": ["jobcenter"]}
                """))
            #expect(grant.status == .created || grant.status == .ok, "\(grant.text)")
            let id = try #require((grant.json["consent"] as? [String: Any])?["id"] as? String)
            let page = try await client.execute(uri: "/consents/\(id)", method: .get, headers: [.cookie: "cg_session=\(session)"])
            #expect(page.text.contains("<dd>\(title.de) – kim-beratung v\(template.version)</dd>"), "\(page.text)")
        }
    }

    @Test func aRetitledTemplateShowsOnThePolicyChangePageWithoutAWarning() async throws {
        let edit = (file: "consent-templates.yaml", old: "de: \"Einwilligung in die Datenweitergabe (KIM-Beratung)\"",
                    new: "de: \"Einwilligung <i>KIM</i> 2027\"")
        try await PolicyChangePageTests().withChangedPolicy([edit]) { _, loaded, cookie, client in
            let page = try await client.execute(uri: "/audit/entries/\(loaded[1])", method: .get, headers: cookie).text
            #expect(page.contains("<tr data-change=\"changed\" data-template=\"kim-beratung\">"), "\(page)")
            #expect(page.contains("<li>Titel: „Einwilligung in die Datenweitergabe (KIM-Beratung)“ (en: „Consent to data sharing (KIM counselling)“) → „Einwilligung &lt;i&gt;KIM&lt;/i&gt; 2027“ (en: „Consent to data sharing (KIM counselling)“)</li>"), "\(page)")
            #expect(!page.contains("<i>KIM</i>") && !page.contains("id=\"template-warning-kim-beratung\""))
        }
    }
}
