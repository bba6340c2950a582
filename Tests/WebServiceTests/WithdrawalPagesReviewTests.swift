import AuditLog
import ConsentRecords
import Foundation
import Gate
import Hummingbird
import HummingbirdTesting
import Testing
@testable import WebService

/// Findings of a black-box review of the pages about withdrawals, over real HTTP: the check page's and "explain
/// again"'s reason once the whole consent or its last line went ("the other lines still hold" only while some do; a
/// withdrawn explicit line named), the log's name for a withdrawal of single lines, the printed copy of a withdrawn
/// consent, the consent page's refusals of a withdrawal of lines, and the Art. 15 page's date and checkpoint.
@Suite struct WithdrawalPagesReviewTests {
    let fixture: WebFixture
    init() throws { fixture = try WebFixture() }

    var worker: String { fixture.tokens["caseworker"]! }

    /// Grants `kim-beratung` with the Jobcenter line and its explicit health line, declaration in `language`; the id.
    func grant(_ client: some TestClientProtocol, subject: String, language: String = "de") async throws -> String {
        let r = try await client.execute(uri: "/v1/consents", method: .post, headers: jsonHeaders(worker),
            body: ByteBuffer(string: #"{"subject": "\#(subject)", "attributes": {"birth-date": "1990-01-01"}, "template": "kim-beratung", "language": "\#(language)", "clauses": ["jobcenter", "jobcenter-gesundheit"]}"#))
        #expect(r.status == .created, "\(r.text)")
        return try #require((r.json["consent"] as? [String: Any])?["id"] as? String)
    }

    /// Withdraws `clauses` of consent `id` over the API (nil: the whole consent).
    func withdraw(_ client: some TestClientProtocol, _ id: String, clauses: [String]? = nil) async throws {
        let body = clauses.map { c in ByteBuffer(string: #"{"clauses": [\#(c.map { "\"\($0)\"" }.joined(separator: ","))]}"#) }
        let r = try await client.execute(uri: "/v1/consents/\(id)/withdraw", method: .post, headers: jsonHeaders(worker), body: body)
        try #require(r.status == .ok, "\(r.text)")
    }

    /// Posts a page form with a fresh CSRF token of `session`.
    func post(_ client: some TestClientProtocol, _ uri: String, session: String, fields: [(String, String)], lang: String) async throws -> TestResponse {
        let page = try await client.execute(uri: "/", method: .get, headers: [.cookie: "cg_session=\(session)"])
        let csrf = try #require(csrfToken(in: page.text))
        // A check is answered 303 to its page (post-redirect-get), which a browser follows.
        return try await following(client, try await client.execute(uri: uri, method: .post,
            headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "cg_session=\(session); cg_lang=\(lang)"],
            body: formEncode(fields + [("_csrf", csrf)])), cookie: "cg_session=\(session); cg_lang=\(lang)")
    }

    /// The reason cell of field `field` in a decision table of `html` (the first row for it).
    static func reason(_ field: String, in html: String) -> String? {
        guard let row = html.range(of: "<tr data-field=\"\(field)\"") else { return nil }
        let rest = html[row.upperBound...]
        guard let end = rest.range(of: "</tr>") else { return nil }
        return String(rest[..<end.lowerBound])
    }

    @Test("the check page and explain again: no \"other lines still hold\" for a consent withdrawn as a whole or with its last line; a withdrawn explicit line is named",
          arguments: ["de", "en"])
    func checkAndExplainWords(lang: String) async throws {
        try await fixture.application().test(.router) { client in
            let whole = try await grant(client, subject: "RSK-WP-1")
            try await withdraw(client, whole, clauses: ["jobcenter"])
            try await withdraw(client, whole)
            let explicit = try await grant(client, subject: "RSK-WP-2")
            try await withdraw(client, explicit, clauses: ["jobcenter-gesundheit"])
            let allLines = try await grant(client, subject: "RSK-WP-7")
            try await withdraw(client, allLines, clauses: ["jobcenter", "jobcenter-gesundheit"])
            let session = try #require(try await pageLogin(client, name: "test-caseworker"))
            let de = lang == "de"
            // The line and the whole consent withdrawn in one second or in two: the whole consent either way.
            let wholeWords = de ? ["Einwilligung am "] : ["consent withdrawn on ", ", the whole consent on "]
            let jobcenterLine = de ? "die Zeile „Weitergabe an das Jobcenter zur Arbeitsvermittlung und Grundsicherung“ (jobcenter) der Einwilligung wurde am "
                                   : "the line “Passing to the Jobcenter for job placement and basic income support” (jobcenter) of the consent was withdrawn on "
            for (subject, field, expected) in [
                ("RSK-WP-1", "name.family", wholeWords),
                ("RSK-WP-1", "health.notes", [de ? "gesperrt, außer mit ausdrücklicher Einwilligung; Einwilligung am " : "blocked unless an explicit consent is given; consent withdrawn on "]),
                ("RSK-WP-2", "health.notes", [de ? "gesperrt, außer mit ausdrücklicher Einwilligung; die Zeile „Ausdrücklich: Gesundheitliche Hinweise an das Jobcenter (z. B. für angepasste Arbeit)“ (jobcenter-gesundheit) der Einwilligung wurde am "
                                                 : "blocked unless an explicit consent is given; the line “Explicitly: health notes to the Jobcenter (e.g. for suitable work)” (jobcenter-gesundheit) of the consent was withdrawn on "]),
                ("RSK-WP-2", "health.notes", [de ? " widerrufen; die übrigen Zeilen gelten weiter" : "; the other lines still hold"]),
                ("RSK-WP-7", "name.family", [jobcenterLine]),
                ("RSK-WP-7", "name.family", [de ? " widerrufen; damit gilt keine Zeile mehr, die Einwilligung ist ganz widerrufen" : "; with it no line holds any more, the whole consent is withdrawn"]),
            ] {
                let check = try await post(client, "/check", session: session, fields: [
                    ("subject", subject), ("partner", "jobcenter"), ("purpose", "job-placement"), ("fields", "name.family"), ("fields", "health.notes")], lang: lang)
                #expect(check.status == .ok, "\(check.text)")
                let reason = try #require(Self.reason(field, in: check.text), "\(check.text)")
                #expect(expected.contains { reason.contains($0) }, "\(subject) \(field): \(reason)")
                if subject != "RSK-WP-2" {
                    #expect(!check.text.contains(de ? "die übrigen Zeilen gelten weiter" : "the other lines still hold"), "\(reason)")
                }
                #expect(!check.text.contains(de ? "widerrufen, abgelaufen oder ungültig" : "withdrawn, expired or invalid"), "\(reason)")
            }
            // "Explain again" of the last check (RSK-WP-2) and of one for RSK-WP-1 say the same.
            _ = try await post(client, "/check", session: session, fields: [
                ("subject", "RSK-WP-1"), ("partner", "jobcenter"), ("purpose", "job-placement"), ("fields", "name.family")], lang: lang)
            let decision = try #require(try fixture.environment.gate.auditLog.entries(matching: AuditQuery(kinds: [.decision])).last)
            let dpo = try #require(try await pageLogin(client, name: "test-dpo"))
            let explained = try await client.execute(uri: "/audit/entries/\(Int(decision.index))?explain=1", method: .get,
                                                     headers: [.cookie: "cg_session=\(dpo); cg_lang=\(lang)"])
            #expect(explained.status == .ok)
            let reason = try #require(Self.reason("name.family", in: explained.text), "\(explained.text)")
            #expect(wholeWords.contains { reason.contains($0) }, "\(reason)")
            #expect(!explained.text.contains(de ? "die übrigen Zeilen gelten weiter" : "the other lines still hold"))
        }
    }

    @Test("the log's list and entry page name a withdrawal of single lines, with the lines, apart from a whole withdrawal",
          arguments: ["de", "en"])
    func logNamesLineWithdrawals(lang: String) async throws {
        try await fixture.application().test(.router) { client in
            let id = try await grant(client, subject: "RSK-WP-3")
            try await withdraw(client, id, clauses: ["jobcenter-gesundheit"])
            try await withdraw(client, id)
            let cookie: HTTPFields = [.cookie: "cg_session=\(try #require(try await pageLogin(client, name: "test-dpo"))); cg_lang=\(lang)"]
            let lines = lang == "de" ? "Zeilen der Einwilligung widerrufen: jobcenter-gesundheit" : "Lines of the consent withdrawn: jobcenter-gesundheit"
            let whole = lang == "de" ? "Einwilligung widerrufen" : "Consent withdrawn"
            let list = try await client.execute(uri: "/audit?kind=consent-withdrawn&subject=RSK-WP-3", method: .get, headers: cookie)
            #expect(list.status == .ok)
            #expect(list.text.contains("<td data-kind=\"consent-withdrawn\">\(lines)</td>"), "\(list.text)")
            #expect(list.text.contains("<td data-kind=\"consent-withdrawn\">\(whole)</td>"), "\(list.text)")
            let entries = try fixture.environment.gate.auditLog.entries(matching: AuditQuery(subject: "RSK-WP-3", kinds: [.consentWithdrawn]))
            #expect(entries.count == 2)
            let first = try await client.execute(uri: "/audit/entries/\(Int(entries[0].index))", method: .get, headers: cookie)
            #expect(first.text.contains("<span id=\"entry-kind\">\(lines)</span>"), "\(first.text)")
            let second = try await client.execute(uri: "/audit/entries/\(Int(entries[1].index))", method: .get, headers: cookie)
            #expect(second.text.contains("<span id=\"entry-kind\">\(whole)</span>"), "\(second.text)")
        }
    }

    @Test("the printed copy of a consent says which lines were withdrawn and when, and that the whole consent was",
          arguments: [("de", "erteilt, am ", "Einzelne Punkte wurden seitdem widerrufen", "Die ganze Einwilligung wurde am ", " MEZ"),
                      ("en", "granted, withdrawn on ", "Single items were withdrawn since", "The whole consent was withdrawn on ", " CET"),
                      ("uk", "надано, відкликано ", "Окремі пункти згодом відкликано", "Усю згоду відкликано ", "(за берлінським часом)")])
    func copyShowsWithdrawals(language: String, lineWords: String, linesNote: String, wholeNote: String, zone: String) async throws {
        try await fixture.application().test(.router) { client in
            let id = try await grant(client, subject: "RSK-WP-4", language: language)
            let cookie: HTTPFields = [.cookie: "cg_session=\(try #require(try await pageLogin(client, name: "test-caseworker")))"]
            func clause(_ c: String, in html: String) throws -> String {
                try #require(html.firstMatch(of: try Regex("<div class=\"clause\" id=\"clause-\(c)\"[\\s\\S]*?<dl>")).map { String($0.0) })
            }
            let before = try await client.execute(uri: "/consents/\(id)/declaration", method: .get, headers: cookie)
            #expect(!before.text.contains("withdrawal-note") && !before.text.contains("data-withdrawn"))

            try await withdraw(client, id, clauses: ["jobcenter-gesundheit"])
            let some = try await client.execute(uri: "/consents/\(id)/declaration", method: .get, headers: cookie)
            #expect(some.text.contains("id=\"withdrawal-note\" data-withdrawn=\"lines\">\(linesNote)"), "\(some.text)")
            let gone = try clause("jobcenter-gesundheit", in: some.text)
            #expect(gone.contains("data-withdrawn=\"true\"") && gone.contains(lineWords) && gone.contains(zone), "\(gone)")
            let kept = try clause("jobcenter", in: some.text)
            #expect(!kept.contains("data-withdrawn") && !kept.contains(lineWords), "\(kept)")

            try await withdraw(client, id)
            let all = try await client.execute(uri: "/consents/\(id)/declaration", method: .get, headers: cookie)
            #expect(all.text.contains("id=\"withdrawal-note\" data-withdrawn=\"whole\">\(wholeNote)"), "\(all.text)")
            #expect(try clause("jobcenter", in: all.text).contains(lineWords))
        }
    }

    @Test("a refused withdrawal of lines says why in words naming the field: nothing ticked, the consent withdrawn meanwhile",
          arguments: ["de", "en"])
    func lineWithdrawalRefusals(lang: String) async throws {
        try await fixture.application().test(.router) { client in
            let id = try await grant(client, subject: "RSK-WP-5")
            let session = try #require(try await pageLogin(client, name: "test-caseworker"))
            let de = lang == "de"
            let none = try await post(client, "/consents/\(id)/withdraw-lines", session: session, fields: [], lang: lang)
            #expect(none.status == .unprocessableContent)
            let message = try #require(none.text.firstMatch(of: /<p id="withdraw-lines-problem" class="alert" role="alert">([^<]*)<\/p>/).map { String($0.1) })
            #expect(message == (de ? "„Nur einzelne Zeilen widerrufen“: keine Zeile angekreuzt. Bitte mindestens eine Zeile ankreuzen; um die ganze Einwilligung zu widerrufen, die Schaltfläche „Einwilligung widerrufen“ verwenden."
                                   : "“Withdraw single lines only”: no line ticked. Please tick at least one line; to withdraw the whole consent, use the button “Withdraw consent”."))

            try await withdraw(client, id)
            let late = try await post(client, "/consents/\(id)/withdraw-lines", session: session, fields: [("clause", "jobcenter")], lang: lang)
            #expect(late.status == .unprocessableContent)
            let said = try #require(late.text.firstMatch(of: /<p id="withdraw-lines-problem" class="alert" role="alert">([^<]*)<\/p>/).map { String($0.1) }, "\(late.text)")
            #expect(said.hasPrefix(de ? "„Nur einzelne Zeilen widerrufen“: die ganze Einwilligung wurde inzwischen widerrufen (am " : "“Withdraw single lines only”: the whole consent has been withdrawn meanwhile (on "), "\(said)")
            #expect(!said.contains(id), "no raw consent id: \(said)")
            #expect(late.text.contains("data-state=\"withdrawn\""), "the consent page, usable: \(late.text)")
        }
    }

    @Test("the Art. 15 page says when it was produced (Berlin time) and ends with the signed checkpoint", arguments: ["de", "en"])
    func reportDateAndCheckpoint(lang: String) async throws {
        try await fixture.application().test(.router) { client in
            _ = try await grant(client, subject: "RSK-WP-6")
            let cookie: HTTPFields = [.cookie: "cg_session=\(try #require(try await pageLogin(client, name: "test-dpo"))); cg_lang=\(lang)"]
            let page = try await client.execute(uri: "/audit/report?subject=RSK-WP-6", method: .get, headers: cookie)
            #expect(page.status == .ok)
            let produced = try #require(page.text.firstMatch(of: /<span id="report-generated"><time datetime="[^"]+">([^<]+)<\/time><\/span>/).map { String($0.1) }, "\(page.text)")
            #expect(produced.hasSuffix(lang == "de" ? " MEZ" : " CET") || produced.hasSuffix(lang == "de" ? " MESZ" : " CEST"))
            #expect(page.text.contains(lang == "de" ? "Erstellt am" : "Produced on"))
            let checkpoint = try #require(page.text.firstMatch(of: /<section id="report-checkpoint"[\s\S]*?<pre class="entry">([\s\S]*?)<\/pre>/).map { String($0.1) }, "\(page.text)")
            #expect(checkpoint.hasPrefix("consentgate.local/audit\n"), "\(checkpoint)")
        }
    }

    @Test("a release after a withdrawal recorded later but dated before it: the Art. 15 page marks its row and overview line, explain again says so",
          arguments: ["de", "en"])
    func releaseAfterABackDatedWithdrawal(lang: String) async throws {
        try await fixture.application().test(.router) { client in
            let grantedAt = AuditTime.format(Date().addingTimeInterval(-7200))
            let granted = try await client.execute(uri: "/v1/consents", method: .post, headers: jsonHeaders(worker),
                body: ByteBuffer(string: #"{"subject": "RSK-WP-7", "attributes": {"birth-date": "1990-01-01"}, "template": "kim-beratung", "language": "de", "clauses": ["jobcenter"], "granted-at": "\#(grantedAt)"}"#))
            try #require(granted.status == .created, "\(granted.text)")
            let id = try #require((granted.json["consent"] as? [String: Any])?["id"] as? String)
            let check = try await client.execute(uri: "/v1/decisions", method: .post, headers: jsonHeaders(worker),
                body: ByteBuffer(string: #"{"subject": "RSK-WP-7", "partner": "jobcenter", "purpose": "job-placement", "fields": ["name.family"], "referral": "REF-WP-7"}"#))
            try #require(check.status == .ok, "\(check.text)")
            let index = try #require((check.json["audit"] as? [String: Any])?["index"] as? Int)
            // The person's letter of an hour ago, entered now (the CLI's `consent withdraw --at`).
            let gate = fixture.environment.gate
            let (_, withdrawal) = try gate.withdrawConsent(id: id, at: Date().addingTimeInterval(-3600),
                                                           recordedBy: CaseManagerReference(caseManager: "test-caseworker", municipality: "Troisdorf"),
                                                           actor: Actor(id: "test-caseworker", municipality: "Troisdorf"))
            let withdrawalIndex = try #require(withdrawal)
            let cookie: HTTPFields = [.cookie: "cg_session=\(try #require(try await pageLogin(client, name: "test-dpo"))); cg_lang=\(lang)"]
            let page = try await client.execute(uri: "/audit/report?subject=RSK-WP-7", method: .get, headers: cookie)
            #expect(page.status == .ok)
            let row = try #require(page.text.firstMatch(of: /<tr data-after-withdrawal="true">[\s\S]*?<\/tr>/).map { String($0.0) }, "\(page.text)")
            #expect(row.contains("/audit/entries/\(index)\""), "\(row)")
            #expect(row.contains(lang == "de" ? "Ohne Rechtsgrundlage: Familienname" : "Without a legal basis: Family name"), "\(row)")
            #expect(row.contains(lang == "de" ? "Protokolleintrag \(withdrawalIndex)" : "log entry \(withdrawalIndex)"), "\(row)")
            #expect(page.text.contains(SubjectReport.afterWithdrawalLabel(lang == "de" ? .de : .en)), "the overview line is marked")
            let explained = try await client.execute(uri: "/audit/entries/\(index)?explain=1", method: .get, headers: cookie)
            let alert = try #require(explained.text.firstMatch(of: /<p class="alert" data-withdrawn-since="[^"]+">([^<]*)<\/p>/).map { String($0.1) }, "\(explained.text)")
            #expect(alert.contains(id) && alert.contains("name.family"), "\(alert)")
            #expect(alert.contains(lang == "de" ? "ohne Rechtsgrundlage" : "without a legal basis"), "\(alert)")
        }
    }

    @Test("a withdrawal lists the partners that got data on the consent by referral: the API's answer and the consent's page",
          arguments: ["de", "en"])
    func referralRecipientsOfAWithdrawal(lang: String) async throws {
        try await fixture.application().test(.router) { client in
            let id = try await grant(client, subject: "RSK-WP-8")
            let check = try await client.execute(uri: "/v1/decisions", method: .post, headers: jsonHeaders(worker),
                body: ByteBuffer(string: #"{"subject": "RSK-WP-8", "partner": "jobcenter", "purpose": "job-placement", "fields": ["name.family"], "referral": "REF-WP-8"}"#))
            try #require(check.status == .ok, "\(check.text)")
            let r = try await client.execute(uri: "/v1/consents/\(id)/withdraw", method: .post, headers: jsonHeaders(worker))
            try #require(r.status == .ok, "\(r.text)")
            let recipients = try #require(r.json["referral-recipients"] as? [[String: Any]], "\(r.text)")
            #expect(recipients.map { $0["partner"] as? String } == ["jobcenter"] && recipients.first?["referrals"] as? [String] == ["REF-WP-8"], "\(r.text)")
            let again = try await client.execute(uri: "/v1/consents/\(id)/withdraw", method: .post, headers: jsonHeaders(worker))
            #expect((again.json["referral-recipients"] as? [Any])?.isEmpty == true, "already withdrawn: nothing new to tell")
            let cookie: HTTPFields = [.cookie: "cg_session=\(try #require(try await pageLogin(client, name: "test-caseworker"))); cg_lang=\(lang)"]
            let page = try await client.execute(uri: "/consents/\(id)", method: .get, headers: cookie)
            let section = try #require(page.text.firstMatch(of: /<section id="referral-recipients"[\s\S]*?<\/section>/).map { String($0.0) }, "\(page.text)")
            #expect(section.contains(lang == "de" ? "Über den Widerruf zu benachrichtigen (Art. 19 DSGVO)" : "To be told of the withdrawal (GDPR Art. 19)"), "\(section)")
            #expect(section.contains("<li data-partner=\"jobcenter\">") && section.contains("REF-WP-8"), "\(section)")
            #expect(section.contains(lang == "de" ? "Familienname" : "Family name"), "\(section)")
            // The DPO sees the same list; read from the log, it is logged as a read of those entries.
            let dpo: HTTPFields = [.cookie: "cg_session=\(try #require(try await pageLogin(client, name: "test-dpo"))); cg_lang=\(lang)"]
            let seen = try await client.execute(uri: "/consents/\(id)", method: .get, headers: dpo)
            #expect(seen.text.contains("<section id=\"referral-recipients\""), "\(seen.text)")
            let reads = try fixture.environment.gate.auditLog.entries(matching: AuditQuery(kinds: [.auditRead]))
            let read = reads.compactMap { e -> AuditReadRecord? in if case let .auditRead(r) = e.entry.content { r } else { nil } }
                .last { $0.command == "GET /consents/{id}: referral recipients" }
            #expect(read?.filters["consent"] == id && read?.results == 1, "\(reads.map(\.entry.content))")
        }
    }
}
