import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import WebService

/// Over-long values quoted in an error message are shortened (found by probing the service: a 200,000-character partner
/// id came back whole in a 200 KB answer); values of ordinary length and the rest of the message stay as they are.
@Suite struct LongValueShorteningTests {
    @Test(arguments: [("\"", "\""), ("„", "“"), ("“", "”")])
    func aLongQuotedValueKeepsItsStartAndLength(_ open: String, _ close: String) {
        let value = String(repeating: "x", count: 250)
        let message = "Feld \(open)partner\(close): unbekannter Partner \(open)\(value)\(close); bekannt: jobcenter"
        #expect(LongValueShortening.shortened(message, language: .de)
                == "Feld \(open)partner\(close): unbekannter Partner \(open)\(String(repeating: "x", count: 100))… (250 Zeichen)\(close); bekannt: jobcenter")
        #expect(LongValueShortening.shortened(message.replacingOccurrences(of: "Feld", with: "field"), language: .en)
                .contains("\(open)\(String(repeating: "x", count: 100))… (250 characters)\(close)"))
    }

    @Test(arguments: ["kurz \"abc\" und \"def\"", "Wert \"\(String(repeating: "y", count: 200))\" genau an der Grenze",
                      "ohne schließendes \"\(String(repeating: "z", count: 300))", String(repeating: "w", count: 500)])
    func everythingElseStaysAsItIs(_ message: String) {
        #expect(LongValueShortening.shortened(message, language: .de) == message)
    }

    @Test func theAPIAnswersAShortMessageForALongPartner() async throws {
        let fixture = try WebFixture()
        try await fixture.application().test(.router) { client in
            let partner = String(repeating: "p", count: 200_000)
            let body = #"{"subject": "RSK-2026-000905", "attributes": {"birth-date": "1985-03-14"}, "partner": "\#(partner)", "purpose": "job-placement", "fields": ["name.family"]}"#
            let r = try await client.execute(uri: "/v1/decisions", method: .post, headers: jsonHeaders(fixture.tokens["caseworker"]!),
                                             body: ByteBuffer(string: body))
            #expect((400..<500).contains(Int(r.status.code)), "\(r.status)")
            #expect(r.text.utf8.count < 2_000, "\(r.text.utf8.count) bytes")
            #expect(r.text.contains(String(repeating: "p", count: 100) + "… (200000 Zeichen)"), "\(r.text.prefix(500))")
        }
    }
}
