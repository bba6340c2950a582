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

    /// A bogus cookie cannot be told from an ended session's, so at most two such forms are read up to 12 MiB at once:
    /// with both slots taken, a third is read only up to 64 KiB (its entries past that are not kept), and once a slot is
    /// free again the whole form is read. Every read gives its slot back.
    @Test func onlyTwoFormsOfRequestsWithoutALiveSessionAreReadWhole() async throws {
        let fixture = try WebFixture()
        defer { fixture.remove() }
        let reads = fixture.environment.endedSessionReads
        try await fixture.application().test(.router) { client in
            func keptSubject() async throws -> Bool {
                let r = try await client.execute(uri: "/consents", method: .post,
                                                 headers: SessionExpiryFormTests.browserHeaders(cookie: "cg_session=made-up", contentType: Self.multipart),
                                                 body: ByteBuffer(string: Self.body(scan: 200_000)))
                #expect(r.status == .unauthorized, "\(r.status)")
                let kept = SessionExpiryFormTests.keptFields(in: r.text)
                // Read up to 64 KiB only, the form is not cut at the scan: no "scan too large" for a scan that is not.
                #expect(!kept.contains { $0.0 == "kept." + KeptEntries.scanTooLargeField }, "\(kept)")
                return kept.contains { $0 == ("kept.subject", "RSK-2022-000731") }
            }
            #expect(reads.acquire() && reads.acquire(), "two slots")
            #expect(!reads.acquire(), "no third")
            let whileTaken = try await keptSubject()
            #expect(!whileTaken, "both slots taken: read up to 64 KiB only")
            reads.release()
            let oneFree = try await keptSubject()
            #expect(oneFree, "a slot free: read whole")
            let again = try await keptSubject()
            #expect(again, "and given back after the read")
            reads.release()
            #expect(reads.acquire() && reads.acquire() && !reads.acquire(), "every read gave its slot back")
        }
    }
}
