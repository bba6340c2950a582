import Foundation
import Gate
import StrictJSON
import Testing
@testable import WebService

/// The helpers under the security fixes, each on its own: the throttle's reservation, percent-decoding
/// of path segments, the same-origin link, the media-type check, where a JSON error is, the `%00`
/// pre-check of queries, and export paths made relative.
@Suite struct InputHelperTests {
    @Test func theThrottleReservesBeforeTheCheckAndForgetsOnSuccess() async throws {
        let throttle = LoginThrottle(devices: try DeviceCookieStore.inMemory(), maxFailures: 3, window: 60)
        let t0 = Date(timeIntervalSince1970: 1_000_000)
        for _ in 0..<3 { #expect(try await throttle.reserve(name: "Anna", now: t0).wait == nil) }
        // The name's case does not open a new bucket.
        #expect(try await throttle.reserve(name: "anna", now: t0.addingTimeInterval(10)).wait == 50)
        #expect(await throttle.count(name: "ANNA", now: t0) == 3, "a refused attempt reserves nothing")
        #expect(try await throttle.reserve(name: "anna", now: t0.addingTimeInterval(60)).wait == nil, "the window passed")
        await throttle.succeeded(name: "anna")
        #expect(await throttle.count(name: "anna", now: t0.addingTimeInterval(60)) == 0)
    }

    @Test(arguments: [
        ("RSK%2F2022%2F1", "RSK/2022/1"), ("RSK%2f2022", "RSK/2022"), ("plain", "plain"), ("a+b", "a+b"), ("%C3%A4", "ä"),
        ("%41", "A"), ("", ""),
    ])
    func percentDecoding(_ c: (String, String)) {
        #expect(PathParameter.percentDecoded(c.0) == c.1)
    }

    @Test(arguments: ["%", "%4", "%zz", "%FF", "%C3", "%E2%82", "a%2", "%ED%A0%80"])
    func undecodableSegments(raw: String) {
        #expect(PathParameter.percentDecoded(raw) == nil, "\(raw)")
    }

    @Test(arguments: [
        ("//evil.example", "/evil.example"), ("///x", "/x"), ("/\\evil.example", "/%5Cevil.example"), ("/a\tb", "/a%09b"),
        ("", "/"), ("/", "/"), ("/audit/report", "/audit/report"), ("/x y\"<", "/x%20y%22%3C"), ("/ä", "/%C3%A4"),
        ("/%2F%2Fevil", "/%2F%2Fevil"), ("evil.example", "/evil.example"),
    ])
    func sameOriginPaths(_ c: (String, String)) {
        #expect(Layout.sameOriginPath(c.0) == c.1)
    }

    @Test func theLanguageLinkKeepsTheQueryWithoutLang() {
        #expect(Layout.languageSwitchLink(path: "/audit", query: "kind=decision&lang=de&subject=RSK%2F1", language: .en)
                == "/audit?kind=decision&subject=RSK%2F1&lang=en")
        #expect(Layout.languageSwitchLink(path: "//x", query: nil, language: .de) == "/x?lang=de")
        #expect(Layout.languageSwitchLink(path: "/", query: "a=<b>#c", language: .de) == "/?a=%3Cb%3E%23c&lang=de")
    }

    @Test(arguments: [("application/json", true), ("application/json; charset=utf-8", true), ("APPLICATION/JSON", true),
                      (" application/json ;x=y", true), ("application/jsonx", false), ("application/json-seq", false),
                      ("text/json", false), ("application/jso", false), ("", false), ("application/json, text/plain", false),
                      ("\tApplication/Json\t; charset=utf-8", true), ("   ", false), (";", false), ("application /json", false),
                      ("application/json\u{A0}", false)])
    func mediaTypes(_ c: (String, Bool)) {
        #expect(RequestBodyReader.isJSON(contentType: c.0) == c.1, "\(c.0)")
    }

    @Test func formMediaTypesAreComparedWhole() throws {
        #expect(try MultipartForm.boundary(contentType: "multipart/form-data; boundary=abc") == "abc")
        #expect(try MultipartForm.boundary(contentType: "Multipart/Form-Data;boundary=\"abc\"") == "abc")
        #expect(RequestBodyReader.mediaType(of: "multipart/form-datax; boundary=abc") == "multipart/form-datax")
        #expect(RequestBodyReader.mediaType(of: "application/x-www-form-urlencoded; charset=UTF-8") == "application/x-www-form-urlencoded")
        #expect(RequestBodyReader.mediaType(of: " \tMultipart/Form-Data ;boundary=x") == "multipart/form-data")
        #expect(RequestBodyReader.mediaType(of: " \t ") == "" && RequestBodyReader.mediaType(of: "") == "")
    }

    @Test func syntaxErrorsAreLocatedByLineAndCharacter() {
        let bytes = Array("{\n  \"ä\": [1,\n  ]}".utf8)
        #expect(JSONSyntaxMessage.position(of: bytes.count - 2, in: bytes) == (3, 3))
        #expect(JSONSyntaxMessage.position(of: 0, in: bytes) == (1, 1))
        #expect(JSONSyntaxMessage.position(of: 9, in: bytes) == (2, 7), "ä counts as one character")
    }

    @Test(arguments: [("subject=a%00b", true), ("a=%00", true), ("%00=1", true), ("a=%0", false), ("a=%100", false), ("a=b", false),
                      ("a=%2500", false)])
    func queriesThatMayHoldNUL(_ c: (String, Bool)) {
        #expect(QueryTextMiddleware.mayHoldNUL(c.0) == c.1, "\(c.0)")
    }

    @Test func exportPathsAreAnsweredRelative() {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("cg-rel-\(UUID().uuidString)").path
        #expect(ExportPaths.relative(base + "/share/Jobcenter/run-1", base: base) == "share/Jobcenter/run-1")
        #expect(ExportPaths.relative(base, base: base) == ".")
        #expect(ExportPaths.relative("/elsewhere/q.csv", base: base) == "q.csv")
        #expect(ExportPaths.relative("/elsewhere/q.csv", base: nil) == "q.csv")
    }
}
