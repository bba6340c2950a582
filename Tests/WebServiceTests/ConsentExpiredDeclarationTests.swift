import Foundation
import Hummingbird
import HummingbirdTesting
import PolicyEngine
import Testing
@testable import WebService

/// A declaration whose validity had ended before it is recorded (pages review F14: a year typed wrong recorded, signed
/// and logged a consent that never permits anything, without a word): the form says so at the signing date and records
/// it only once the box that confirms it is ticked.
@Suite struct ConsentExpiredDeclarationTests {
    /// A Berlin day `years` whole years and `days` days before today, as the form's date field sends it.
    static func day(yearsAgo years: Int, daysAgo days: Int = 0) -> String {
        let today = UTCDay.civil(BerlinDay.day(of: Date()))
        let shifted = Calendar(identifier: .gregorian).date(from: DateComponents(timeZone: TimeZone(identifier: "UTC"),
                                                           year: today.year - years, month: today.month, day: today.day))!
        return UTCDay.format(UTCDay.day(of: shifted) - days)
    }

    func submit(_ client: some TestClientProtocol, cookie: String, grantedOn: String, confirm: Bool) async throws -> TestResponse {
        let page = try await client.execute(uri: "/consents/new", method: .get, headers: [.cookie: "cg_session=\(cookie)"])
        let csrf = try #require(csrfToken(in: page.text))
        var fields = [("_csrf", csrf), ("subject", "RSK-2022-000078"), ("template", "kim-beratung"), ("language", "de"),
                      ("clauses.kim-beratung", "jobcenter"), ("granted-on", grantedOn)]
        if confirm { fields.append(("record-expired", "on")) }
        return try await client.execute(uri: "/consents", method: .post,
            headers: [.cookie: "cg_session=\(cookie)", .contentType: "application/x-www-form-urlencoded"], body: formEncode(fields))
    }

    @Test func anExpiredDeclarationIsRecordedOnlyOnceConfirmed() async throws {
        let fixture = try WebFixture()
        defer { fixture.remove() }
        let signed = Self.day(yearsAgo: 2, daysAgo: 3)  // the shipped template holds for at most two years
        try await fixture.application().test(.router) { client in
            let cookie = try #require(try await pageLogin(client, name: "test-caseworker"))
            let warned = try await submit(client, cookie: cookie, grantedOn: signed, confirm: false)
            #expect(warned.status == .unprocessableContent)
            let html = warned.text
            let c = UTCDay.civil(try #require(UTCDay.parse(signed)))
            #expect(html.contains(String(format: "Mit der Unterschrift am %02d.%02d.%04d ist die Einwilligung seit dem", c.day, c.month, c.year)), "\(html)")
            #expect(html.contains("(Vorlage kim-beratung: höchstens 2 Jahre)"))
            #expect(html.contains("id=\"record-expired\" name=\"record-expired\" aria-invalid=\"true\""), "the box, at its message")
            #expect(html.contains("value=\"\(signed)\""), "the date kept")
            #expect(try fixture.environment.gate.consents.list(subject: "RSK-2022-000078").isEmpty, "nothing recorded")

            let recorded = try await submit(client, cookie: cookie, grantedOn: signed, confirm: true)
            #expect(recorded.status == .seeOther, "\(recorded.status): \(recorded.text)")
            let stored = try fixture.environment.gate.consents.list(subject: "RSK-2022-000078")
            #expect(stored.count == 1 && stored.first?.state(at: Date()) == .expired)
        }
    }

    /// Signed two years ago today: the consent ends today, which the form says too (it compared times, so a declaration
    /// recorded in the morning of its last day went through and expired at noon: a review).
    @Test func aDeclarationEndingTodayIsSaidToo() async throws {
        let fixture = try WebFixture()
        defer { fixture.remove() }
        try await fixture.application().test(.router) { client in
            let cookie = try #require(try await pageLogin(client, name: "test-caseworker"))
            // The signing day whose two years end today (none on 29 February, when no date two years back ends today).
            let today = BerlinDay.day(of: Date())
            guard let signed = ((today - 735)...(today - 725)).first(where: { day in
                BerlinDay.day(of: ISODuration(years: 2).added(to: Date(timeIntervalSince1970: Double(day) * 86_400 + 12 * 3600))) == today
            }) else { return }
            let warned = try await submit(client, cookie: cookie, grantedOn: UTCDay.format(signed), confirm: false)
            #expect(warned.status == .unprocessableContent)
            #expect(warned.text.contains("läuft die Einwilligung heute, am "), "\(warned.text)")
            #expect(try fixture.environment.gate.consents.list(subject: "RSK-2022-000078").isEmpty)
        }
    }

    @Test func aDeclarationStillInForceNeedsNoConfirmation() async throws {
        let fixture = try WebFixture()
        defer { fixture.remove() }
        try await fixture.application().test(.router) { client in
            let cookie = try #require(try await pageLogin(client, name: "test-caseworker"))
            let r = try await submit(client, cookie: cookie, grantedOn: Self.day(yearsAgo: 1), confirm: false)
            #expect(r.status == .seeOther, "\(r.status): \(r.text)")
            // In force for an adult (the form gave no birth date; the template asks for 16 without a guardian).
            let adult = Date(timeIntervalSince1970: 480_000_000)
            let stored = try fixture.environment.gate.consents.list(subject: "RSK-2022-000078", subjectBirthDate: adult)
            #expect(stored.count == 1 && stored.first?.state(at: Date()) == .active, "recorded without the box, and in force")
        }
    }
}
