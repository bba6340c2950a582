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

    @Test func aDeclarationStillInForceNeedsNoConfirmation() async throws {
        let fixture = try WebFixture()
        defer { fixture.remove() }
        try await fixture.application().test(.router) { client in
            let cookie = try #require(try await pageLogin(client, name: "test-caseworker"))
            let r = try await submit(client, cookie: cookie, grantedOn: Self.day(yearsAgo: 1), confirm: false)
            #expect(r.status == .seeOther, "\(r.status): \(r.text)")
            #expect(!r.text.contains("record-expired"))
        }
    }
}
