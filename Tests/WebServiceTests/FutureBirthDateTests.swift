import Foundation
import Gate
import Hummingbird
import HummingbirdTesting
import PolicyEngine
import Testing
@testable import WebService

/// A birth date after tomorrow is refused where a request states one (found in the web review: `POST /v1/consents` with
/// `"birth-date": "2990-01-01"` recorded the consent and filed the person as a minor for centuries; decisions and the
/// referral check took it as well). 400 `invalid-field` naming the field; nothing recorded.
@Suite struct FutureBirthDateTests {
    static let future = "2990-01-01"

    @Test func decisionsAndGrantsRefuseIt() async throws {
        let fixture = try WebFixture()
        defer { fixture.remove() }
        let gate = fixture.environment.gate
        try await fixture.application().test(.router) { client in
            let before = try gate.auditLog.size()
            let decision = try await client.execute(uri: "/v1/decisions?lang=en", method: .post, headers: jsonHeaders(fixture.tokens["caseworker"]!),
                body: ByteBuffer(string: #"{"subject": "RSK-2099-000001", "attributes": {"birth-date": "\#(Self.future)"}, "partner": "jobcenter", "purpose": "job-placement", "fields": ["name.family"]}"#))
            #expect(decision.status == .badRequest, "\(decision.text)")
            #expect(decision.errorCode == "invalid-field")
            #expect(decision.errorMessage?.contains("attributes.birth-date") == true, "\(decision.text)")
            #expect(decision.errorMessage?.contains("is in the future") == true, "\(decision.text)")

            let grant = try await client.execute(uri: "/v1/consents", method: .post, headers: jsonHeaders(fixture.tokens["caseworker"]!),
                body: ByteBuffer(string: #"{"subject": "RSK-2099-000002", "attributes": {"birth-date": "\#(Self.future)"}, "template": "kim-beratung", "language": "de", "clauses": ["jobcenter"], "guardians": [{"name": "X"}]}"#))
            #expect(grant.status == .badRequest, "\(grant.text)")
            #expect(grant.errorMessage?.contains("liegt in der Zukunft") == true, "\(grant.text)")
            #expect(try gate.auditLog.size() == before, "nothing recorded")
            #expect(try gate.consents.list(subject: "RSK-2099-000002").isEmpty)

            // Today in Berlin (the day ages are counted on) is taken; the day after it is in the future (before 2026-12-07
            // the UTC day after today passed the field's check: a review of dates).
            let today = UTCDay.format(BerlinDay.day(of: Date()))
            let ok = try await client.execute(uri: "/v1/decisions", method: .post, headers: jsonHeaders(fixture.tokens["caseworker"]!),
                body: ByteBuffer(string: #"{"subject": "RSK-2099-000003", "attributes": {"birth-date": "\#(today)"}, "partner": "jobcenter", "purpose": "job-placement", "fields": ["name.family"]}"#))
            #expect(ok.status == .ok, "\(ok.text)")
            let tomorrow = UTCDay.format(BerlinDay.day(of: Date()) + 1)
            let unborn = try await client.execute(uri: "/v1/decisions?lang=en", method: .post, headers: jsonHeaders(fixture.tokens["caseworker"]!),
                body: ByteBuffer(string: #"{"subject": "RSK-2099-000005", "attributes": {"birth-date": "\#(tomorrow)"}, "partner": "jobcenter", "purpose": "job-placement", "fields": ["name.family"]}"#))
            #expect(unborn.status == .badRequest && unborn.errorCode == "invalid-field", "\(unborn.text)")
            #expect(unborn.errorMessage?.contains("birth date \"\(tomorrow)\" is in the future") == true, "\(unborn.text)")
            // Before the person's birth day in Berlin, a decision for an earlier moment (`at`) is refused as invalid input.
            let early = try await client.execute(uri: "/v1/decisions?lang=en", method: .post, headers: jsonHeaders(fixture.tokens["caseworker"]!),
                body: ByteBuffer(string: #"{"subject": "RSK-2099-000006", "attributes": {"birth-date": "\#(today)"}, "partner": "jobcenter", "purpose": "job-placement", "fields": ["name.family"], "at": "2020-01-01T10:00:00Z"}"#))
            #expect(early.status == .unprocessableContent, "\(early.text)")
            #expect(early.errorMessage?.contains("birth date \(today) lies after the day of the decision") == true, "\(early.text)")
        }
    }

    @Test func theReferralCheckFormRefusesIt() async throws {
        let fixture = try WebFixture()
        defer { fixture.remove() }
        try await fixture.application().test(.router) { client in
            let cookie = try #require(try await pageLogin(client, name: "test-caseworker"))
            let form = try await client.execute(uri: "/check", method: .get, headers: [.cookie: "cg_session=\(cookie)"])
            let csrf = try #require(csrfToken(in: form.text))
            let r = try await client.execute(uri: "/check", method: .post,
                headers: [.cookie: "cg_session=\(cookie)", .contentType: "application/x-www-form-urlencoded"],
                body: formEncode([("_csrf", csrf), ("subject", "RSK-2099-000004"), ("birth-date", Self.future), ("partner", "jobcenter"),
                                  ("purpose", "job-placement"), ("fields", "name.family")]))
            #expect(r.status == .badRequest)
            #expect(r.text.contains("Geburtsdatum &quot;\(Self.future)&quot; liegt in der Zukunft") || r.text.contains("Geburtsdatum \"\(Self.future)\" liegt in der Zukunft"), "\(r.text)")
        }
    }
}

extension FutureBirthDateTests {
    /// A declaration signed before the person's birth is refused by the API as by the command line (a review of dates:
    /// `POST /v1/consents` recorded an active consent signed eleven months before a birth day): 422 naming the field and
    /// the signing day; nothing recorded. Signed on the birth day, it is taken.
    @Test(arguments: [("2026-01-01T10:00:00Z", "2026-06-01", false), ("2026-06-01T08:00:00Z", "2026-06-01", true),
                      ("2026-05-31T22:30:00Z", "2026-06-01", true)])
    func aGrantSignedBeforeTheBirthIsRefused(_ grantedAt: String, _ birth: String, _ taken: Bool) async throws {
        let fixture = try WebFixture()
        defer { fixture.remove() }
        let gate = fixture.environment.gate
        try await fixture.application().test(.router) { client in
            let before = try gate.auditLog.size()
            let grant = try await client.execute(uri: "/v1/consents?lang=en", method: .post, headers: jsonHeaders(fixture.tokens["caseworker"]!),
                body: ByteBuffer(string: #"{"subject": "RSK-2099-000010", "attributes": {"birth-date": "\#(birth)"}, "template": "kim-beratung", "language": "de", "clauses": ["jobcenter"], "guardians": [{"name": "Mutter"}], "granted-at": "\#(grantedAt)"}"#))
            if taken {
                #expect(grant.status == .created, "\(grant.text)")
                return
            }
            #expect(grant.status == .unprocessableContent, "\(grant.text)")
            #expect(grant.errorMessage?.contains("subject.birth-date: birth date \(birth) lies after the day of the signature (2026-01-01, Europe/Berlin)") == true,
                    "\(grant.text)")
            #expect(try gate.auditLog.size() == before, "nothing recorded")
            #expect(try gate.consents.list(subject: "RSK-2099-000010").isEmpty)
        }
    }

    /// A birth date before 1900 is refused as the future one is, in the API's decisions and grants and on the referral
    /// check form, naming the field; 1900-01-01 is taken (found in a review of dates: `1015-03-14` was decided with age
    /// 1011, a child typed `1015` for `2015` counted as an adult).
    @Test func aBirthDateBefore1900IsRefused() async throws {
        let fixture = try WebFixture()
        defer { fixture.remove() }
        let gate = fixture.environment.gate
        try await fixture.application().test(.router) { client in
            let before = try gate.auditLog.size()
            for birth in ["1899-12-31", "1015-03-14"] {
                let decision = try await client.execute(uri: "/v1/decisions?lang=en", method: .post, headers: jsonHeaders(fixture.tokens["caseworker"]!),
                    body: ByteBuffer(string: #"{"subject": "RSK-2099-000011", "attributes": {"birth-date": "\#(birth)"}, "partner": "jugendamt", "purpose": "youth-welfare-planning", "fields": ["childcare.kita-need"]}"#))
                #expect(decision.status == .badRequest, "\(decision.text)")
                #expect(decision.errorCode == "invalid-field")
                #expect(decision.errorMessage?.contains("attributes.birth-date") == true, "\(decision.text)")
                #expect(decision.errorMessage?.contains("birth date \"\(birth)\" lies before 1900; check the year") == true, "\(decision.text)")
            }
            let grant = try await client.execute(uri: "/v1/consents", method: .post, headers: jsonHeaders(fixture.tokens["caseworker"]!),
                body: ByteBuffer(string: #"{"subject": "RSK-2099-000012", "attributes": {"birth-date": "1899-12-31"}, "template": "kim-beratung", "language": "de", "clauses": ["jobcenter"]}"#))
            #expect(grant.status == .badRequest, "\(grant.text)")
            #expect(grant.errorMessage?.contains("liegt vor 1900; bitte das Jahr prüfen") == true, "\(grant.text)")
            #expect(try gate.auditLog.size() == before, "nothing recorded")
            #expect(try gate.consents.list(subject: "RSK-2099-000012").isEmpty)
            let ok = try await client.execute(uri: "/v1/decisions", method: .post, headers: jsonHeaders(fixture.tokens["caseworker"]!),
                body: ByteBuffer(string: #"{"subject": "RSK-2099-000013", "attributes": {"birth-date": "1900-01-01"}, "partner": "jugendamt", "purpose": "youth-welfare-planning", "fields": ["childcare.kita-need"]}"#))
            #expect(ok.status == .ok, "\(ok.text)")

            let cookie = try #require(try await pageLogin(client, name: "test-caseworker"))
            let form = try await client.execute(uri: "/check", method: .get, headers: [.cookie: "cg_session=\(cookie)"])
            let csrf = try #require(csrfToken(in: form.text))
            let page = try await client.execute(uri: "/check", method: .post,
                headers: [.cookie: "cg_session=\(cookie)", .contentType: "application/x-www-form-urlencoded"],
                body: formEncode([("_csrf", csrf), ("subject", "RSK-2099-000014"), ("birth-date", "1899-12-31"), ("partner", "jugendamt"),
                                  ("purpose", "youth-welfare-planning"), ("fields", "childcare.kita-need")]))
            #expect(page.status == .badRequest)
            #expect(page.text.contains("liegt vor 1900; bitte das Jahr prüfen"), "\(page.text)")
        }
    }

    /// The consent recording form too (it filed the person as a minor and asked for a guardian): the form comes back
    /// (400) with the words at the birth date, nothing recorded; tomorrow's date is taken, as in the API.
    @Test func theRecordingFormRefusesIt() async throws {
        let fixture = try WebFixture()
        defer { fixture.remove() }
        let gate = fixture.environment.gate
        try await fixture.application().test(.router) { client in
            let session = try #require(try await pageLogin(client, name: "test-caseworker"))
            let post = RemovedAccountMunicipalityPageTests()
            func fields(_ subject: String, _ birth: String) -> [(String, String)] {
                [("subject", subject), ("birth-date", birth), ("template", "kim-beratung"), ("language", "de"),
                 ("clauses.kim-beratung", "jobcenter"), ("guardians", "Olena Beispiel")]
            }
            let before = try gate.auditLog.size()
            let r = try await post.postMultipart(client, "/consents", session: session, lang: "de", fields: fields("RSK-2099-000005", Self.future))
            #expect(r.status == .badRequest, "\(r.text.suffix(600))")
            #expect(r.text.contains("Geburtsdatum &quot;\(Self.future)&quot; liegt in der Zukunft") || r.text.contains("Geburtsdatum \"\(Self.future)\" liegt in der Zukunft"), "\(r.text)")
            #expect(r.text.contains("value=\"RSK-2099-000005\""), "entries kept")
            #expect(try gate.consents.list(subject: "RSK-2099-000005").isEmpty)
            #expect(try gate.auditLog.size() == before)

            // The day after today in Berlin is refused too (before 2026-12-07 the UTC day after today was recorded, signed
            // today by a person born tomorrow); today is taken.
            let tomorrow = UTCDay.format(BerlinDay.day(of: Date()) + 1)
            let refused = try await post.postMultipart(client, "/consents", session: session, lang: "de", fields: fields("RSK-2099-000007", tomorrow))
            #expect(refused.status == .badRequest, "\(refused.text.suffix(600))")
            #expect(try gate.consents.list(subject: "RSK-2099-000007").isEmpty)
            let today = UTCDay.format(BerlinDay.day(of: Date()))
            let ok = try await post.postMultipart(client, "/consents", session: session, lang: "de", fields: fields("RSK-2099-000006", today))
            #expect(ok.status == .seeOther, "\(ok.text.suffix(600))")
            #expect(try gate.consents.list(subject: "RSK-2099-000006").count == 1)
        }
    }
}

/// `YYYY-MM-DD` of a time in UTC (for the tests).
enum RFC3339Day {
    static func string(_ date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX"); f.timeZone = TimeZone(identifier: "UTC"); f.dateFormat = "yyyy-MM-dd"
        return f.string(from: date)
    }
}
