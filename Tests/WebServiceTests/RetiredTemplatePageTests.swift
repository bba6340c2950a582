import ConsentRecords
import Foundation
import Gate
import Hummingbird
import HummingbirdTesting
import PolicyEngine
import Testing
@testable import WebService

/// The shipped `kim-erklaerung-2022` is retired (`recordable-until: 2022-12-31`): the recording page no longer offers
/// it (no option, no clause boxes, no declaration to print), its blank declaration is refused, and a submission on it
/// (`POST /consents`, `POST /v1/consents`) signed after the day is refused naming the template and the day; a
/// declaration signed by the day is still recorded through the API. Before, `/consents/new` listed it like a current
/// template. Also the page's and API's side of the placeholder guardian.
@Suite struct RetiredTemplatePageTests {
    let fixture: WebFixture
    init() throws { fixture = try WebFixture() }

    static let retired = "kim-erklaerung-2022"

    /// The opening tag of the element with `id` in `html`.
    func tag(_ id: String, in html: String) -> String? {
        guard let r = html.range(of: "id=\"\(id)\"") else { return nil }
        let start = html[..<r.lowerBound].lastIndex(of: "<") ?? r.lowerBound
        let end = html[r.upperBound...].firstIndex(of: ">") ?? html.endIndex
        return String(html[start...end])
    }

    @Test func theRecordingPageDoesNotOfferIt() async throws {
        try await fixture.application().test(.router) { client in
            let session = try #require(try await pageLogin(client, name: "test-caseworker"))
            let cookie: HTTPFields = [.cookie: "cg_session=\(session)"]
            let page = try await client.execute(uri: "/consents/new?lang=en", method: .get, headers: cookie)
            #expect(page.status == .ok)
            #expect(page.text.contains("<option value=\"kim-beratung\""), "\(page.text)")
            #expect(!page.text.contains(Self.retired), "no option, clause boxes or print link: \(page.text)")
            // Asked for by name (the version picker's parameter), it is not shown either.
            let named = try await client.execute(uri: "/consents/new?template=\(Self.retired)", method: .get, headers: cookie)
            #expect(!named.text.contains("<option value=\"\(Self.retired)\""), "\(named.text)")
            // Its blank declaration to print is refused, naming the template and the day; the current one prints.
            let blank = try await client.execute(uri: "/declarations/\(Self.retired)?language=de&lang=en", method: .get, headers: cookie)
            #expect(blank.status == .unprocessableContent || blank.status == .badRequest, "\(blank.status)")
            #expect(blank.text.contains("consent template kim-erklaerung-2022 (v1) is retired since 2023-01-01 (last signing day: 2022-12-31, Europe/Berlin)"), "\(blank.text)")
            let current = try await client.execute(uri: "/declarations/kim-beratung?language=de", method: .get, headers: cookie)
            #expect(current.status == .ok)
            // The API twin likewise.
            let api = try await client.execute(uri: "/v1/consent-templates/\(Self.retired)/form?language=de", method: .get,
                                               headers: bearer(fixture.tokens["caseworker"]!))
            #expect(api.status == .unprocessableContent, "\(api.status) \(api.text)")
            #expect(api.text.contains("Einwilligungsvorlage kim-erklaerung-2022 (v1) ist seit dem 2023-01-01 stillgelegt"), "\(api.text)")
            let apiCurrent = try await client.execute(uri: "/v1/consent-templates/kim-beratung/form?language=de", method: .get,
                                                      headers: bearer(fixture.tokens["caseworker"]!))
            #expect(apiCurrent.status == .ok)
        }
    }

