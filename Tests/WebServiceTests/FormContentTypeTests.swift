import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import WebService

/// A page form sent as `multipart/form-data` without a usable boundary is a malformed form (400, saying what is wrong
/// with the boundary), not a 415 asking for `multipart/form-data` (found by probing the service); any other type is a
/// 415 naming both form types, in the answer's language.
@Suite struct FormContentTypeTests {
    @Test(arguments: [("multipart/form-data", "der Content-Type hat keinen Parameter boundary", "the Content-Type has no boundary parameter"),
                      ("multipart/form-data; boundary=", "der Parameter boundary ist leer", "the boundary parameter is empty"),
                      ("multipart/form-data; boundary=\(String(repeating: "b", count: 71))",
                       "die Grenze (boundary) ist länger als 70 Zeichen (RFC 2046)", "the boundary is longer than 70 characters (RFC 2046)")])
    func aMultipartFormWithoutAUsableBoundaryIsMalformed(_ contentType: String, _ german: String, _ english: String) async throws {
        let fixture = try WebFixture()
        try await fixture.application().test(.router) { client in
            let session = try #require(try await pageLogin(client, name: "test-caseworker"))
            for (lang, words) in [("de", "Formular (multipart) fehlerhaft: \(german)"), ("en", "malformed multipart form: \(english)")] {
                let answer = try await client.execute(uri: "/check", method: .post,
                                                      headers: [.contentType: contentType, .cookie: "cg_session=\(session); cg_lang=\(lang)"],
                                                      body: ByteBuffer(string: "--x\r\n"))
                #expect(answer.status == .badRequest, "\(lang): \(answer.text)")
                #expect(answer.text.contains(words), "\(lang): \(answer.text)")
            }
        }
    }

    @Test(arguments: [("de", "Content-Type text/plain nicht unterstützt: erwartet application/x-www-form-urlencoded oder multipart/form-data"),
                      ("en", "Content-Type text/plain not supported: expected application/x-www-form-urlencoded or multipart/form-data")])
    func anotherTypeIsA415NamingBothFormTypes(_ lang: String, _ words: String) async throws {
        let fixture = try WebFixture()
        try await fixture.application().test(.router) { client in
            let session = try #require(try await pageLogin(client, name: "test-caseworker"))
            let answer = try await client.execute(uri: "/check", method: .post,
                                                  headers: [.contentType: "text/plain", .cookie: "cg_session=\(session); cg_lang=\(lang)"],
                                                  body: ByteBuffer(string: "subject=x"))
            #expect(answer.status == .unsupportedMediaType, "\(answer.text)")
            #expect(answer.text.contains(words), "\(answer.text)")
        }
    }
}
