import AuditLog
import ConsentRecords
import Foundation
import Gate
import Hummingbird
import HummingbirdTesting
import Testing
@testable import WebService

/// Withdrawal of single lines (clauses) over real HTTP: the API's optional `clauses`, show and list with the withdrawn
/// lines, the refusals; the consent page's form (a labelled checkbox per line still granted, CSRF), its refusal at the
/// choice, the withdrawn lines with their Berlin time; the check page's words for a withdrawn line.
@Suite struct ClauseWithdrawalWebTests {
    let fixture: WebFixture
    init() throws { fixture = try WebFixture() }

    /// Grants `kim-beratung` with the Jobcenter line and its explicit health line for `subject`; the consent id.
    func grant(_ client: some TestClientProtocol, subject: String) async throws -> String {
        let r = try await client.execute(uri: "/v1/consents", method: .post, headers: jsonHeaders(fixture.tokens["caseworker"]!),
            body: ByteBuffer(string: #"{"subject": "\#(subject)", "attributes": {"birth-date": "1990-01-01"}, "template": "kim-beratung", "language": "de", "clauses": ["jobcenter", "jobcenter-gesundheit"]}"#))
        #expect(r.status == .created)
        return try #require((r.json["consent"] as? [String: Any])?["id"] as? String)
    }

    func withdraw(_ client: some TestClientProtocol, _ id: String, body: String?) async throws -> TestResponse {
        try await client.execute(uri: "/v1/consents/\(id)/withdraw?lang=en", method: .post, headers: jsonHeaders(fixture.tokens["caseworker"]!),
                                 body: body.map { ByteBuffer(string: $0) })
    }

    @Test("the API withdraws the lines named, shows them in show and list, and refuses what breaks the rules (422, nothing logged)")
    func api() async throws {
        try await fixture.application().test(.router) { client in
            let id = try await grant(client, subject: "RSK-CW-1")
            let partial = try await withdraw(client, id, body: #"{"clauses": ["jobcenter-gesundheit"]}"#)
            #expect(partial.status == .ok)
            let consent = try #require(partial.json["consent"] as? [String: Any])
            #expect(consent["state"] as? String == "active")
            let lines = try #require(consent["withdrawn-clauses"] as? [[String: Any]])
            #expect(lines.count == 1 && lines.first?["clause"] as? String == "jobcenter-gesundheit")
            #expect((partial.json["audit"] as? [String: Any])?["index"] != nil)
            let shown = try await client.execute(uri: "/v1/consents/\(id)", method: .get, headers: bearer(fixture.tokens["caseworker"]!))
            #expect(((shown.json["withdrawn-clauses"] as? [[String: Any]])?.count) == 1)
            let list = try await client.execute(uri: "/v1/subjects/RSK-CW-1/consents", method: .get, headers: bearer(fixture.tokens["caseworker"]!))
            let listed = (try? JSONSerialization.jsonObject(with: Data(list.text.utf8))) as? [[String: Any]]
            #expect(((listed?.first?["withdrawn-clauses"] as? [[String: Any]])?.count) == 1)

            let size = try fixture.environment.gate.auditLog.size()
            for (body, status, words) in [
                (#"{"clauses": []}"#, HTTPResponse.Status.unprocessableContent, "needs at least one line"),
                (#"{"clauses": ["sozialamt"]}"#, .unprocessableContent, #"sozialamt\" is not granted"#),
                (#"{"clauses": ["jobcenter-gesundheit"]}"#, .unprocessableContent, #"jobcenter-gesundheit\" is already withdrawn"#),
                (#"{"clauses": "jobcenter"}"#, .badRequest, "clauses"),
                (#"{"withdrawn-at": "2026-01-01T00:00:00Z"}"#, .badRequest, "withdrawn-at"),
            ] {
                let refused = try await withdraw(client, id, body: body)
                #expect(refused.status == status, "\(body): \(refused.text)")
                #expect(refused.text.contains(words), "\(body): \(refused.text)")
            }
            #expect(try fixture.environment.gate.auditLog.size() == size, "nothing logged")
            // No body: the whole consent, as before; then no line can be withdrawn any more.
            let whole = try await withdraw(client, id, body: nil)
            #expect(whole.status == .ok && (whole.json["consent"] as? [String: Any])?["state"] as? String == "withdrawn")
            let after = try await withdraw(client, id, body: #"{"clauses": ["jobcenter"]}"#)
            #expect(after.status == .unprocessableContent && after.text.contains("the whole consent is already withdrawn"))
        }
    }

    func post(_ client: some TestClientProtocol, _ uri: String, session: String, fields: [(String, String)], lang: String = "de") async throws -> TestResponse {
        let page = try await client.execute(uri: "/", method: .get, headers: [.cookie: "cg_session=\(session)"])
        let csrf = try #require(csrfToken(in: page.text))
        // A check is answered 303 to its page (post-redirect-get), which a browser follows.
        return try await following(client, try await client.execute(uri: uri, method: .post,
            headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "cg_session=\(session); cg_lang=\(lang)"],
            body: formEncode(fields + [("_csrf", csrf)])), cookie: "cg_session=\(session); cg_lang=\(lang)")
    }

    @Test("the consent page offers a labelled checkbox per line beside the whole withdrawal; withdrawn lines are listed with their time",
          arguments: ["de", "en"])
    func page(lang: String) async throws {
        try await fixture.application().test(.router) { client in
            let id = try await grant(client, subject: "RSK-CW-2")
            let session = try #require(try await pageLogin(client, name: "test-caseworker"))
            let cookie: HTTPFields = [.cookie: "cg_session=\(session); cg_lang=\(lang)"]
            let shown = try await client.execute(uri: "/consents/\(id)", method: .get, headers: cookie)
            #expect(shown.status == .ok)
            let form = try #require(shown.text.firstMatch(of: /<form method="post" action="\/consents\/[0-9a-f-]+\/withdraw-lines"[\s\S]*?<\/form>/).map { String($0.0) })
            #expect(form.contains("name=\"_csrf\""))
            #expect(form.contains("<legend>" + (lang == "de" ? "Nur einzelne Zeilen widerrufen" : "Withdraw single lines only")))
            #expect(form.contains(#"<input type="checkbox" id="clause-0" name="clause" value="jobcenter">"#))
            #expect(form.contains(#"<label class="inline" for="clause-0">"# + (lang == "de" ? "Weitergabe an das Jobcenter" : "Passing to the Jobcenter")))
            #expect(form.contains(#"value="jobcenter-gesundheit""#))
            #expect(shown.text.contains("id=\"withdraw\""), "the whole withdrawal stays one action")

            // None chosen: the page again, the message at the choice, nothing withdrawn.
            let none = try await post(client, "/consents/\(id)/withdraw-lines", session: session, fields: [], lang: lang)
            #expect(none.status == .unprocessableContent)
            #expect(none.text.contains("id=\"withdraw-lines-problem\" class=\"alert\" role=\"alert\""))
            #expect(none.text.contains("aria-describedby=\"withdraw-lines-problem\""))
            // Its language switch leads to the consent's page (it led to the POST address by GET, a 405).
            let other = lang == "de" ? "en" : "de"
            #expect(none.text.contains("<a href=\"/consents/\(id)?lang=\(other)\" lang=\"\(other)\""), "\(none.text)")
            #expect(try fixture.environment.gate.consents.record(id: id)?.withdrawals.isEmpty == true)

            let done = try await post(client, "/consents/\(id)/withdraw-lines", session: session,
                                      fields: [("clause", "jobcenter-gesundheit")], lang: lang)
            #expect(done.status == .seeOther)
            let again = try await client.execute(uri: "/consents/\(id)", method: .get, headers: cookie)
            let withdrawn = try #require(again.text.firstMatch(of: /<ul id="withdrawn-clauses">[\s\S]*?<\/ul>/).map { String($0.0) })
            #expect(withdrawn.contains("data-clause=\"jobcenter-gesundheit\""))
            #expect(withdrawn.contains(lang == "de" ? "widerrufen am <time datetime=" : "withdrawn on <time datetime="))
            #expect(withdrawn.contains(lang == "de" ? " MEZ</time>" : " CET</time>"), "Berlin time")
            #expect(!again.text.contains(#"value="jobcenter-gesundheit""#), "a withdrawn line is no longer offered")
            // In the list of clauses too, the withdrawn line says so; the other does not (a review of the pages, 2026-12-06).
            let listed = try #require(again.text.firstMatch(of: /<ul id="consent-clauses">[\s\S]*?<\/ul>/).map { String($0.0) })
            #expect(listed.contains(#"data-clause="jobcenter-gesundheit" data-withdrawn="true""#)
                    && listed.contains(lang == "de" ? "(widerrufen)</strong>" : "(withdrawn)</strong>"), "\(listed)")
            #expect(listed.contains(#"<li data-clause="jobcenter"><code>"#), "\(listed)")
            #expect(again.text.contains(#"value="jobcenter""#) && again.text.contains("data-state=\"active\""))
            let entry = try #require(try fixture.environment.gate.auditLog.entries(matching: AuditQuery(kinds: [.consentWithdrawn])).last)
            guard case let .consentWithdrawn(r) = entry.entry.content else { Issue.record("\(entry)"); return }
            #expect(r.clauses == ["jobcenter-gesundheit"])
        }
    }

    @Test("the check page says which line was withdrawn and when, in Berlin time")
    func checkPageWords() async throws {
        try await fixture.application().test(.router) { client in
            let id = try await grant(client, subject: "RSK-CW-3")
            let r = try await withdraw(client, id, body: #"{"clauses": ["jobcenter"]}"#)
            #expect(r.status == .ok)
            let session = try #require(try await pageLogin(client, name: "test-caseworker"))
            let check = try await post(client, "/check", session: session, fields: [
                ("subject", "RSK-CW-3"), ("partner", "jobcenter"), ("purpose", "job-placement"), ("fields", "name.family")])
            #expect(check.status == .ok, "\(check.text)")
            #expect(check.text.contains("die Zeile „Weitergabe an das Jobcenter zur Arbeitsvermittlung und Grundsicherung“ (jobcenter) der Einwilligung wurde am "))
            #expect(check.text.contains(" MEZ widerrufen; die übrigen Zeilen gelten weiter"))
        }
    }
}
