import Diagnostics
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import WebService

/// A 404 of the API names what was not found in the answer's language (found in the web review: "Nicht gefunden: audit
/// entry 100000", "Nicht gefunden: export run x", "Nicht gefunden: account nobody" — English words in German answers).
@Suite struct NotFoundWordsTests {
    @Test func germanAnswersNameTheThingInGerman() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cg-nf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let fixture = try WebFixture(configuration: WebServiceConfiguration(exportInputDirectory: dir.path, exportDriveDirectory: dir.path))
        defer { fixture.remove() }
        try await fixture.application().test(.router) { client in
            let cases: [(uri: String, method: HTTPRequest.Method, role: String, de: String, en: String)] = [
                ("/v1/audit/entries/100000", .get, "dpo", "Nicht gefunden: Protokolleintrag 100000", "not found: audit entry 100000"),
                ("/v1/exports/no-such-run", .get, "exporter", "Nicht gefunden: Exportlauf no-such-run", "not found: export run no-such-run"),
            ]
            for c in cases {
                let de = try await client.execute(uri: c.uri, method: c.method, headers: bearer(fixture.tokens[c.role]!))
                #expect(de.status == .notFound)
                #expect(de.errorMessage == c.de, "\(de.text)")
                let en = try await client.execute(uri: c.uri + "?lang=en", method: c.method, headers: bearer(fixture.tokens[c.role]!))
                #expect(en.errorMessage == c.en, "\(en.text)")
            }
        }
    }

    @Test func theAccountAndCheckpointWordsAreGerman() {
        #expect(WebError.notFound(LocalizedText(de: "Konto x", en: "account x")).message.de == "Nicht gefunden: Konto x")
    }
}
