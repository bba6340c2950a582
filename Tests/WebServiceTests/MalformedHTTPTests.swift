import AuditLog
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import WebService

/// Requests that are not valid HTTP/1.1 never reach a route; they are answered with what was wrong (`malformed-http`,
/// German and English), never with an empty 400 or a 500, and the connection is closed. Sent byte for byte over a real
/// loopback connection to the running service (`RawHTTPConnection`): no HTTP client sends these.
@Suite struct MalformedHTTPTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let request: [UInt8]
        let status: Int
        let german: String
        let english: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "unknown method", request: Array("BREW / HTTP/1.1\r\nHost: x\r\n\r\n".utf8), status: 400,
             german: "unbekannte Methode", english: "unknown method"),
        Case(name: "address over 80 KiB", request: Array("GET /\(String(repeating: "a", count: 100_000)) HTTP/1.1\r\nHost: x\r\n\r\n".utf8),
             status: 431, german: "zu lang (zusammen höchstens 80 KiB)", english: "too long (at most 80 KiB together)"),
        Case(name: "header field over 80 KiB", request: Array("GET / HTTP/1.1\r\nHost: x\r\nX-Big: \(String(repeating: "a", count: 100_000))\r\n\r\n".utf8),
             status: 431, german: "Kopfzeilen zu lang", english: "header fields too long"),
        Case(name: "space in a header name", request: Array("GET / HTTP/1.1\r\nHost: x\r\nBad Name: y\r\n\r\n".utf8), status: 400,
             german: "unzulässiges Zeichen in einem Kopfzeilennamen", english: "a character not allowed in a header field"),
        Case(name: "unknown version", request: Array("GET / HTTP/9.9\r\nHost: x\r\n\r\n".utf8), status: 400,
             german: "unbekannte HTTP-Version", english: "unknown HTTP version"),
        Case(name: "CONNECT (a tunnel)", request: Array("CONNECT /v1/decisions HTTP/1.1\r\nHost: x\r\n\r\n".utf8), status: 400,
             german: "CONNECT wird nicht angenommen: der Dienst ist kein Proxy", english: "CONNECT is not taken: the service is no proxy"),
        Case(name: "CONNECT to an authority", request: Array("CONNECT 127.0.0.1:443 HTTP/1.1\r\nHost: 127.0.0.1:443\r\n\r\n".utf8), status: 400,
             german: "baut keine Tunnel auf", english: "opens no tunnels"),
        Case(name: "two lengths", request: Array("POST /v1/decisions HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}".utf8),
             status: 400, german: "Content-Length ungültig, mehrfach", english: "Content-Length invalid, given twice"),
    ]

    @Test(arguments: cases)
    func aRequestThatIsNotHTTPIsAnsweredWithItsReason(_ c: Case) async throws {
        let fixture = try WebFixture(configuration: WebServiceConfiguration(port: 0))
        try await fixture.application().test(.live) { client in
            let port = try #require(client.port)
            let answers = try await RawHTTPConnection.exchange(port: port, c.request)
            try #require(answers.count == 1, "one answer, got \(answers.map(\.status))")
            let answer = answers[0]
            #expect(answer.status == c.status)
            #expect(answer.headers["content-type"] == "application/json; charset=utf-8")
            #expect(answer.headers["connection"] == "close")
            #expect(answer.headers["x-content-type-options"] == "nosniff")
            #expect(answer.errorCode == "malformed-http")
            let message = try #require(answer.errorMessage)
            #expect(message.hasPrefix("Ungültige HTTP-Anfrage: "))
            #expect(message.contains(c.german), "\(message)")
            #expect(message.contains(" / Invalid HTTP request: "))
            #expect(message.contains(c.english), "\(message)")
            // The service goes on answering.
            let health = try await client.execute(uri: "/health", method: .get)
            #expect(health.status == .ok)
        }
    }

    /// A good request and a bad one behind it on one connection: the good one's answer is untouched, the bad one is
    /// answered with its reason.
    @Test func aBadRequestBehindAGoodOneGetsItsOwnAnswer() async throws {
        let fixture = try WebFixture(configuration: WebServiceConfiguration(port: 0))
        try await fixture.application().test(.live) { client in
            let answers = try await RawHTTPConnection.exchange(
                port: try #require(client.port), Array("GET /health HTTP/1.1\r\nHost: x\r\n\r\nBREW / HTTP/1.1\r\nHost: x\r\n\r\n".utf8))
            #expect(answers.map(\.status) == [200, 400])
            #expect(answers.first.map { String(decoding: $0.body, as: UTF8.self) } == "ok\n")
            #expect(answers.first?.headers["content-security-policy"] != nil, "the route's answer went out as the route wrote it")
            #expect(answers.last?.errorCode == "malformed-http")
        }
    }

    /// A CONNECT behind a good request on one connection: the good one is answered in full first, then the CONNECT with
    /// its reason, and the connection closes (before, the CONNECT's 405 went out without its body or length and the
    /// connection stayed open until the client gave up).
    @Test func aTunnelBehindAGoodRequestIsRefusedAfterItsAnswer() async throws {
        let fixture = try WebFixture(configuration: WebServiceConfiguration(port: 0))
        try await fixture.application().test(.live) { client in
            let answers = try await RawHTTPConnection.exchange(
                port: try #require(client.port),
                Array("GET /health HTTP/1.1\r\nHost: x\r\n\r\nCONNECT /health HTTP/1.1\r\nHost: x\r\n\r\nGET /health HTTP/1.1\r\nHost: x\r\n\r\n".utf8))
            #expect(answers.map(\.status) == [200, 400])
            #expect(answers.first.map { String(decoding: $0.body, as: UTF8.self) } == "ok\n")
            #expect(answers.last?.errorCode == "malformed-http")
            #expect(answers.last?.headers["connection"] == "close")
        }
    }

    /// A broken chunk in the body of a decision: the route reading the body is answered 400 `malformed-http` in the
    /// language asked for (before: a logged 500 `internal`), once, and nothing is decided or logged.
    @Test(arguments: [("de", "Ungültige HTTP-Anfrage: ungültige Chunk-Größe im Rumpf (Transfer-Encoding: chunked)."),
                      ("en", "Invalid HTTP request: invalid chunk size in the body (Transfer-Encoding: chunked).")])
    func aBrokenChunkInABodyIsTheRequestsFault(_ language: String, _ message: String) async throws {
        let fixture = try WebFixture(configuration: WebServiceConfiguration(port: 0))
        let token = try #require(fixture.tokens["caseworker"])
        let before = try fixture.environment.gate.auditLog.entries(matching: AuditQuery(kinds: [.decision])).count
        try await fixture.application().test(.live) { client in
            let request = "POST /v1/decisions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(token)\r\nAccept-Language: \(language)\r\n"
                + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"sub\r\nzz\r\n"
            let answers = try await RawHTTPConnection.exchange(port: try #require(client.port), Array(request.utf8))
            try #require(answers.count == 1, "one answer, got \(answers.map(\.status))")
            #expect(answers[0].status == 400)
            #expect(answers[0].errorCode == "malformed-http")
            #expect(answers[0].errorMessage == message)
        }
        #expect(try fixture.environment.gate.auditLog.entries(matching: AuditQuery(kinds: [.decision])).count == before)
    }

    /// A route that answers before reading the body (no credentials: 401) has answered the request; the broken body
    /// behind it gets no second answer, and the connection closes.
    @Test func aRequestAnsweredBeforeItsBrokenBodyIsAnsweredOnce() async throws {
        let fixture = try WebFixture(configuration: WebServiceConfiguration(port: 0))
        try await fixture.application().test(.live) { client in
            let request = "POST /v1/decisions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"
            let answers = try await RawHTTPConnection.exchange(port: try #require(client.port), Array(request.utf8))
            #expect(answers.map(\.status) == [401])
            #expect(answers.first?.errorCode == "unauthenticated")
        }
    }

    /// The unknown-method message names GET, HEAD and POST: the methods the service has routes for.
    @Test func theServiceHasRoutesForGetAndPostOnly() throws {
        let fixture = try WebFixture()
        _ = WebApplication.buildRouter(environment: fixture.environment)
        let methods = Set(fixture.environment.catalog.routes.map(\.method))
        #expect(methods == ["GET", "POST"])
        #expect(WebError.malformedHTTP(.parser(.invalidMethod)).message.en.contains("GET, HEAD and POST"))
    }

    /// A client that announces a body and stops sending, or keeps an idle connection open, is cut off after the
    /// connection idle timeout (a minute; one second here) instead of holding the connection and the route reading the
    /// body for good (found by probing the service).
    @Test(arguments: [("a stalled body", "POST /v1/decisions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer TOKEN\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"sub", [Int]()),
                      ("an idle connection", "GET /health HTTP/1.1\r\nHost: x\r\n\r\n", [200])])
    func aSilentConnectionIsClosedAfterTheIdleTimeout(_ name: String, _ request: String, _ statuses: [Int]) async throws {
        var configuration = WebServiceConfiguration(port: 0)
        configuration.connectionIdleTimeout = .seconds(1)
        let fixture = try WebFixture(configuration: configuration)
        try await fixture.application().test(.live) { client in
            let start = ContinuousClock.now
            let sent = request.replacingOccurrences(of: "TOKEN", with: try #require(fixture.tokens["caseworker"]))
            let answers = try await RawHTTPConnection.exchange(port: try #require(client.port), Array(sent.utf8))
            let waited = ContinuousClock.now - start
            #expect(answers.map(\.status) == statuses, "\(name)")
            // Closed by the one-second idle timeout, not by the minute's default or never: the upper bound leaves room for a
            // loaded machine (a full test run on two cores).
            #expect(waited >= .milliseconds(900) && waited < .seconds(40), "\(name): closed after \(waited)")
        }
    }

    @Test func theIdleTimeoutIsAMinuteByDefault() {
        #expect(WebServiceConfiguration().connectionIdleTimeout == .seconds(60))
    }
}
