import AuditLog
import Foundation
import Gate
import Hummingbird
import HummingbirdTesting
import PolicyEngine
import Testing
@testable import WebService

/// Recording that a referral's recipient was told of a withdrawal (GDPR Art. 19) over real HTTP: the consent page's
/// button beside each partner to be told (a case worker's, with CSRF), the partner then shown as told with its log
/// entry, the DPO's view without the button; the API's `POST /v1/consents/{id}/referral-notices` and its refusals
/// (nothing logged).
@Suite struct ReferralNoticeWebTests {
    let fixture: WebFixture
    init() throws { fixture = try WebFixture() }

    /// A consent of `subject` on the Jobcenter line, a referral check releasing on it, then the consent withdrawn; its id.
    func withdrawnAfterReferral(_ client: some TestClientProtocol, subject: String) async throws -> String {
        let worker = fixture.tokens["caseworker"]!
        let granted = try await client.execute(uri: "/v1/consents", method: .post, headers: jsonHeaders(worker),
            body: ByteBuffer(string: #"{"subject": "\#(subject)", "attributes": {"birth-date": "1990-01-01"}, "template": "kim-beratung", "language": "de", "clauses": ["jobcenter"]}"#))
        #expect(granted.status == .created, "\(granted.text)")
        let id = try #require((granted.json["consent"] as? [String: Any])?["id"] as? String)
        let decided = try await client.execute(uri: "/v1/decisions", method: .post, headers: jsonHeaders(worker),
            body: ByteBuffer(string: #"{"subject": "\#(subject)", "partner": "jobcenter", "purpose": "job-placement", "fields": ["name.family"], "referral": "REF-7"}"#))
        #expect(decided.status == .ok, "\(decided.text)")
        let withdrawn = try await client.execute(uri: "/v1/consents/\(id)/withdraw", method: .post, headers: jsonHeaders(worker))
        #expect(withdrawn.status == .ok, "\(withdrawn.text)")
        let recipients = try #require(withdrawn.json["referral-recipients"] as? [[String: Any]])
        #expect(recipients.count == 1 && recipients.first?["partner"] as? String == "jobcenter"
                && (recipients.first?["notified"] as? [Any])?.isEmpty == true, "\(withdrawn.text)")
        return id
    }

    func post(_ client: some TestClientProtocol, _ uri: String, session: String, fields: [(String, String)], lang: String) async throws -> TestResponse {
        let page = try await client.execute(uri: "/", method: .get, headers: [.cookie: "cg_session=\(session)"])
        let csrf = try #require(csrfToken(in: page.text))
        return try await following(client, try await client.execute(uri: uri, method: .post,
            headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "cg_session=\(session); cg_lang=\(lang)"],
            body: formEncode(fields + [("_csrf", csrf)])), cookie: "cg_session=\(session); cg_lang=\(lang)")
    }

    @Test(arguments: [("de", "Benachrichtigung vermerken", "– benachrichtigt, vermerkt in Protokolleintrag"),
                      ("en", "Record that it was told", "– told, recorded in log entry")])
    func thePageRecordsThatAPartnerWasTold(_ lang: String, _ button: String, _ told: String) async throws {
        try await fixture.application().test(.router) { client in
            let id = try await withdrawnAfterReferral(client, subject: "RSK-RN-\(lang)")
            let worker = try #require(try await pageLogin(client, name: "test-caseworker"))
            let cookie: HTTPFields = [.cookie: "cg_session=\(worker); cg_lang=\(lang)"]
            let before = try await client.execute(uri: "/consents/\(id)", method: .get, headers: cookie)
            #expect(before.text.contains("action=\"/consents/\(id)/referral-notice\""), "\(before.text)")
            // One referral entry is named in the singular ("Protokolleinträge 18" before: a review of the pages).
            #expect(before.text.contains(lang == "de" ? #/Protokolleintrag \d+\)/# : #/log entry \d+\)/#) && !before.text.contains(lang == "de" ? "Protokolleinträge" : "log entries"), "\(before.text)")
            let named = lang == "de" ? "Benachrichtigung vermerken: Jobcenter" : "Record that it was told: Jobcentre"
            #expect(before.text.contains("<button type=\"submit\" id=\"referral-notice-jobcenter\" aria-label=\"\(named)\">\(button)</button>"), "\(before.text)")
            // Beside it the day the partner was told, today (Berlin) unless changed, named for the partner too.
            let today = UTCDay.format(BerlinDay.day(of: Date()))
            let day = lang == "de" ? ("Benachrichtigt am", "Benachrichtigt am (Jobcenter)") : ("Told on", "Told on (Jobcentre)")
            #expect(before.text.contains("<input type=\"hidden\" name=\"partner\" value=\"jobcenter\"><label class=\"inline\" for=\"told-on-jobcenter\">\(day.0)</label> <input type=\"date\" id=\"told-on-jobcenter\" name=\"told-on\" value=\"\(today)\" max=\"\(today)\" required aria-label=\"\(day.1)\">"), "\(before.text)")
            // The DPO sees the partner as not yet told, without a button.
            let dpo = try #require(try await pageLogin(client, name: "test-dpo"))
            let dpoView = try await client.execute(uri: "/consents/\(id)", method: .get, headers: [.cookie: "cg_session=\(dpo); cg_lang=\(lang)"])
            #expect(dpoView.text.contains("data-notified=\"false\"") && !dpoView.text.contains("referral-notice-jobcenter"), "\(dpoView.text)")

            // A partner not to be told: an error page, nothing logged.
            let size = try fixture.environment.gate.auditLog.size()
            let wrong = try await post(client, "/consents/\(id)/referral-notice", session: worker, fields: [("partner", "sozialamt")], lang: lang)
            #expect(wrong.status == .unprocessableContent, "\(wrong.text)")
            #expect(wrong.text.contains("sozialamt") && wrong.text.contains("jobcenter"), "\(wrong.text)")
            #expect(wrong.text.contains("id=\"referral-notice-problem\" class=\"alert\" role=\"alert\""), "the consent's page with the reason: \(wrong.text)")
            #expect(try fixture.environment.gate.auditLog.size() == size)

            let posted = try await post(client, "/consents/\(id)/referral-notice", session: worker, fields: [("partner", "jobcenter")], lang: lang)
            #expect(posted.status == .seeOther && posted.headers[.location] == "/consents/\(id)?done=notice-recorded#referral-recipients", "\(posted.text)")
            let done = try await client.execute(uri: "/consents/\(id)?done=notice-recorded", method: .get, headers: cookie)
            #expect(done.status == .ok, "\(done.text)")
            #expect(done.text.contains(lang == "de" ? "<p>Die Benachrichtigung ist vermerkt.</p>" : "<p>The notice is recorded.</p>"), "\(done.text)")
            let index = size
            #expect(done.text.contains("data-notified=\"true\">\(told) \(index)</span>"), "\(done.text)")
            #expect(!done.text.contains("referral-notice-jobcenter"), "the button is gone once recorded")
            let stored = try fixture.environment.gate.auditLog.entries(matching: AuditQuery(kinds: [.erasureNotice]))
            #expect(stored.map(\.index) == [index])
            // Told already: a second record is refused at the section, nothing logged.
            let again = try await post(client, "/consents/\(id)/referral-notice", session: worker, fields: [("partner", "jobcenter")], lang: lang)
            #expect(again.status == .unprocessableContent && again.text.contains("referral-notice-problem"), "\(again.text)")
            #expect(try fixture.environment.gate.auditLog.entries(matching: AuditQuery(kinds: [.erasureNotice])).count == 1)
        }
    }

    @Test func theAPIRecordsAndRefuses() async throws {
        try await fixture.application().test(.router) { client in
            let id = try await withdrawnAfterReferral(client, subject: "RSK-RN-API")
            let worker = fixture.tokens["caseworker"]!
            let gate = fixture.environment.gate
            let size = try gate.auditLog.size()
            for (body, status, words) in [
                (#"{"partner": "sozialamt"}"#, HTTPResponse.Status.unprocessableContent, #"partner \"sozialamt\" received no data by referral"#),
                (#"{"partner": "jobcenter", "told-at": "yesterday"}"#, .badRequest, #"field \"told-at\": invalid value: \"yesterday\" is not an RFC 3339 time"#),
                (#"{"partner": "jobcenter", "told-at": "2024-12-31T23:59:60Z"}"#, .badRequest, "a leap second (:60) is not accepted; give :59"),
                (#"{"partner": "jobcenter", "told-at": "1899-12-31T23:59:59Z"}"#, .badRequest, "1900"),
                (#"{"partner": "jobcenter", "told-at": "2999-01-01T00:00:00Z"}"#, .unprocessableContent, "told-at: 2999-01-01T00:00:00Z is in the future"),
                (#"{"partner": "jobcenter", "when": "2026-01-01T00:00:00Z"}"#, .badRequest, "when"),
                (#"{}"#, .badRequest, "partner"),
            ] {
                let refused = try await client.execute(uri: "/v1/consents/\(id)/referral-notices?lang=en", method: .post, headers: jsonHeaders(worker),
                                                       body: ByteBuffer(string: body))
                #expect(refused.status == status, "\(body): \(refused.text)")
                #expect(refused.text.contains(words), "\(body): \(refused.text)")
            }
            #expect(try gate.auditLog.size() == size, "nothing logged")
            let dpo = try await client.execute(uri: "/v1/consents/\(id)/referral-notices", method: .post, headers: jsonHeaders(fixture.tokens["dpo"]!),
                                               body: ByteBuffer(string: #"{"partner": "jobcenter"}"#))
            #expect(dpo.status == .forbidden)
            let done = try await client.execute(uri: "/v1/consents/\(id)/referral-notices", method: .post, headers: jsonHeaders(worker),
                                                body: ByteBuffer(string: #"{"partner": "jobcenter"}"#))
            #expect(done.status == .created, "\(done.text)")
            #expect(done.json["partner"] as? String == "jobcenter" && done.json["consent"] as? String == id)
            #expect((done.json["audit"] as? [String: Any])?["index"] as? Int == Int(size))
            // Shown with the consent's recipients from now on (the list a withdrawal answers is built the same way).
            let subject = try #require(try gate.consents.record(id: id)?.subject)
            #expect(try gate.referralRecipients(onConsent: id, subject: subject).first?.notified == [size])
        }
    }

    /// The day beside the button: today records the notice as of now (no `told-at`); a day in the future, one before the
    /// withdrawal's or one that is no date re-renders the page with the reason, nothing logged.
    @Test func thePagesDayIsCheckedAndToday() async throws {
        try await fixture.application().test(.router) { client in
            let id = try await withdrawnAfterReferral(client, subject: "RSK-RN-DAY")
            let worker = try #require(try await pageLogin(client, name: "test-caseworker"))
            let gate = fixture.environment.gate
            let size = try gate.auditLog.size()
            let today = BerlinDay.day(of: Date())
            // Days as the page writes them (ISO dates stood in the German text: a review of the pages).
            func de(_ day: Int) -> String { UTCDay.words(day, language: .de) }
            for (day, words) in [(UTCDay.format(today + 1), "Benachrichtigt am \(de(today + 1)): der Tag liegt in der Zukunft (heute: \(de(today)))"),
                                 (UTCDay.format(today - 1), "Benachrichtigt am \(de(today - 1)): der Tag liegt vor dem Widerruf (\(de(today)))"),
                                 ("31.12.2026", "Benachrichtigt am: &quot;31.12.2026&quot; ist kein Datum (JJJJ-MM-TT)")] {
                let refused = try await post(client, "/consents/\(id)/referral-notice", session: worker,
                                             fields: [("partner", "jobcenter"), ("told-on", day)], lang: "de")
                #expect(refused.status == .unprocessableContent, "\(day): \(refused.text)")
                #expect(refused.text.contains("id=\"referral-notice-problem\" class=\"alert\" role=\"alert\">\(words)"), "\(day): \(refused.text)")
            }
            #expect(try gate.auditLog.size() == size, "nothing logged")
            let posted = try await post(client, "/consents/\(id)/referral-notice", session: worker,
                                        fields: [("partner", "jobcenter"), ("told-on", UTCDay.format(today))], lang: "de")
            #expect(posted.status == .seeOther, "\(posted.text)")
            let stored = try #require(try gate.auditLog.entries(matching: AuditQuery(kinds: [.erasureNotice])).first)
            guard case let .erasureNotice(n) = stored.entry.content else { Issue.record("not a notice"); return }
            #expect(n.toldAt == nil, "today: the entry's own time")
            #expect(n.notify == ["jobcenter"])
        }
    }
}