    /// A form opened before the last day and sent after it (here: posted by hand) is refused at the template, the
    /// retired template's group shown again with its boxes ticked and its last day; nothing is stored.
    @Test func aSubmissionOnItIsRefused() async throws {
        try await fixture.application().test(.router) { client in
            let session = try #require(try await pageLogin(client, name: "test-caseworker"))
            let r = try await RemovedAccountMunicipalityPageTests().postMultipart(client, "/consents", session: session, lang: "en", fields: [
                ("subject", "RSK-2022-000701"), ("birth-date", "1990-01-01"), ("template", Self.retired), ("language", "de"),
                ("clauses.\(Self.retired)", "jobcenter"), ("granted-on", UTCDay.format(BerlinDay.day(of: Date())))])
            #expect(r.status == .unprocessableContent, "\(r.text.suffix(800))")
            #expect(r.text.contains("consent template kim-erklaerung-2022 (v1) is retired since 2023-01-01: declarations on it are recorded only when signed on or before 2022-12-31"), "\(r.text)")
            #expect(r.text.contains("only for declarations signed on or before 2022-12-31"), "the group is marked: \(r.text)")
            #expect(try #require(tag("clause-\(Self.retired)-jobcenter", in: r.text)).contains("checked"))
            #expect(try fixture.environment.gate.consents.list(subject: "RSK-2022-000701").isEmpty)
        }
    }

    @Test func theAPIRefusesNewConsentsOnItAndTakesOnesSignedByTheDay() async throws {
        try await fixture.application().test(.router) { client in
            func grant(_ subject: String, at time: String) async throws -> TestResponse {
                try await client.execute(uri: "/v1/consents", method: .post, headers: jsonHeaders(fixture.tokens["caseworker"]!), body: ByteBuffer(string: """
                    {"subject": "\(subject)", "attributes": {"birth-date": "1985-03-14"}, "template": "\(Self.retired)", "language": "de",
                     "clauses": ["jobcenter"], "granted-at": "\(time)"}
                    """))
            }
            let late = try await grant("RSK-2022-000702", at: "2026-01-10T09:00:00Z")
            #expect(late.status == .unprocessableContent, "\(late.text)")
            // In German, the API's default language.
            #expect(late.text.contains("Einwilligungsvorlage kim-erklaerung-2022 (v1) ist seit dem 2023-01-01 stillgelegt")
                    && late.text.contains("diese wurde am 2026-01-10 unterschrieben"), "\(late.text)")
            #expect(try fixture.environment.gate.consents.list(subject: "RSK-2022-000702").isEmpty)
            let inTime = try await grant("RSK-2022-000703", at: "2022-12-31T12:00:00Z")
            #expect(inTime.status == .created || inTime.status == .ok, "\(inTime.text)")
            #expect(try fixture.environment.gate.consents.list(subject: "RSK-2022-000703").count == 1)
        }
    }

    @Test func aPlaceholderGuardianIsRefusedOnThePageAndInTheAPI() async throws {
        try await fixture.application().test(.router) { client in
            let session = try #require(try await pageLogin(client, name: "test-caseworker"))
            let page = try await RemovedAccountMunicipalityPageTests().postMultipart(client, "/consents", session: session, lang: "en", fields: [
                ("subject", "RSK-2022-000704"), ("birth-date", "2016-01-01"), ("template", "kim-beratung"), ("language", "de"),
                ("clauses.kim-beratung", "jobcenter"), ("guardians", "-")])
            #expect(page.status == .unprocessableContent, "\(page.text.suffix(800))")
            #expect(page.text.contains("&quot;-&quot; is not a name (no letter): enter the name of the guardian who signed"), "\(page.text)")
            let api = try await client.execute(uri: "/v1/consents", method: .post, headers: jsonHeaders(fixture.tokens["caseworker"]!), body: ByteBuffer(string: """
                {"subject": "RSK-2022-000705", "attributes": {"birth-date": "2016-01-01"}, "template": "kim-beratung", "language": "de",
                 "clauses": ["jobcenter"], "granted-at": "2026-01-10T09:00:00Z", "guardians": [{"name": "?"}]}
                """))
            #expect(api.status == .unprocessableContent, "\(api.text)")
            #expect(api.text.contains(#"guardians[0].name: \"?\" ist kein Name (kein Buchstabe)"#), "\(api.text)")
            #expect(try fixture.environment.gate.consents.list(subject: "RSK-2022-000704").isEmpty)
            #expect(try fixture.environment.gate.consents.list(subject: "RSK-2022-000705").isEmpty)
        }
    }
}
