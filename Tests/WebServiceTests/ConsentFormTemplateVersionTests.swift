import Foundation
import Gate
import Hummingbird
import HummingbirdTesting
import Testing
@testable import WebService

/// The consent recording page names the version it showed of each template and a submission is checked against the
/// version in force: a bundle bumped while the page was open (the service restarted with the new bundle) turned a
/// declaration read as version 3 into a consent signed as version 4 without a word. Now the form comes back (409) with
/// a sentence naming both versions, every entry kept, nothing recorded; submitted again it records on the current one.
@Suite struct ConsentFormTemplateVersionTests {
    @Test func aSubmissionFromAFormShowingAnotherVersionIsStoppedOnce() async throws {
        let fixture = try WebFixture()   // test-caseworker: Siegburg
        defer { fixture.remove() }
        let gate = fixture.environment.gate
        let current = try #require(gate.policy.bundle.template("kim-beratung")).version
        try await fixture.application().test(.router) { client in
            let session = try #require(try await pageLogin(client, name: "test-caseworker"))
            let form = try await client.execute(uri: "/consents/new", method: .get, headers: [.cookie: "cg_session=\(session)"])
            #expect(form.text.contains("<input type=\"hidden\" name=\"template-version.kim-beratung\" value=\"\(current)\">"), "\(form.text)")
            let fields: [(String, String)] = [("subject", "RSK-2022-000095"), ("birth-date", "1990-01-01"), ("template", "kim-beratung"),
                                              ("language", "de"), ("clauses.kim-beratung", "jobcenter"), ("granted-on", recentSigningDay)]
            for (lang, says) in [("de", "Die Vorlage kim-beratung liegt inzwischen in Version \(current) vor, das Formular zeigte Version \(current - 1)"),
                                 ("en", "template kim-beratung is now version \(current), the form showed version \(current - 1)")] {
                let stale = try await RemovedAccountMunicipalityPageTests().postMultipart(
                    client, "/consents", session: session, lang: lang,
                    fields: fields + [("template-version.kim-beratung", String(current - 1))])
                #expect(stale.status == .conflict, "\(stale.text.suffix(600))")
                #expect(stale.text.contains(says), "\(stale.text)")
                #expect(stale.text.contains("value=\"RSK-2022-000095\""), "the entries are kept")
                #expect(stale.text.contains("name=\"template-version.kim-beratung\" value=\"\(current)\""), "the form now shows the current version")
            }
            #expect(try gate.consents.list(subject: "RSK-2022-000095").isEmpty, "nothing recorded")
            let fresh = try await RemovedAccountMunicipalityPageTests().postMultipart(
                client, "/consents", session: session, lang: "de", fields: fields + [("template-version.kim-beratung", String(current))])
            #expect(fresh.status == .seeOther, "\(fresh.text.suffix(600))")
            #expect(try gate.consents.list(subject: "RSK-2022-000095").first?.consent?.content.template.version == current)
        }
    }
}
