import ConsentRecords
import Foundation
import Gate
import Hummingbird
import HummingbirdTesting
import PolicyEngine
import Testing
@testable import WebService

/// `kim-beratung` bumped from 3 to 4 (the job centre clause reworded in English), version 3 kept with
/// `recordable-until: 2026-11-30`. The recording page offers the version printed on the paper (links reloading the
/// form, the one shown marked for screen readers), shows version 3's clauses and says until which signing day it is
/// accepted; a declaration signed on 30 November is recorded on version 3, one signed on 1 December is refused at the
/// signing date. `POST /v1/consents` with `template-version: 3` follows the same Berlin-day rule.
@Suite struct ConsentRecordingWindowPageTests {
    static let page = ConsentEarlierVersionPageTests.self

    /// A demo installation on the bumped bundle with version 3 recordable until `until` (none when nil).
    static func gate(_ fixture: WebFixture, until: String? = "2026-11-30") throws -> Gate {
        let changed = fixture.directory.appendingPathComponent("window-policy")
        try FileManager.default.copyItem(at: WebFixture.root.appendingPathComponent("policies/kim-rhein-sieg"), to: changed)
        let file = changed.appendingPathComponent("consent-templates.yaml")
        let bumped = try page.bumped(try String(contentsOf: file, encoding: .utf8))
        try #require(bumped.components(separatedBy: "      - version: 3\n").count == 2)
        let text = until.map { bumped.replacingOccurrences(of: "      - version: 3\n", with: "      - version: 3\n        recordable-until: \($0)\n") } ?? bumped
        try Data(text.utf8).write(to: file)
        return try Gate.open(GateConfiguration(databasePath: fixture.directory.appendingPathComponent("consentgate.sqlite").path,
                                               policyDirectory: changed.path,
                                               trustFile: WebFixture.root.appendingPathComponent("keys/trust.yaml").path, demoMode: true))
    }

    static let fields: [(String, String)] = [("subject", "RSK-2022-000601"), ("birth-date", "1990-01-01"), ("template", "kim-beratung"),
                                             ("language", "en"), ("clauses.kim-beratung", "jobcenter")]

