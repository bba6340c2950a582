import Foundation
import Hummingbird
import Testing
import FuzzSupport
@testable import WebService

/// The API's JSON request bodies and the pages' form bodies under mutation: decoding gives the value or a 4xx
/// `WebError` naming the problem, never another error (a 500), a trap or a hang; the decision body's fast path
/// answers only where the strict decoder gives the same value. Run long with
/// `CONSENTGATE_FUZZ_ITERATIONS=200000 swift test --skip-build --filter RequestBodyFuzzTests` (see `FuzzSupport.swift`).
@Suite struct RequestBodyFuzzTests {
    /// A 4xx `WebError`: the only acceptable refusal of a body.
    static func isClientError(_ error: any Error) -> Bool {
        guard let e = error as? WebError else { return false }
        return (400..<500).contains(e.status.code)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ bytes: [UInt8], fastPath: (UnsafeRawBufferPointer) -> T? = { _ in nil }) throws -> T {
        try RequestBodyReader.decodeJSON(type, body: ByteBuffer(bytes: bytes), fastPath: fastPath)
    }

    @Test func decisionBody() {
        let corpus = FastJSONTests.bodies.map { Array($0.utf8) }
        Fuzz.run("decision-body", corpus: corpus, seed: 0x5EED_0601, iterations: 1_000, accepts: Self.isClientError) { bytes in
            let fast = bytes.withUnsafeBytes { DecisionRoutes.fastRequest($0) }
            let strict: DecisionRoutes.RequestJSON
            do { strict = try Self.decode(DecisionRoutes.RequestJSON.self, bytes) } catch {
                #expect(fast == nil, "the fast path accepted a body the strict decoder refuses (\(error))")
                throw error
            }
            if let fast { #expect(fast == strict, "the fast path read another value than the strict decoder") }
        }
    }

    static let grantBodies = [
        #"{"subject": "RSK-2022-000502", "attributes": {"birth-date": "1980-01-01", "guardians": ["g"]}, "template": "kim-beratung", "template-version": 3, "language": "de", "clauses": ["jobcenter"]}"#,
        #"{"subject": "RSK-1", "template": "kim-beratung", "language": "en", "clauses": ["jobcenter"], "granted-at": "2026-11-25T10:00:00Z", "guardians": [{"name": "A", "relation": "mother"}], "evidence": "sha256:0000000000000000000000000000000000000000000000000000000000000000"}"#,
    ]

    @Test func grantBody() {
        Fuzz.run("grant-body", corpus: Self.grantBodies.map { Array($0.utf8) }, seed: 0x5EED_0602, iterations: 600, accepts: Self.isClientError) { bytes in
            _ = try Self.decode(ConsentRoutes.GrantJSON.self, bytes)
        }
    }

    @Test func exportAndAccountBodies() {
        let corpus = [#"{"input": "lists/a.csv", "drive": ".", "full": true, "mapping": "m.csv"}"#,
                      #"{"name": "carla", "role": "caseworker", "municipality": "Hennef (Sieg)"}"#].map { Array($0.utf8) }
        Fuzz.run("export-account-body", corpus: corpus, seed: 0x5EED_0603, iterations: 600, accepts: Self.isClientError) { bytes in
            if bytes.count % 2 == 0 { _ = try Self.decode(ExportRoutes.RequestJSON.self, bytes) } else { _ = try Self.decode(AccountRoutes.CreateAccount.self, bytes) }
        }
    }

    @Test func urlEncodedForm() {
        let corpus = ["subject=RSK-2022-000901&partner=jobcenter&purpose=job-placement&fields=name.family&fields=health.notes",
                      "template=kim-beratung&language=de&clause=jobcenter&birth-date=1980-01-01&guardian-name=A+B&_csrf=x%2By%3D",
                      "name=%C3%A4%E2%9C%93&role=dpo&q=a%20b+c"].map { Array($0.utf8) }
        Fuzz.run("form-urlencoded", corpus: corpus, seed: 0x5EED_0604, iterations: 600, accepts: Self.isClientError) { bytes in
            guard let text = String(validating: bytes, as: UTF8.self) else { return }  // refused before parsing
            _ = try FormData(urlEncoded: text)
        }
    }

    @Test func multipartForm() {
        let boundary = "----cgBoundary7MA4YWxkTrZu0gW"
        let body = "--\(boundary)\r\nContent-Disposition: form-data; name=\"subject\"\r\n\r\nRSK-1\r\n"
            + "--\(boundary)\r\nContent-Disposition: form-data; name=\"clause\"\r\n\r\njobcenter\r\n"
            + "--\(boundary)\r\nContent-Disposition: form-data; name=\"evidence\"; filename=\"scan.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\n\u{0}\u{1}\r\n"
            + "--\(boundary)--\r\n"
        let contentTypes = ["multipart/form-data; boundary=\(boundary)", "multipart/form-data; boundary=\"\(boundary)\"; charset=utf-8"]
        Fuzz.run("multipart", corpus: [Array(body.utf8)] + contentTypes.map { Array($0.utf8) }, seed: 0x5EED_0605, iterations: 600,
                 accepts: Self.isClientError) { bytes in
            _ = try? MultipartForm.boundary(contentType: String(decoding: bytes, as: UTF8.self))
            _ = try MultipartForm.parse(Data(bytes), boundary: boundary)
        }
    }

    /// Header and query texts: `Accept-Language`, `Authorization: Bearer …` (the byte-level fast reader agrees
    /// with the general one wherever it answers), percent-encoded path and query parameters.
    @Test func headersAndQueries() {
        let corpus = ["de-DE,de;q=0.9,en;q=0.8,*;q=0.1", "Bearer cg_0123456789abcdefABCDEF-_", "bearer  tok en ",
                      "subject=RSK%2D1&kind=decision&from=2026-11-25T10%3A00%3A00Z&q=%C3%A4", "%E2%9C%93/%00/%zz"].map { Array($0.utf8) }
        Fuzz.run("headers-queries", corpus: corpus, seed: 0x5EED_0606, iterations: 600, maxBytes: 2_048, accepts: { _ in false }) { bytes in
            let text = String(decoding: bytes, as: UTF8.self)
            _ = AcceptLanguage.preferred(text)
            if let fast = AuthenticationMiddleware.asciiBearerToken(text) {
                #expect(fast == AuthenticationMiddleware.generalBearerToken(text), "bearer readers disagree on \(text.debugDescription)")
            }
            _ = AuthenticationMiddleware.bearerToken(text)
            _ = PathParameter.percentDecoded(text)
            _ = QueryTextMiddleware.badlyEncodedParameter(text)
            _ = QueryTextMiddleware.mayHoldNUL(text)
            _ = JSONSyntaxMessage.position(of: bytes.count / 2, in: bytes)
        }
    }
}
