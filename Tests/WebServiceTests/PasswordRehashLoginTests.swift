import AuditLog
import Foundation
import Gate
import GRDB
import Hummingbird
import HummingbirdTesting
import Logging
import Signing
import Synchronization
import Testing
@testable import WebService

/// `POST /login` raises a stored hash weaker than the service's `passwordParameters` (production: the standard,
/// ln=15, r=8, p=3) to them, logged as `password-rehashed`; the session it begins and the next login keep working. Here
/// the fixture's accounts are hashed with ln=10, r=8, p=1 and the service asks for ln=10, r=8, p=3 (three times the
/// work, as the standard is three times the old one), so the tests run real scrypt at a fraction of the cost.
@Suite struct PasswordRehashLoginTests {
    static let target = PasswordHashing.Parameters(logN: 10, r: 8, p: 3)
    let fixture: WebFixture
    init() throws { fixture = try WebFixture(passwordParameters: Self.target) }

    func storedHash(_ name: String) throws -> String? {
        try fixture.database.writer.read { db in
            try String.fetchOne(db, sql: "SELECT password_hash FROM account WHERE name = ?", arguments: [name])
        }
    }


    /// A wrong password first: it never rehashes. Then the right one does, once.
    @Test func aLoginRaisesAWeakerHashAndItsSessionAndTheNextLoginKeepWorking() async throws {
        #expect(WebServiceConfiguration().passwordParameters == .standard, "the service raises hashes to the standard unless told")
        let before = try #require(try storedHash("test-dpo"))
        #expect(PasswordHashing.parameters(of: before) == WebFixture.fastHashing)
        try await fixture.application().test(.router) { client in
            let wrong = try await pageLogin(client, name: "test-dpo", password: "not the password")
            #expect(wrong == nil)
            #expect(try storedHash("test-dpo") == before, "a wrong password never rehashes")
            #expect(try fixture.accountEvents(for: "test-dpo").map(\.event) == ["created"])
            let session = try #require(try await pageLogin(client, name: "test-dpo"))
            #expect(PasswordHashing.parameters(of: try #require(try storedHash("test-dpo"))) == Self.target)
            #expect(try fixture.accountEvents(for: "test-dpo").map(\.event) == ["created", "password-rehashed"])
            #expect(try fixture.accountEvents(for: "test-dpo").last?.actor == "system")
            // The session begun by the rehashing login carries the new hash's stamp: it is not ended as after a change.
            let start = try await client.execute(uri: "/", method: .get, headers: [.cookie: "cg_session=\(session)"])
            #expect(start.status == .ok && start.text.contains("Prüfprotokoll"))
            // The next login passes the account-log check and finds nothing to raise.
            let again = try #require(try await pageLogin(client, name: "test-dpo"))
            let second = try await client.execute(uri: "/", method: .get, headers: [.cookie: "cg_session=\(again)"])
            #expect(second.status == .ok)
            #expect(try fixture.accountEvents(for: "test-dpo").map(\.event) == ["created", "password-rehashed"])
            let first = try await client.execute(uri: "/", method: .get, headers: [.cookie: "cg_session=\(session)"])
            #expect(first.status == .ok, "the first session lives on")
        }
        #expect(try StoreChecks.problem(in: fixture.database.writer) == nil)
    }

    /// Collects what the service logs.
    final class Lines: TextOutputStream, @unchecked Sendable {
        private let lines = Mutex<[String]>([])
        func write(_ string: String) { lines.withLock { $0.append(string) } }
        var all: [String] { lines.withLock { $0 } }
    }

    @Test func aFailedRehashLogsAWarningAndTheLoginSucceeds() async throws {
        let before = try #require(try storedHash("test-dpo"))
        try await fixture.database.writer.write { db in
            try db.execute(sql: "CREATE TRIGGER refuse_entries BEFORE INSERT ON audit_entry BEGIN SELECT RAISE(ABORT, 'disk says no'); END;")
        }
        let out = Lines()
        let logger = Logger(label: "test") { StreamLogHandler(label: $0, stream: out, metadataProvider: nil) }
        try await WebApplication.build(environment: fixture.environment, logger: logger).test(.router) { client in
            let session = try #require(try await pageLogin(client, name: "test-dpo"))
            let start = try await client.execute(uri: "/", method: .get, headers: [.cookie: "cg_session=\(session)"])
            #expect(start.status == .ok)
        }
        #expect(try storedHash("test-dpo") == before)
        let warnings = out.all.filter { $0.contains("password hash not raised") }
        #expect(warnings.count == 1 && warnings[0].contains("warning") && warnings[0].contains("account=test-dpo"), "\(out.all)")
        #expect(!warnings.joined().contains("$scrypt$") && !warnings.joined().contains(WebFixture.password), "no secrets")
    }
}
