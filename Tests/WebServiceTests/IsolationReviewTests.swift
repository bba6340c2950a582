#if canImport(Glibc)
import Glibc
#endif
import AuditLog
import ConsentRecords
import Foundation
import Gate
import Hummingbird
import HummingbirdTesting
import PolicyEngine
import Synchronization
import Testing
@testable import WebService

/// Findings of the review of role and municipality isolation (a case worker of Siegburg attacking
/// Troisdorf's people; page sessions attacking the API).
@Suite struct IsolationReviewTests {
    /// Paths Hummingbird's router resolves to a `/v1` route (it skips empty segments) although they do not
    /// start with `/v1/` as written.
    static let apiPathsWithEmptySegments = ["//v1/me", "///v1/me", "//v1//me"]

    /// The JSON API never acts on a page session: a path that reaches an API route only through an empty
    /// segment is the API as well (401 without a bearer token), never a page authenticated by the cookie.
    @Test(arguments: apiPathsWithEmptySegments)
    func aSessionCookieNeverAuthenticatesAnAPIRoute(path: String) async throws {
        let fixture = try WebFixture()
        defer { fixture.remove() }
        try await fixture.application().test(.router) { client in
            let cookie = try #require(try await pageLogin(client, name: "test-caseworker"))
            let r = try await client.execute(uri: path, method: .get, headers: [.cookie: "cg_session=\(cookie)"])
            #expect(r.status == .unauthorized, "\(path): \(r.status) \(r.text)")
            #expect(r.errorCode == "unauthenticated", "\(path): \(r.text)")
            #expect(!r.text.contains("test-caseworker"), "\(path) answered the session's account")
        }
    }

