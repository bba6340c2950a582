import ConsentRecords
import Foundation
import Gate
import Hummingbird
import HummingbirdTesting
import PolicyEngine
import Testing
@testable import WebService

/// After `kim-beratung` is bumped from 3 to 4 (a clause reworded) with version 3 kept under `earlier-versions`, the
/// page of a consent signed on version 3 and its printed copy show version 3's wording (what the person signed), a
/// consent signed on version 4 shows version 4's, and the blank declaration is version 4's.
@Suite struct ConsentEarlierVersionPageTests {
    static let oldWording = "Passing to the Jobcenter for job placement and basic income support"
    static let newWording = "Passing to the Jobcenter for job placement, basic income support and training"

    /// The shipped `consent-templates.yaml` with `kim-beratung` at version 4 (the job centre clause reworded in English)
    /// and version 3, exactly as shipped, under `earlier-versions`.
    static func bumped(_ shipped: String) throws -> String {
        let start = try #require(shipped.range(of: "  kim-beratung:\n")), end = try #require(shipped.range(of: "\n  # The county's first declaration"))
        let block = String(shipped[start.upperBound..<end.lowerBound])
        let lines = block.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.isEmpty }
        try #require(lines.first == "    version: 3")
        let earlier = ["    earlier-versions:", "      - version: 3"] + lines.dropFirst().map { "    " + $0 }
        let current = block.replacingOccurrences(of: "    version: 3\n", with: "    version: 4\n")
            .replacingOccurrences(of: oldWording, with: newWording)
        return shipped.replacingOccurrences(of: block, with: current.trimmingCharacters(in: .newlines) + "\n" + earlier.joined(separator: "\n") + "\n")
    }

    @Test func aConsentShowsTheWordingOfTheVersionItWasSignedOn() async throws {
        let fixture = try WebFixture()
        defer { fixture.remove() }
        let subject = Subject(id: "RSK-2022-000501", birthDate: Date(timeIntervalSince1970: 0), municipality: "Siegburg")
        let collector = CaseManagerReference(caseManager: "test-caseworker", municipality: "Siegburg")
        let actor = Actor(id: "test-caseworker", municipality: "Siegburg")
        let (onThree, _) = try fixture.environment.gate.grantConsent(GrantRequest(
            subject: subject, templateID: "kim-beratung", language: "en", clauses: ["jobcenter"],
            grantedAt: Date().addingTimeInterval(-86_400), collectedBy: collector), actor: actor)
        #expect(onThree.templateVersion == 3)

        let changed = fixture.directory.appendingPathComponent("bumped-policy")
        try FileManager.default.copyItem(at: WebFixture.root.appendingPathComponent("policies/kim-rhein-sieg"), to: changed)
        let file = changed.appendingPathComponent("consent-templates.yaml")
        try Data(try Self.bumped(try String(contentsOf: file, encoding: .utf8)).utf8).write(to: file)
        let gate = try Gate.open(GateConfiguration(databasePath: fixture.directory.appendingPathComponent("consentgate.sqlite").path,
                                                   policyDirectory: changed.path,
                                                   trustFile: WebFixture.root.appendingPathComponent("keys/trust.yaml").path, demoMode: true))
        #expect(gate.policy.bundle.template("kim-beratung")?.version == 4)
        let (onFour, _) = try gate.grantConsent(GrantRequest(
            subject: subject, templateID: "kim-beratung", language: "en", clauses: ["jobcenter"],
            grantedAt: Date().addingTimeInterval(-3_600), collectedBy: collector), actor: actor)
        #expect(onFour.templateVersion == 4)

        try await WebApplication.build(environment: WebEnvironment(configuration: fixture.environment.configuration, gate: gate)).test(.router) { client in
            let session = try #require(try await pageLogin(client, name: "test-caseworker"))
            let cookie: HTTPFields = [.cookie: "cg_session=\(session)"]
            for (id, version, wording) in [(onThree.id, 3, Self.oldWording), (onFour.id, 4, Self.newWording)] {
                let page = try await client.execute(uri: "/consents/\(id)?lang=en", method: .get, headers: cookie)
                #expect(page.status == .ok)
                #expect(page.text.contains(" kim-beratung v\(version)</dd>"), "\(page.text)")
                #expect(page.text.contains("<code>jobcenter</code> – \(wording)</li>"), "\(page.text)")
                #expect(page.text.contains("data-state=\"active\""), "\(page.text)")
                let copy = try await client.execute(uri: "/consents/\(id)/declaration", method: .get, headers: cookie)
                #expect(copy.status == .ok)
                // On an English form the partner's German name is marked (`<span lang="de">Jobcenter</span>`): the
                // clause is compared from there on. Only version 4's wording mentions training.
                let tail = String(wording.dropFirst("Passing to the Jobcenter".count))
                #expect(copy.text.contains("Jobcenter</span>" + tail), "\(copy.text)")
                #expect(copy.text.contains("and training") == (version == 4), "\(copy.text)")
            }
            // The API grants on the current version only: naming version 3 is refused, naming the current one (4).
            let token = try #require(fixture.tokens["caseworker"])
            let body = #"{"subject": "RSK-2022-000502", "attributes": {"birth-date": "1980-01-01"}, "template": "kim-beratung", "template-version": 3, "language": "de", "clauses": ["jobcenter"]}"#
            let refused = try await client.execute(uri: "/v1/consents?lang=en", method: .post, headers: jsonHeaders(token), body: ByteBuffer(string: body))
            #expect(refused.status == .unprocessableContent, "\(refused.text)")
            #expect(refused.text.contains("v3") && refused.text.contains("v4"), "\(refused.text)")
            #expect(try gate.consents.list(subject: "RSK-2022-000502").isEmpty)
            let blank = try await client.execute(uri: "/declarations/kim-beratung?language=en", method: .get, headers: cookie)
            #expect(blank.status == .ok)
            #expect(blank.text.contains("Jobcenter</span>, basic income support and training".replacingOccurrences(of: "</span>,", with: "</span> for job placement,")), "\(blank.text)")
        }
    }
}
