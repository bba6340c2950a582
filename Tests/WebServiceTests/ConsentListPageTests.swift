import Foundation
import Hummingbird
import HummingbirdTesting
import Signing
import Testing
@testable import WebService

/// A case worker finds a person's consents again (`/consents?subject=…`), to print or withdraw one weeks after it was
/// recorded: a review of the pages found no way back to a consent but the redirect right after recording it.
@Suite struct ConsentListPageTests {
    let fixture: WebFixture
    init() throws { fixture = try WebFixture() }

    /// Records a consent through the API as the Siegburg case worker; its id.
    /// `grantedAt`: the signing time (nil: now).
    func grant(_ client: some TestClientProtocol, subject: String, clauses: [String], grantedAt: String? = nil) async throws -> String {
        let list = clauses.map { "\"\($0)\"" }.joined(separator: ", ")
        let time = grantedAt.map { ", \"granted-at\": \"\($0)\"" } ?? ""
        let grant = try await client.execute(uri: "/v1/consents", method: .post, headers: jsonHeaders(fixture.tokens["caseworker"]!),
            body: ByteBuffer(string: """
            {"subject": "\(subject)", "attributes": {"birth-date": "1980-01-01"}, "template": "kim-beratung", "language": "de", "clauses": [\(list)]\(time)}
            """))
        #expect(grant.status == .created, "\(grant.text)")
        return try #require((grant.json["consent"] as? [String: Any])?["id"] as? String)
    }