    /// The CSRF token protects every state-changing request a browser session can make: a POST to
    /// `//v1/consents/{id}/withdraw` carrying only the session cookie (what a same-site page can make a
    /// browser send) withdraws nothing.
    @Test func theSessionCookieAloneCannotWithdrawAConsentThroughTheAPI() async throws {
        let fixture = try WebFixture()
        defer { fixture.remove() }
        let token = fixture.tokens["caseworker"]!
        try await fixture.application().test(.router) { client in
            let grant = try await client.execute(uri: "/v1/consents", method: .post, headers: jsonHeaders(token), body: ByteBuffer(string:
                #"{"subject": "RSK-ISO-CSRF", "attributes": {"birth-date": "1990-01-01"}, "template": "kim-beratung", "language": "de", "clauses": ["jobcenter"]}"#))
            #expect(grant.status == .created, "\(grant.text)")
            let id = try #require((grant.json["consent"] as? [String: Any])?["id"] as? String)
            let cookie = try #require(try await pageLogin(client, name: "test-caseworker"))
            let forged = try await client.execute(uri: "//v1/consents/\(id)/withdraw", method: .post, headers: [.cookie: "cg_session=\(cookie)"])
            #expect(forged.status == .unauthorized, "\(forged.status) \(forged.text)")
            let shown = try await client.execute(uri: "/v1/consents/\(id)", method: .get, headers: bearer(token))
            #expect(shown.json["state"] as? String == "active", "\(shown.text)")
        }
    }

    /// The grant body of `subject` born on `birthDate`.
    static func grantBody(_ subject: String, birthDate: String) -> String {
        #"{"subject": "\#(subject)", "attributes": {"birth-date": "\#(birthDate)"}, "template": "kim-beratung", "language": "de", "clauses": ["jobcenter"]}"#
    }

    /// A case worker cannot take over another municipality's person by recording a consent while that
    /// municipality records the person: the municipality rule holds inside the transaction that writes the
    /// person, not only in a read made before it. Here Siegburg's request has started (its body still on the
    /// way) when Troisdorf records the person; when the body arrives, the grant is refused and Troisdorf's
    /// record (municipality, birth date) stays as it was.
    @Test(.timeLimit(.minutes(2)))
    func aGrantCannotMoveAnotherMunicipalitysPersonWhileItIsRecorded() async throws {
        let fixture = try WebFixture(configuration: WebServiceConfiguration(port: 0))
        defer { fixture.remove() }
        let siegburg = fixture.tokens["caseworker"]!, troisdorf = fixture.tokens["caseworker-other"]!
        let subject = "RSK-ISO-RACE-1"
        try await fixture.application().test(.live) { client in
            let port = try #require(client.port)
            // Siegburg asks about the person first (not recorded yet: nothing to show).
            let before = try await client.execute(uri: "/v1/subjects/\(subject)/consents", method: .get, headers: bearer(siegburg))
            #expect(before.status == .ok)
            // Siegburg's grant: the head now, the body later.
            let body = Self.grantBody(subject, birthDate: "2001-02-03")
            let slow = try SlowRequest(port: port, head: "POST /v1/consents HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(siegburg)\r\n"
                + "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n")
            try await Task.sleep(for: .milliseconds(300))
            // Meanwhile Troisdorf records the person.
            let theirs = try await client.execute(uri: "/v1/consents", method: .post, headers: jsonHeaders(troisdorf),
                                                  body: ByteBuffer(string: Self.grantBody(subject, birthDate: "1990-01-01")))
            #expect(theirs.status == .created, "\(theirs.text)")
            let answer = try await slow.finish(body)
            #expect(answer.hasPrefix("HTTP/1.1 403"), "\(answer)")
            #expect(answer.contains("other-municipality"), "\(answer)")
            let stored = try #require(try fixture.environment.gate.subject(id: subject))
            #expect(stored.municipality == "Troisdorf")
            #expect(stored.birthDate.map { UTCDay.format(UTCDay.day(of: $0)) } == "1990-01-01")
            let mine = try await client.execute(uri: "/v1/subjects/\(subject)/consents", method: .get, headers: bearer(troisdorf))
            #expect(mine.status == .ok, "Troisdorf lost its person: \(mine.text)")
            #expect((try? JSONSerialization.jsonObject(with: Data(mine.text.utf8)) as? [Any])?.count == 1, "only Troisdorf's consent: \(mine.text)")
        }
    }

    /// A decision started before another municipality recorded the person, whose body arrives after, is refused
    /// like any later one: it never decides with (and so never names) the other municipality's consents.
    @Test(.timeLimit(.minutes(2)))
    func aSlowDecisionNeverSeesAnotherMunicipalitysConsents() async throws {
        let fixture = try WebFixture(configuration: WebServiceConfiguration(port: 0))
        defer { fixture.remove() }
        let siegburg = fixture.tokens["caseworker"]!, troisdorf = fixture.tokens["caseworker-other"]!
        let subject = "RSK-ISO-RACE-2"
        try await fixture.application().test(.live) { client in
            let port = try #require(client.port)
            let before = try await client.execute(uri: "/v1/subjects/\(subject)/consents", method: .get, headers: bearer(siegburg))
            #expect(before.status == .ok)
            let body = #"{"subject": "\#(subject)", "partner": "jobcenter", "purpose": "job-placement", "fields": ["name.family"]}"#
            let slow = try SlowRequest(port: port, head: "POST /v1/decisions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(siegburg)\r\n"
                + "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n")
            try await Task.sleep(for: .milliseconds(300))
            let theirs = try await client.execute(uri: "/v1/consents", method: .post, headers: jsonHeaders(troisdorf),
                                                  body: ByteBuffer(string: Self.grantBody(subject, birthDate: "1990-01-01")))
            #expect(theirs.status == .created, "\(theirs.text)")
            let consentID = try #require((theirs.json["consent"] as? [String: Any])?["id"] as? String)
            let answer = try await slow.finish(body)
            #expect(answer.hasPrefix("HTTP/1.1 403"), "\(answer)")
            #expect(!answer.lowercased().contains(consentID.lowercased()), "Siegburg learned Troisdorf's consent: \(answer)")
        }
    }

    /// Municipalities a Siegburg case worker might state for a person: its own, another, and that other one with a
    /// different case, a trailing space, a Cyrillic homoglyph (Т), its own with a Cyrillic е.
    static let statedMunicipalities: [String?] = [nil, "Siegburg", "Troisdorf", "troisdorf", "Troisdorf ", "\u{0422}roisdorf", "Si\u{0435}gburg"]

    /// A Siegburg case worker can neither record a consent for, nor check, a person Troisdorf has recorded, whatever
    /// municipality the request states; every refusal is the same 403 with the same bytes (a name the county does not
    /// list: the same 422 as for a person nobody has recorded), and Troisdorf's record (municipality, birth date) stays
    /// as it was.
    @Test(arguments: statedMunicipalities)
    func anotherMunicipalitysPersonIsRefusedWhateverTheRequestStates(municipality: String?) async throws {
        let fixture = try WebFixture()
        defer { fixture.remove() }
        let siegburg = fixture.tokens["caseworker"]!, troisdorf = fixture.tokens["caseworker-other"]!
        let gate = fixture.environment.gate
        try await fixture.application().test(.router) { client in
            let theirs = try await client.execute(uri: "/v1/consents", method: .post, headers: jsonHeaders(troisdorf),
                                                  body: ByteBuffer(string: Self.grantBody("RSK-ISO-T1", birthDate: "1990-01-01")))
            #expect(theirs.status == .created)
            let stated = municipality.map { #", "municipality": "\#($0)""# } ?? ""
            let grant = try await client.execute(uri: "/v1/consents", method: .post, headers: jsonHeaders(siegburg), body: ByteBuffer(string:
                #"{"subject": "RSK-ISO-T1", "attributes": {"birth-date": "2001-02-03"\#(stated)}, "template": "kim-beratung", "language": "de", "clauses": ["jobcenter"]}"#))
            let decision = try await client.execute(uri: "/v1/decisions", method: .post, headers: jsonHeaders(siegburg), body: ByteBuffer(string:
                #"{"subject": "RSK-ISO-T1", "attributes": {"birth-date": "2001-02-03"\#(stated)}, "partner": "jobcenter", "purpose": "job-placement", "fields": ["name.family"]}"#))
            let list = try await client.execute(uri: "/v1/subjects/RSK-ISO-T1/consents", method: .get, headers: bearer(siegburg))
            let expected = #"{"error":{"code":"other-municipality","message":"Diese Person gehört nicht zu Ihrer Kommune."}}"#
            #expect(list.status == .forbidden && list.text == expected, "\(list.text)")
            if let municipality, !gate.policy.bundle.countyMunicipalities.admits(municipality) {
                // A name the county does not list is the request's typo (422 naming the field), told before anyone is
                // looked up: the very same bytes as for a person nobody has recorded, so nothing about Troisdorf's.
                let nobodysGrant = try await client.execute(uri: "/v1/consents", method: .post, headers: jsonHeaders(siegburg), body: ByteBuffer(string:
                    #"{"subject": "RSK-ISO-T1", "attributes": {"birth-date": "2001-02-03"\#(stated)}, "template": "kim-beratung", "language": "de", "clauses": ["jobcenter"]}"#
                        .replacingOccurrences(of: "RSK-ISO-T1", with: "RSK-ISO-NOBODY")))
                for r in [grant, decision] {
                    #expect(r.status == .unprocessableContent, "\(r.text)")
                    #expect(r.errorMessage?.hasPrefix("attributes.municipality: unbekannte Kommune") == true, "\(r.text)")
                }
                #expect(grant.text == nobodysGrant.text)
            } else {
                for r in [grant, decision] {
                    #expect(r.status == .forbidden, "\(r.text)")
                    #expect(r.text == expected)
                }
            }
            let stored = try #require(try gate.subject(id: "RSK-ISO-T1"))
            #expect(stored.municipality == "Troisdorf")
            #expect(stored.birthDate.map { UTCDay.format(UTCDay.day(of: $0)) } == "1990-01-01")
        }
    }

    /// `Gate.grantConsent(admitting:)`: the rule sees the person as stored inside the transaction, and its refusal
    /// leaves nothing behind (no consent, no `consent-granted` entry, the person as stored before).
    @Test func aGrantRefusedInsideItsTransactionStoresAndLogsNothing() throws {
        let fixture = try WebFixture()
        defer { fixture.remove() }
        let gate = fixture.environment.gate
        let day = try #require(UTCDay.parse("1990-01-01") as Int?)
        let birth = Date(timeIntervalSince1970: Double(day) * 86_400)
        let troisdorf = Subject(id: "RSK-ISO-TX", birthDate: birth, municipality: "Troisdorf")
        _ = try gate.grantConsent(GrantRequest(subject: troisdorf, templateID: "kim-beratung", language: "de", clauses: ["jobcenter"],
                                               grantedAt: Date(), collectedBy: CaseManagerReference(caseManager: "t", municipality: "Troisdorf")),
                                  actor: Actor(id: "t", municipality: "Troisdorf"))
        let size = try gate.auditLog.size()
        struct Refused: Error {}
        let seen = Mutex<Subject??>(nil)
        #expect(throws: Refused.self) {
            try gate.grantConsent(GrantRequest(subject: Subject(id: "RSK-ISO-TX", municipality: "Siegburg"), templateID: "kim-beratung",
                                               language: "de", clauses: ["jobcenter"], grantedAt: Date(),
                                               collectedBy: CaseManagerReference(caseManager: "s", municipality: "Siegburg")),
                                  actor: Actor(id: "s", municipality: "Siegburg")) { stored in
                seen.withLock { $0 = .some(stored) }
                throw Refused()
            }
        }
        #expect(seen.withLock { $0 }??.municipality == "Troisdorf")
        #expect(try gate.auditLog.size() == size)
        #expect(try gate.consents.list(subject: "RSK-ISO-TX").count == 1)
        #expect(try gate.subject(id: "RSK-ISO-TX")?.municipality == "Troisdorf")
    }

    /// Every read a DPO can make of personal data, through the API and the pages, appends exactly one
    /// `audit-read` entry naming the DPO before the answer leaves (the issue: "Every DPO read is an
    /// `audit-read` entry").
    @Test func everyDPOReadOfPersonalDataIsLoggedOnce() async throws {
        let fixture = try WebFixture()
        defer { fixture.remove() }
        let gate = fixture.environment.gate
        let caseworker = fixture.tokens["caseworker"]!, dpo = fixture.tokens["dpo"]!
        try await fixture.application().test(.router) { client in
            let grant = try await client.execute(uri: "/v1/consents", method: .post, headers: jsonHeaders(caseworker),
                                                 body: ByteBuffer(string: Self.grantBody("RSK-ISO-DPO", birthDate: "1990-01-01")))
            let consent = try #require((grant.json["consent"] as? [String: Any])?["id"] as? String)
            let decision = try await client.execute(uri: "/v1/decisions", method: .post, headers: jsonHeaders(caseworker), body: ByteBuffer(string:
                #"{"subject": "RSK-ISO-DPO", "partner": "jobcenter", "purpose": "job-placement", "fields": ["name.family"]}"#))
            let index = try #require((decision.json["audit"] as? [String: Any])?["index"] as? Int)
            let cookie = try #require(try await pageLogin(client, name: "test-dpo"))
            let reads: [(uri: String, page: Bool)] = [
                ("/v1/consents/\(consent)", false), ("/v1/subjects/RSK-ISO-DPO/consents", false), ("/v1/audit/entries", false),
                ("/v1/audit/entries?subject=RSK-ISO-DPO&limit=1", false), ("/v1/audit/entries/\(index)", false),
                ("/v1/audit/report/RSK-ISO-DPO", false), ("/v1/audit/stats", false), ("/v1/audit/stats?subject=RSK-ISO-DPO", false),
                ("/audit", true), ("/audit?subject=RSK-ISO-DPO", true), ("/audit/entries/\(index)", true),
                ("/audit/entries/\(index)?explain=1", true), ("/audit/report?subject=RSK-ISO-DPO", true), ("/audit/stats", true),
                ("/consents/\(consent)", true), ("/consents/\(consent)/declaration", true),
            ]
            for read in reads {
                let before = try gate.auditLog.size()
                let headers: HTTPFields = read.page ? [.cookie: "cg_session=\(cookie)"] : bearer(dpo)
                let r = try await client.execute(uri: read.uri, method: .get, headers: headers)
                #expect(r.status == .ok, "\(read.uri): \(r.status)")
                #expect(try gate.auditLog.size() == before + 1, "\(read.uri): one entry appended")
                let last = try gate.auditLog.entry(index: before)
                guard case .auditRead = last.entry.content else { Issue.record("\(read.uri): \(last.entry.kind), not audit-read"); continue }
                #expect(last.entry.actor == "test-dpo", "\(read.uri)")
            }
        }
    }
}

/// One HTTP request written by hand over TCP: the head when created, the body when `finish` is called, so a
/// test can act between the two (the server runs the route as soon as the head has arrived). The socket is
/// read with blocking calls on a queue of its own, never on a thread of the cooperative pool.
final class SlowRequest: @unchecked Sendable {
    enum Failure: Error { case connect(Int32), send }
    let fd: Int32
    let queue = DispatchQueue(label: "slow-request")

    init(port: Int, head: String) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr = in_addr(s_addr: inet_addr("127.0.0.1"))
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { close(fd); throw Failure.connect(errno) }
        try write(head)
    }

    private func write(_ text: String) throws {
        let bytes = Array(text.utf8)
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { throw Failure.send }
            sent += n
        }
    }

    /// Sends the rest and reads the whole answer (the request says `Connection: close`).
    func finish(_ rest: String) async throws -> String {
        try write(rest)
        return await withCheckedContinuation { continuation in
            queue.async { [fd] in
                var answer: [UInt8] = []
                var buffer = [UInt8](repeating: 0, count: 4096)
                while true {
                    let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                    if n <= 0 { break }
                    answer.append(contentsOf: buffer[0..<n])
                }
                close(fd)
                continuation.resume(returning: String(decoding: answer, as: UTF8.self))
            }
        }
    }
}
