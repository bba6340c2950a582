import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import WebService

/// The JSON API answers in the language `Accept-Language` asks for (found in the web review: only `?lang=en` or the
/// `cg_lang` cookie switched it, so a program sending `Accept-Language: en` got German errors). Pages stay German
/// unless switched.
@Suite struct AcceptLanguageTests {
    @Test func theHeaderIsReadByQualityAndRange() {
        #expect(AcceptLanguage.preferred("en") == .en)
        #expect(AcceptLanguage.preferred("en-GB,en;q=0.9") == .en)
        #expect(AcceptLanguage.preferred("de-DE,de;q=0.9,en;q=0.8") == .de)
        #expect(AcceptLanguage.preferred("fr-FR, en;q=0.5, de;q=0.7") == .de)
        #expect(AcceptLanguage.preferred("fr, en;q=0.3") == .en)
        #expect(AcceptLanguage.preferred("en;q=0, de;q=0.1") == .de)
        #expect(AcceptLanguage.preferred("fr") == nil)
        #expect(AcceptLanguage.preferred("en;q=abc") == nil)
        #expect(AcceptLanguage.preferred("") == nil)
    }

    @Test func theAPIAnswersInTheRequestedLanguage() async throws {
        let fixture = try WebFixture()
        defer { fixture.remove() }
        try await fixture.application().test(.router) { client in
            var headers = bearer(fixture.tokens["caseworker"]!)
            headers[.acceptLanguage] = "en-US,en;q=0.9"
            let english = try await client.execute(uri: "/v1/audit/entries", method: .get, headers: headers)
            #expect(english.status == .forbidden)
            #expect(english.errorMessage == "your role “Case worker” (caseworker) may not do this (allowed: “Data protection officer” (dpo)).")
            // Unauthenticated too.
            let anonymous = try await client.execute(uri: "/v1/me", method: .get, headers: [.acceptLanguage: "en"])
            #expect(anonymous.errorMessage?.hasPrefix("authentication required") == true, "\(anonymous.text)")
            // `?lang=` still decides over the header; no header is German.
            let switched = try await client.execute(uri: "/v1/audit/entries?lang=de", method: .get, headers: headers)
            #expect(switched.errorMessage?.hasPrefix("Ihre Rolle") == true)
            let plain = try await client.execute(uri: "/v1/audit/entries", method: .get, headers: bearer(fixture.tokens["caseworker"]!))
            #expect(plain.errorMessage?.hasPrefix("Ihre Rolle") == true)
        }
    }

    @Test func pagesStayGermanWhateverTheBrowserSays() async throws {
        let fixture = try WebFixture()
        defer { fixture.remove() }
        try await fixture.application().test(.router) { client in
            let login = try await client.execute(uri: "/login", method: .get, headers: [.acceptLanguage: "en-US,en;q=0.9"])
            #expect(login.text.contains("<html lang=\"de\">"))
        }
    }
}