    @Test func theCaseManagerPicksTheVersionOnThePaper() async throws {
        let fixture = try WebFixture()
        defer { fixture.remove() }
        let gate = try Self.gate(fixture)
        #expect(gate.policy.bundle.template("kim-beratung")?.version == 4)
        try await WebApplication.build(environment: WebEnvironment(configuration: fixture.environment.configuration, gate: gate)).test(.router) { client in
            let session = try #require(try await pageLogin(client, name: "test-caseworker"))
            let cookie: HTTPFields = [.cookie: "cg_session=\(session)"]

            // The plain form: version 4, the picker offering version 3 with its last signing day.
            let plain = try await client.execute(uri: "/consents/new?lang=en", method: .get, headers: cookie)
            #expect(plain.status == .ok)
            #expect(plain.text.contains("<nav aria-labelledby=\"version-picker-head\" id=\"version-picker\"><h2 id=\"version-picker-head\">Version printed on the paper</h2>"), "\(plain.text)")
            #expect(plain.text.contains("<a href=\"/consents/new?template=kim-beratung&amp;template-version=4\" id=\"pick-kim-beratung-v4\" aria-current=\"true\">kim-beratung v4</a> (current)"), "\(plain.text)")
            #expect(plain.text.contains("<a href=\"/consents/new?template=kim-beratung&amp;template-version=3\" id=\"pick-kim-beratung-v3\">kim-beratung v3</a> (earlier version, accepted when signed on or before <time datetime=\"2026-11-30\">30 Nov 2026</time>)"), "\(plain.text)")
            #expect(plain.text.contains("name=\"template-version.kim-beratung\" value=\"4\""))
            #expect(plain.text.contains(Self.page.newWording) && !plain.text.contains(Self.page.oldWording))

            // Version 3 picked: its clauses, its number sent back, the note in English and German.
            for (lang, note) in [("en", "Earlier version 3 (the current one is version 4): recorded only when the declaration was signed on or before <time datetime=\"2026-11-30\">30 Nov 2026</time> (a day in Europe/Berlin)"),
                                 ("de", "Frühere Version 3 (aktuell ist Version 4): wird nur erfasst, wenn die Erklärung bis zum <time datetime=\"2026-11-30\">30.11.2026</time> (Tag in Europe/Berlin) unterschrieben wurde")] {
                let three = try await client.execute(uri: "/consents/new?template=kim-beratung&template-version=3&lang=\(lang)", method: .get, headers: cookie)
                #expect(three.status == .ok)
                #expect(three.text.contains("name=\"template-version.kim-beratung\" value=\"3\""), "\(three.text)")
                #expect(three.text.contains(note), "\(three.text)")
                #expect(three.text.contains("id=\"pick-kim-beratung-v3\" aria-current=\"true\""), "\(three.text)")
                #expect(three.text.contains("kim-beratung v3 <span class=\"required-note\">"), "the clause group names version 3")
                if lang == "en" { #expect(three.text.contains(Self.page.oldWording) && !three.text.contains(Self.page.newWording), "\(three.text)") }
            }
            // A version without a window (or not held) shows the current one.
            let two = try await client.execute(uri: "/consents/new?template=kim-beratung&template-version=2", method: .get, headers: cookie)
            #expect(two.text.contains("name=\"template-version.kim-beratung\" value=\"4\""), "\(two.text)")

            // Signed on 1 December (after the window): refused at the signing date, entries and version kept, nothing stored.
            let post = RemovedAccountMunicipalityPageTests()
            let late = try await post.postMultipart(client, "/consents", session: session, lang: "en",
                                                    fields: Self.fields + [("template-version.kim-beratung", "3"), ("granted-on", "2026-12-01"), ("record-expired", "on")])
            #expect(late.status == .unprocessableContent, "\(late.text.suffix(800))")
            #expect(late.text.contains("consent template kim-beratung v3 is an earlier version on which declarations are recorded only when signed on or before 2026-11-30 (a day in Europe/Berlin); this one was signed on 2026-12-01"), "\(late.text)")
            #expect(late.text.contains("name=\"template-version.kim-beratung\" value=\"3\""), "the form still shows version 3")
            #expect(late.text.contains("value=\"RSK-2022-000601\""))
            #expect(try gate.consents.list(subject: "RSK-2022-000601").isEmpty)

            // Signed on the last day: recorded on version 3; the consent's page names version 3 and its wording.
            let inTime = try await post.postMultipart(client, "/consents", session: session, lang: "en",
                                                      fields: Self.fields + [("template-version.kim-beratung", "3"), ("granted-on", "2026-11-30"), ("record-expired", "on")])
            #expect(inTime.status == .seeOther, "\(inTime.text.suffix(800))")
            let stored = try #require(try gate.consents.list(subject: "RSK-2022-000601").first?.consent?.content)
            #expect(stored.template.version == 3)
            #expect(BerlinDay.day(of: stored.grantedAt) == UTCDay.parse("2026-11-30"))
            let location = try #require(inTime.headers[.location])
            let shown = try await client.execute(uri: location + "&lang=en", method: .get, headers: cookie)   // after `?done=recorded`
            #expect(shown.text.contains(" kim-beratung v3</dd>"), "\(shown.text)")
            #expect(shown.text.contains("<code>jobcenter</code> – \(Self.page.oldWording)</li>"), "\(shown.text)")
        }
    }

    /// Version 3 kept without a window: no picker, `?template-version=3` shows version 4, and a form sent back naming
    /// version 3 is the 409 of a stale page, as before windows existed.
    @Test func withoutAWindowThePageOffersNoEarlierVersion() async throws {
        let fixture = try WebFixture()
        defer { fixture.remove() }
        let gate = try Self.gate(fixture, until: nil)
        try await WebApplication.build(environment: WebEnvironment(configuration: fixture.environment.configuration, gate: gate)).test(.router) { client in
            let session = try #require(try await pageLogin(client, name: "test-caseworker"))
            let three = try await client.execute(uri: "/consents/new?template=kim-beratung&template-version=3&lang=en", method: .get,
                                                 headers: [.cookie: "cg_session=\(session)"])
            #expect(three.status == .ok)
            #expect(!three.text.contains("version-picker") && three.text.contains("name=\"template-version.kim-beratung\" value=\"4\""), "\(three.text)")
            let stale = try await RemovedAccountMunicipalityPageTests().postMultipart(
                client, "/consents", session: session, lang: "en",
                fields: Self.fields + [("template-version.kim-beratung", "3"), ("granted-on", "2026-11-30"), ("record-expired", "on")])
            #expect(stale.status == .conflict, "\(stale.text.suffix(800))")
            #expect(stale.text.contains("template kim-beratung is now version 4, the form showed version 3"), "\(stale.text)")
            #expect(try gate.consents.list(subject: "RSK-2022-000601").isEmpty)
        }
    }

    /// `POST /v1/consents` naming version 3: recorded when signed by 23:59 on 30 November in Berlin, refused (422) when
    /// signed at 00:30 on 1 December in Berlin (still 30 November in UTC).
    @Test func theAPIRecordsOnTheEarlierVersionWithinItsWindow() async throws {
        let fixture = try WebFixture()
        defer { fixture.remove() }
        let gate = try Self.gate(fixture)
        try await WebApplication.build(environment: WebEnvironment(configuration: fixture.environment.configuration, gate: gate)).test(.router) { client in
            let token = try #require(fixture.tokens["caseworker"])
            func body(_ subject: String, _ grantedAt: String) -> ByteBuffer {
                ByteBuffer(string: #"{"subject": "\#(subject)", "attributes": {"birth-date": "1980-01-01"}, "template": "kim-beratung", "template-version": 3, "language": "en", "clauses": ["jobcenter"], "granted-at": "\#(grantedAt)"}"#)
            }
            let late = try await client.execute(uri: "/v1/consents?lang=de", method: .post, headers: jsonHeaders(token),
                                                body: body("RSK-2022-000602", "2026-11-30T23:30:00Z"))
            #expect(late.status == .unprocessableContent, "\(late.text)")
            #expect(late.text.contains("bis zum 2026-11-30 (Tag in Europe/Berlin) unterschrieben wurden; diese wurde am 2026-12-01 unterschrieben"), "\(late.text)")
            #expect(try gate.consents.list(subject: "RSK-2022-000602").isEmpty)

            let inTime = try await client.execute(uri: "/v1/consents", method: .post, headers: jsonHeaders(token),
                                                  body: body("RSK-2022-000603", "2026-11-30T22:30:00Z"))
            #expect(inTime.status == .created, "\(inTime.text)")
            let stored = try #require(try gate.consents.list(subject: "RSK-2022-000603").first)
            #expect(stored.consent?.content.template.version == 3)
            #expect(stored.failures.isEmpty, "\(stored.failures)")
        }
    }
}