    @Test func aPersonsConsentsAreListedNewestFirstWithTheirStateAndALinkToEach() async throws {
        try await fixture.application().test(.router) { client in
            // Signed a day apart (two signed the same day and recorded in the same second have no order to test).
            let yesterday = RFC3339.format(Date(timeIntervalSince1970: (Date().timeIntervalSince1970 - 86_400).rounded(.down)))
            let first = try await grant(client, subject: "RSK-2022-000510", clauses: ["jobcenter", "sprachkurs"], grantedAt: yesterday)
            let second = try await grant(client, subject: "RSK-2022-000510", clauses: ["jugendamt"])
            _ = try await grant(client, subject: "RSK-2022-000511", clauses: ["jobcenter"])   // another person: not listed
            let session = try #require(try await pageLogin(client, name: "test-caseworker"))
            let cookie: HTTPFields = [.cookie: "cg_session=\(session)"]
            // One line of the first withdrawn, then the second whole, through the pages' own forms.
            let page = try await client.execute(uri: "/consents/\(first)", method: .get, headers: cookie)
            let csrf = try #require(csrfToken(in: page.text))
            var form = cookie
            form[.contentType] = "application/x-www-form-urlencoded"
            let lines = try await client.execute(uri: "/consents/\(first)/withdraw-lines", method: .post, headers: form,
                                                 body: formEncode([("_csrf", csrf), ("clause", "sprachkurs")]))
            #expect(lines.status == .seeOther && lines.headers[.location] == "/consents/\(first)?done=lines-withdrawn", "\(lines.text)")
            let linesDone = try await client.execute(uri: "/consents/\(first)?done=lines-withdrawn&lang=en", method: .get, headers: cookie)
            #expect(linesDone.text.contains("<p>The chosen lines are withdrawn; the others still hold.</p>"), "\(linesDone.text)")
            let whole = try await client.execute(uri: "/consents/\(second)/withdraw", method: .post, headers: form, body: formEncode([("_csrf", csrf)]))
            #expect(whole.status == .seeOther, "\(whole.text)")

            let de = try await client.execute(uri: "/consents?subject=%20RSK-2022-000510", method: .get, headers: cookie)
            #expect(de.status == .ok, "\(de.text)")
            let rows = de.text.matches(of: /<tr data-consent="([^"]+)" data-state="([^"]+)">/).map { (String($0.1), String($0.2)) }
            #expect(rows.map(\.0) == [second, first], "newest first: \(de.text)")
            #expect(rows.map(\.1) == ["withdrawn", "active"])
            #expect(de.text.contains("1 von 2 Zeilen widerrufen"), "\(de.text)")
            #expect(de.text.contains("<a href=\"/consents/\(first)\">Öffnen") && de.text.contains("<a href=\"/consents/\(second)\">Öffnen"))
            #expect(de.text.contains("<title>Einwilligungen von RSK-2022-000510 – ConsentGate</title>"), "\(de.text)")
            #expect(de.text.contains("<li data-clause=\"jobcenter\"><code>jobcenter</code> – Weitergabe an das Jobcenter"), "\(de.text)")
            // The navigation leads there.
            #expect(de.text.contains("<a href=\"/consents\" aria-current=\"page\">Einwilligungen finden</a>"), "\(de.text)")
            let en = try await client.execute(uri: "/consents?subject=RSK-2022-000510&lang=en", method: .get, headers: cookie)
            #expect(en.text.contains("1 of 2 lines withdrawn") && en.text.contains("Consents of RSK-2022-000510, newest first"), "\(en.text)")
            #expect(!en.text.contains("Einwilligung"), "\(en.text)")

            // The id typed in another letter case: the person meant is named, linked (a person who came to withdraw was
            // told there was nothing), and the municipality's people are offered to pick from, as on the check form.
            let lower = try await client.execute(uri: "/consents?subject=rsk-2022-000510", method: .get, headers: cookie)
            #expect(lower.text.contains("Für rsk-2022-000510 ist keine Einwilligung erfasst. Gemeint ist wohl: <a href=\"/consents?subject=RSK-2022-000510\">RSK-2022-000510</a>"),
                    "\(lower.text)")
            #expect(lower.text.contains("list=\"subject-list\"") && lower.text.contains("<option value=\"RSK-2022-000510\"></option>"), "\(lower.text)")
            // A person without consents: a sentence, and the way to record one.
            let none = try await client.execute(uri: "/consents?subject=RSK-2022-000599", method: .get, headers: cookie)
            #expect(none.status == .ok && none.text.contains("Für RSK-2022-000599 ist keine Einwilligung erfasst."), "\(none.text)")
            // Without a case id: the form alone.
            let empty = try await client.execute(uri: "/consents", method: .get, headers: cookie)
            #expect(empty.status == .ok && empty.text.contains("id=\"subject\"") && !empty.text.contains("<table"), "\(empty.text)")
        }
    }

    @Test func anotherMunicipalitysPersonOrNoCaseIdIsRefusedAtTheField() async throws {
        try await fixture.application().test(.router) { client in
            _ = try await grant(client, subject: "RSK-2022-000520", clauses: ["jobcenter"])
            let other = try #require(try await pageLogin(client, name: "test-caseworker-other"))
            let refused = try await client.execute(uri: "/consents?subject=RSK-2022-000520", method: .get, headers: [.cookie: "cg_session=\(other)"])
            #expect(refused.status == .forbidden, "\(refused.text)")
            #expect(refused.text.contains("Diese Person gehört nicht zu Ihrer Kommune.") && !refused.text.contains("data-consent="), "\(refused.text)")
            #expect(refused.text.contains("value=\"RSK-2022-000520\"") && refused.text.contains("aria-invalid=\"true\""), "the entry is kept")
            // A refused form says so first in its title (a screen reader reads the title first; it kept its normal one).
            #expect(refused.text.contains("<title>Fehler: Einwilligungen einer Person – ConsentGate</title>"), "\(refused.text)")
            let fine = try await client.execute(uri: "/consents", method: .get, headers: [.cookie: "cg_session=\(other)"])
            #expect(fine.text.contains("<title>Einwilligungen einer Person – ConsentGate</title>"), "\(fine.text)")
            // Another letter case of another municipality's person: no hint of them (suggestions come from one's own).
            let lower = try await client.execute(uri: "/consents?subject=rsk-2022-000520", method: .get, headers: [.cookie: "cg_session=\(other)"])
            #expect(lower.status == .ok && !lower.text.contains("RSK-2022-000520") && !lower.text.contains("Gemeint ist wohl"), "\(lower.text)")
            let bad = try await client.execute(uri: "/consents?subject=RSK%3Cb%3E", method: .get, headers: [.cookie: "cg_session=\(other)"])
            #expect(bad.status == .badRequest && bad.text.contains("keine gültige Fallnummer") && !bad.text.contains("<b>"), "\(bad.text)")
            // Roles other than case worker: 403 (the DPO has the Art. 15 report).
            let dpo = try #require(try await pageLogin(client, name: "test-dpo"))
            let dpoPage = try await client.execute(uri: "/consents?subject=RSK-2022-000520", method: .get, headers: [.cookie: "cg_session=\(dpo)"])
            #expect(dpoPage.status == .forbidden)
        }
    }

    @Test func theCheckResultLinksToThePersonsConsents() async throws {
        try await fixture.application().test(.router) { client in
            _ = try await grant(client, subject: "RSK-2022-000530", clauses: ["jobcenter"])
            let session = try #require(try await pageLogin(client, name: "test-caseworker"))
            let cookie: HTTPFields = [.cookie: "cg_session=\(session)"]
            let form = try await client.execute(uri: "/check", method: .get, headers: cookie)
            let csrf = try #require(csrfToken(in: form.text))
            // Required choices say so in their labels (only the `required` attribute did), and the options are in the order
            // of their names in the page's language (English pages listed them by the German ids): a review of the pages.
            #expect(form.text.contains("<label for=\"partner\">Stelle (Empfänger) <span class=\"required\">(Pflichtangabe)</span></label>"), "\(form.text)")
            #expect(form.text.contains("<label for=\"subject\">") && form.text.contains("(Pflichtangabe)</span></label>\n"))
            for lang in ["de", "en"] {
                let page = try await client.execute(uri: "/check?lang=\(lang)", method: .get, headers: cookie).text
                let select = try #require(page.firstMatch(of: /<select id="partner"[\s\S]*?<\/select>/).map { String($0.0) })
                let names = select.matches(of: /<option value="[^"]+">([^<]+)<\/option>/).map { String($0.1) }
                #expect(names.count > 3 && names == names.sorted { $0.compare($1, options: [.caseInsensitive, .diacriticInsensitive]) == .orderedAscending },
                        "\(lang): \(names)")
            }
            var headers = cookie
            headers[.contentType] = "application/x-www-form-urlencoded"
            let posted = try await client.execute(uri: "/check", method: .post, headers: headers, body: formEncode([
                ("_csrf", csrf), ("subject", "RSK-2022-000530"), ("partner", "jobcenter"), ("purpose", "job-placement"), ("fields", "name.family")]))
            let result = try await following(client, posted, cookie: "cg_session=\(session)")
            #expect(result.text.contains("<a href=\"/consents?subject=RSK-2022-000530\">Einwilligungen von RSK-2022-000530 anzeigen"), "\(result.text)")
            // The outcome is focused when the page loads, so a screen reader says it (a status present on load is not announced).
            #expect(result.text.contains("<p role=\"status\" id=\"result-summary\" tabindex=\"-1\" autofocus>"), "\(result.text)")
            // The result's title says whose result it is (the form and every result were titled alike).
            #expect(result.text.contains("<title>Ergebnis der Prüfung für RSK-2022-000530 – Weitergabe prüfen – ConsentGate</title>"), "\(result.text)")
        }
    }
}
