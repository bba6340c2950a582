import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import WebService

/// A consent form POSTed without any session cookie is answered 401 without its body being read past the plain forms'
/// 64 KiB: anyone could make the service buffer and parse 12 MiB per request for a 401 (input review, finding 4: 3.4 s
/// a request, 24 at once slowed `/health` to 4.7 s). A request that still sends a session cookie (one that ended) has
/// the whole form read, so the case worker's entries come back after the login, as before.
@Suite struct AnonymousUploadBodyTests {
    static let multipart = "multipart/form-data; boundary=\(ConsentScanTooLargeTests.boundary)"
    static let fields = [("subject", "RSK-2022-000731"), ("template", "kim-beratung")]

    /// The scan (`bytes` long) first, then the entries: what lies past the read limit is not read.
    static func body(scan bytes: Int?) -> String {
        let b = ConsentScanTooLargeTests.boundary
        var body = ""
        if let bytes {
            body += "--\(b)\r\nContent-Disposition: form-data; name=\"scan\"; filename=\"scan.pdf\"\r\nContent-Type: application/pdf\r\n\r\n"
            body += String(repeating: "x", count: bytes) + "\r\n"
        }
        for (k, v) in fields { body += "--\(b)\r\nContent-Disposition: form-data; name=\"\(k)\"\r\n\r\n\(v)\r\n" }
        return body + "--\(b)--\r\n"
    }

    @Test(arguments: [(nil as String?, 200_000, false), ("cg_session=ended-or-unknown", 200_000, true), (nil, nil as Int?, true)])
    func theBodyIsReadOnlyForARequestThatHadASession(cookie: String?, scan: Int?, kept: Bool) async throws {
        let fixture = try WebFixture()
        defer { fixture.remove() }
        try await fixture.application().test(.router) { client in
            let body = Self.body(scan: scan)
            let r = try await client.execute(uri: "/consents", method: .post,
                                             headers: SessionExpiryFormTests.browserHeaders(cookie: cookie, contentType: Self.multipart),
                                             body: ByteBuffer(string: body))
            #expect(r.status == .unauthorized, "\(r.status)")
            let entries = SessionExpiryFormTests.keptFields(in: r.text)
            #expect(entries.contains { $0 == ("kept.subject", "RSK-2022-000731") } == kept, "\(entries)")
        }
    }
}
