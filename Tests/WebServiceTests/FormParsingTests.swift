import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import WebService

/// URL-encoded and multipart form reading, and the login throttle.
@Suite struct FormParsingTests {
    @Test func urlEncoded() throws {
        let f = try FormData(urlEncoded: "a=1&b=x+y&b=%C3%A4&empty=&flag")
        #expect(f["a"] == "1")
        #expect(f.all("b") == ["x y", "ä"])
        #expect(f["empty"] == "")
        #expect(f["flag"] == "")
        #expect(throws: WebError.self) { try FormData(urlEncoded: "a=%E0%A4") }
    }

    static func multipart(_ boundary: String) -> Data {
        var d = Data()
        d.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\ntok\r\n".utf8))
        d.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"clauses\"\r\n\r\nschulamt\r\n".utf8))
        d.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"clauses\"\r\n\r\njobcenter\r\n".utf8))
        d.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"scan\"; filename=\"form.pdf\"\r\nContent-Type: application/pdf\r\n\r\n".utf8))
        d.append(Data([0x25, 0x50, 0x44, 0x46, 0x0d, 0x0a, 0x00, 0xff, 0x2d, 0x2d])) // binary with CRLF and "--"
        d.append(Data("\r\n--\(boundary)--\r\n".utf8))
        return d
    }

    @Test func multipartWithBinaryFile() throws {
        let b = "----cgBoundary7MA4YWxk"
        #expect(try MultipartForm.boundary(contentType: "multipart/form-data; boundary=\(b)") == b)
        #expect(try MultipartForm.boundary(contentType: "multipart/form-data; boundary=\"\(b)\"") == b)
        let f = try MultipartForm.parse(Self.multipart(b), boundary: b)
        #expect(f["_csrf"] == "tok")
        #expect(f.all("clauses") == ["schulamt", "jobcenter"])
        let scan = try #require(f.file("scan"))
        #expect(scan.filename == "form.pdf")
        #expect(scan.contentType == "application/pdf")
        #expect(scan.data == Data([0x25, 0x50, 0x44, 0x46, 0x0d, 0x0a, 0x00, 0xff, 0x2d, 0x2d]))
    }

    @Test(arguments: [
        "no boundary at all",
        "--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nunterminated",
        "--B\r\nContent-Disposition: form-data\r\n\r\nx\r\n--B--",
        "--B\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nx\r\n--B--",
        "--Bjunk",
    ])
    func malformedMultipartIs400(_ body: String) {
        #expect(throws: WebError.self) { try MultipartForm.parse(Data(body.utf8), boundary: "B") }
    }

    /// What the multipart reader says names the problem (found by probing the service: a part without
    /// Content-Disposition was "a part without a name", a non-UTF-8 name was read with replacement characters).
    @Test(arguments: [
        ([UInt8]("--B\r\nContent-Type: text/plain\r\n\r\nx\r\n--B--".utf8), "a part without Content-Disposition: form-data"),
        ([UInt8]("--B\r\nContent-Disposition: form-data; name=\"".utf8) + [0xFF, 0xFE] + [UInt8]("\"\r\n\r\nx\r\n--B--".utf8),
         "a part's headers are not UTF-8"),
        ([UInt8]("--B\r\nContent-Disposition: form-data; filename=\"x.pdf\"\r\n\r\nx\r\n--B--".utf8), "part without a name"),
    ])
    func malformedMultipartSaysWhatIsWrong(_ body: [UInt8], _ words: String) {
        do {
            _ = try MultipartForm.parse(Data(body), boundary: "B")
            Issue.record("read: \(words)")
        } catch let e as WebError {
            #expect(e.code == "malformed-form" && e.message.en == "malformed multipart form: \(words)", "\(e.message.en)")
        } catch {
            Issue.record("\(error)")
        }
    }

    /// A `;` inside a quoted parameter belongs to it.
    @Test(arguments: [("form-data; name=\"sub;ject\"", "name", "sub;ject"), ("form-data; name=\"a\"; filename=\"x;y.pdf\"", "filename", "x;y.pdf"),
                      ("form-data; name=plain", "name", "plain"), ("form-data;name=\"a\";filename=\"b\"", "filename", "b")])
    func quotedParametersKeepTheirSemicolons(_ line: String, _ key: String, _ value: String) {
        #expect(MultipartForm.parameter(key, in: "Content-Disposition: " + line) == value)
    }

    @Test func multipartLoginCarriesCSRF() async throws {
        let fixture = try WebFixture()
        try await fixture.application().test(.router) { client in
            let form = try await client.execute(uri: "/login", method: .get)
            let anon = try #require(form.cookieValue("cg_session"))
            let csrf = try #require(csrfToken(in: form.text))
            let b = "XyZ"
            let body = "--\(b)\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\ntest-dpo\r\n"
                + "--\(b)\r\nContent-Disposition: form-data; name=\"password\"\r\n\r\n\(WebFixture.password)\r\n"
                + "--\(b)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(csrf)\r\n--\(b)--\r\n"
            let r = try await client.execute(uri: "/login", method: .post,
                headers: [.contentType: "multipart/form-data; boundary=\(b)", .cookie: "cg_session=\(anon)"], body: ByteBuffer(string: body))
            #expect(r.status == .seeOther)
        }
    }

    @Test func repeatedWrongPasswordsAreThrottled() async throws {
        let fixture = try WebFixture()
        try await fixture.application().test(.router) { client in
            let form = try await client.execute(uri: "/login", method: .get)
            let anon = try #require(form.cookieValue("cg_session"))
            let csrf = try #require(csrfToken(in: form.text))
            func attempt(_ password: String) async throws -> TestResponse {
                try await client.execute(uri: "/login", method: .post,
                    headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "cg_session=\(anon)"],
                    body: formEncode([("name", "test-dpo"), ("password", password), ("_csrf", csrf)]))
            }
            for _ in 0..<5 { #expect(try await attempt("wrong password 123").status == .unauthorized) }
            let blocked = try await attempt(WebFixture.password)
            #expect(blocked.status == .tooManyRequests)
            #expect(blocked.text.contains("Zu viele fehlgeschlagene Anmeldungen"))
            // When to try again: in words without "Minute(n)", and in `Retry-After` for programs (a review, 2026-12-06).
            #expect(blocked.text.contains("Bitte in 5 Minuten erneut versuchen") || blocked.text.contains("Bitte in einer Minute erneut versuchen"), "\(blocked.text)")
            #expect(!blocked.text.contains("Minute(n)"))
            let retry = try #require(blocked.headers[.retryAfter].flatMap { Int($0) }, "Retry-After")
            #expect((1...300).contains(retry), "\(retry)")
            // Other accounts are not affected.
            #expect(try await pageLogin(client, name: "test-admin") != nil)
        }
    }
}
