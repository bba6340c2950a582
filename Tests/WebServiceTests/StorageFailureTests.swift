import Foundation
import Gate
import GRDB
import Hummingbird
import HummingbirdTesting
import Testing
@testable import WebService

/// A storage failure is answered 503 `storage` in the same words whatever failed; what the store said goes to the log
/// only. Found in the web review: answers carried the store's text, "SQLite error 1: no such table: subject - while
/// executing `SELECT * FROM subject WHERE id = ?`" and "storage(operation: \"append entry 11\", reason: …)".
@Suite struct StorageFailureTests {
    static let generic = "The service's database reported an error; it has been logged. Please try again later or tell the administrator."

    @Test func theAnswerNamesNoInternals() async throws {
        let fixture = try WebFixture()
        defer { fixture.remove() }
        try await fixture.database.writer.write { db in
            try db.execute(sql: "CREATE TRIGGER test_fail_append BEFORE INSERT ON audit_entry BEGIN SELECT RAISE(ABORT, 'disk trouble'); END")
        }
        try await fixture.application().test(.router) { client in
            let decision = try await client.execute(uri: "/v1/decisions?lang=en", method: .post, headers: jsonHeaders(fixture.tokens["caseworker"]!),
                body: ByteBuffer(string: #"{"subject": "RSK-2099-000001", "partner": "jobcenter", "purpose": "job-placement", "fields": ["name.family"]}"#))
            let account = try await client.execute(uri: "/v1/accounts?lang=en", method: .post, headers: jsonHeaders(fixture.tokens["admin"]!),
                body: ByteBuffer(string: #"{"name": "x1", "role": "dpo"}"#))
            for r in [decision, account] {
                #expect(r.status == .serviceUnavailable)
                #expect(r.errorCode == "storage")
                #expect(r.errorMessage == Self.generic, "\(r.text)")
            }
        }
        try await fixture.database.writer.write { db in try db.execute(sql: "DROP TRIGGER test_fail_append; DROP TABLE subject") }
        try await fixture.application().test(.router) { client in
            let list = try await client.execute(uri: "/v1/subjects/RSK-2099-000001/consents", method: .get, headers: bearer(fixture.tokens["caseworker"]!))
            #expect(list.status == .serviceUnavailable)
            #expect(!list.text.contains("SQL") && !list.text.contains("SELECT"), "\(list.text)")
            // A page: the error page, in the same words.
            let cookie = try #require(try await pageLogin(client, name: "test-caseworker"))
            let form = try await client.execute(uri: "/check", method: .get, headers: [.cookie: "cg_session=\(cookie)"])
            #expect(form.status == .serviceUnavailable)
            #expect(!form.text.contains("SELECT"), "\(form.text)")
        }
    }

    @Test func theStoresWordsAreKeptForTheLog() {
        let web = WebError(StorageError.failed(operation: .init(de: "Person X lesen", en: "read subject X"), reason: .database(code: 1, message: "no such table: subject")))
        #expect(web.status == .serviceUnavailable)
        #expect(web.message.en == Self.generic)
        #expect(web.logDetail?.contains("no such table: subject") == true)
        #expect(web.logDetail?.contains("StorageError") == true)
    }
}
