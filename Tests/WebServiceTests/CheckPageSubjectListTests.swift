import Foundation
import GRDB
import Gate
import Hummingbird
import HummingbirdTesting
import Testing
@testable import WebService

/// The referral check's case id field offers the case worker's municipality's people to pick from, up to
/// `checkPageSubjectLimit` (by case id); the words under it say whether that is all of them or the first of more (found
/// in a review: with over 20,000 people recorded, it said "(2000)", as if that were their number).
@Suite struct CheckPageSubjectListTests {
    @Test(arguments: [(limit: 2_000, all: true), (limit: 2, all: false)])
    func theHintSaysWhetherTheListIsComplete(limit: Int, all: Bool) async throws {
        var configuration = WebServiceConfiguration()
        configuration.checkPageSubjectLimit = limit
        let fixture = try WebFixture(configuration: configuration)
        defer { fixture.remove() }
        let gate = fixture.environment.gate
        for i in 1...5 {
            _ = try gate.saveSubject(Subject(id: "RSK-2026-\(i)", birthDate: Date(timeIntervalSince1970: 631_152_000), municipality: "Siegburg"))
        }
        _ = try gate.saveSubject(Subject(id: "RSK-2026-9", birthDate: Date(timeIntervalSince1970: 631_152_000), municipality: "Troisdorf"))
        let recorded = try await gate.database.writer.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM subject WHERE municipality = 'Siegburg'") ?? 0
        }
        try #require(recorded >= 5)
        try await fixture.application().test(.router) { client in
            let session = try #require(try await pageLogin(client, name: "test-caseworker"))
            for (language, allWords, firstWords) in [("de", "die Liste zeigt alle \(recorded) erfassten Personen", "die Liste zeigt die ersten 2 erfassten Personen Ihrer Kommune (nach Fallnummer; es gibt mehr"),
                                                     ("en", "the list shows all \(recorded) recorded people", "the list shows the first 2 recorded people of your municipality (by case id; there are more")] {
                let page = try await client.execute(uri: "/check?lang=\(language)", method: .get, headers: [.cookie: "cg_session=\(session)"])
                #expect(page.status == .ok)
                let list = try #require(page.text.components(separatedBy: "<datalist id=\"subject-list\">").last?.components(separatedBy: "</datalist>").first)
                let options = list.components(separatedBy: "<option value=").count - 1
                #expect(options == (all ? recorded : 2), "\(options) options")
                #expect(page.text.contains(all ? allWords : firstWords), "\(page.text)")
            }
        }
    }
}
