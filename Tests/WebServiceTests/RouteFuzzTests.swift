import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import FuzzSupport
@testable import WebService

/// Mutated bodies sent to the application in process, through the middleware, authentication and CSRF check to
/// the handlers: the pages' forms (`POST /check`, `POST /consents`, URL-encoded and multipart) and the API's JSON
/// (`POST /v1/decisions`, `POST /v1/consents`). Every answer is below 500. Run long with
/// `CONSENTGATE_FUZZ_ITERATIONS=5000 swift test --skip-build --filter RouteFuzzTests` (see `FuzzSupport.swift`).
@Suite struct RouteFuzzTests {
    let fixture: WebFixture
    init() throws { fixture = try WebFixture() }

    static func answer(_ r: TestResponse, _ bytes: [UInt8]) {
        #expect(r.status.code < 500, "\(r.status) for \(Data(bytes).base64EncodedString()): \(r.text.prefix(300))")
    }

    /// Statuses that show a body reached its handler (not refused at the door: 401, 403, 415).
    static func reachedHandler(_ status: Int) -> Bool { ![401, 403, 415].contains(status) }

    @Test func pageForms() async throws {
        try await fixture.application().test(.router) { client in
            let session = try #require(try await pageLogin(client, name: "test-caseworker"))
            let cookie: HTTPFields = [.cookie: "cg_session=\(session)"]
            let page = try await client.execute(uri: "/check", method: .get, headers: cookie)
            let csrf = try #require(csrfToken(in: page.text))
            let check = "subject=RSK-2022-000001&partner=jobcenter&purpose=job-placement&fields=name.family&fields=health.notes&birth-date=1990-01-01"
            let grant = "subject=RSK-2022-000001&template=kim-beratung&language=de&clauses=jobcenter&granted-on=2026-11-20&guardians=Anna+B%0D%0AC"
            let boundary = "cgFuzzBoundary"
            let multipart = "--\(boundary)\r\nContent-Disposition: form-data; name=\"subject\"\r\n\r\nRSK-2022-000002\r\n--\(boundary)\r\n"
                + "Content-Disposition: form-data; name=\"template\"\r\n\r\nkim-beratung\r\n--\(boundary)\r\nContent-Disposition: form-data; name=\"language\"\r\n\r\nuk\r\n"
                + "--\(boundary)\r\nContent-Disposition: form-data; name=\"clauses\"\r\n\r\njobcenter\r\n--\(boundary)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(csrf)\r\n"
                + "--\(boundary)\r\nContent-Disposition: form-data; name=\"scan\"; filename=\"s.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\r\n--\(boundary)--\r\n"
            var handled = 0
            // The first request opens caches; it is not a case (the slow-call guard would count its time).
            var formHeaders = cookie
            formHeaders[.contentType] = "application/x-www-form-urlencoded"
            _ = try await client.execute(uri: "/check", method: .post, headers: formHeaders, body: ByteBuffer(string: check + "&_csrf=\(csrf)"))
            await Fuzz.run("page-forms", corpus: [check, grant, multipart].map { Array($0.utf8) }, seed: 0x5EED_0701, iterations: 60,
                           accepts: { _ in false }) { bytes in
                var headers = cookie
                let isMultipart = bytes.starts(with: Array("--".utf8))
                headers[.contentType] = isMultipart ? "multipart/form-data; boundary=\(boundary)" : "application/x-www-form-urlencoded"
                // The CSRF token is appended (multipart: inside), so the handlers see the damaged fields.
                let body = isMultipart ? bytes : bytes + Array("&_csrf=\(csrf)".utf8)
                let uri = bytes.starts(with: Array("subject=RSK-2022-000001&partner".utf8)) || bytes.count % 3 == 0 ? "/check" : "/consents"
                let r = try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(bytes: body))
                Self.answer(r, bytes)
                if Self.reachedHandler(r.status.code) { handled += 1 }
            }
            #expect(handled > 0, "no form reached its handler")
        }
    }

    @Test func apiBodies() async throws {
        try await fixture.application().test(.router) { client in
            let headers = jsonHeaders(fixture.tokens["caseworker"]!)
            let corpus = FastJSONTests.bodies + RequestBodyFuzzTests.grantBodies
            _ = try await client.execute(uri: "/v1/decisions", method: .post, headers: headers, body: ByteBuffer(string: FastJSONTests.bodies[0]))
            await Fuzz.run("api-bodies", corpus: corpus.map { Array($0.utf8) }, seed: 0x5EED_0702, iterations: 60,
                           accepts: { _ in false }) { bytes in
                let uri = bytes.count % 2 == 0 ? "/v1/decisions" : "/v1/consents"
                Self.answer(try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(bytes: bytes)), bytes)
            }
        }
    }
}
