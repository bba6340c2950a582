import ConsentRecords
import Foundation
import Gate
import Hummingbird
import HummingbirdTesting
import StoreDiagnostics
import Testing
@testable import WebService

/// A value changed by hand in the database (with `sqlite3`) that the program would never have written: GRDB's row
/// subscripts trapped on it, so one case worker's check of such a person stopped the whole web service for everyone,
/// and `users list` crashed on an edited account row (input review, finding 1). Now the read names the table, the row
/// and the column (an integrity failure, 422 `integrity` on the API), and the service goes on answering.
@Suite struct HandEditedRowTests {
    static let subject = "RSK-2022-000710"

    /// The edit of the person's row, and the column the error must name.
    @Test(arguments: [
        ("UPDATE subject SET unaccompanied_minor = 'ja' WHERE id = '\(subject)'", "unaccompanied_minor"),
        ("UPDATE subject SET unaccompanied_minor = 7 WHERE id = '\(subject)'", "unaccompanied_minor"),
        ("UPDATE subject SET birth_date = '1.1.1990' WHERE id = '\(subject)'", "birth_date"),
        ("UPDATE subject SET guardians = 'nobody' WHERE id = '\(subject)'", "guardians"),
        ("UPDATE subject SET guardians = x'ff00' WHERE id = '\(subject)'", "guardians"),
    ])
    func aCheckOfAPersonWithAnEditedRowIsRefusedAndTheServiceGoesOn(edit: String, column: String) async throws {
        let fixture = try WebFixture()   // test-caseworker: Siegburg
        defer { fixture.remove() }
        let gate = fixture.environment.gate
        _ = try gate.grantConsent(
            GrantRequest(subject: Subject(id: Self.subject, birthDate: UnplacedSubjectAccessTests.birth, municipality: "Siegburg"),
                         templateID: "kim-beratung", language: "de", clauses: ["jobcenter"], grantedAt: Date().addingTimeInterval(-86_400),
                         collectedBy: CaseManagerReference(caseManager: "cm.siegburg", municipality: "Siegburg")),
            actor: Actor(id: "cm.siegburg", municipality: "Siegburg"))
        try UnplacedSubjectAccessTests.sqlite(fixture, edit)

        #expect(throws: StoredRowError.self) { try gate.subject(id: Self.subject) }
        let siegburg = jsonHeaders(try #require(fixture.tokens["caseworker"]))
        try await fixture.application().test(.router) { client in
            let size = try gate.auditLog.size()
            let checked = try await client.execute(uri: "/v1/decisions", method: .post, headers: siegburg,
                                                   body: UnplacedSubjectAccessTests.check(Self.subject))
            #expect(checked.status == .unprocessableContent && checked.errorCode == "integrity", "\(checked.text)")
            #expect(checked.text.contains("subject") && checked.text.contains(column) && checked.text.contains(Self.subject), "\(checked.text)")
            #expect(try gate.auditLog.size() == size, "nothing decided on a row that cannot be read")
            let health = try await client.execute(uri: "/health", method: .get)
            #expect(health.status == .ok)
            // Another person is still checked as before.
            let other = try await client.execute(uri: "/v1/decisions", method: .post, headers: siegburg,
                                                 body: UnplacedSubjectAccessTests.check("RSK-2022-000711"))
            #expect(other.status == .ok, "\(other.text)")
        }
    }

    /// An account row with a value ConsentGate never writes: the account list names it (German and English) instead of
    /// stopping the process, and never shows the stored value (a column may hold a password hash).
    @Test(arguments: [("test-dpo", "created_at", "x'ff00'"), ("test-caseworker", "municipality", "x'c328'"),
                      ("test-dpo", "created_at", "'gestern'"), ("test-dpo", "disabled_at", "42")])
    func anEditedAccountRowIsNamedNotATrap(account: String, column: String, value: String) throws {
        let fixture = try WebFixture()
        defer { fixture.remove() }
        try UnplacedSubjectAccessTests.sqlite(fixture, "UPDATE account SET \(column) = \(value) WHERE name = '\(account)'")
        let error = try #require(throws: StoredRowError.self) { try fixture.environment.gate.accounts.list() }
        #expect(error.table == "account" && error.row == account && error.column == column)
        #expect(error.category == .integrity)
        #expect(error.message(in: .de).contains("Spalte \(column)") && error.message(in: .en).contains("column \(column)"))
        #expect(!error.message(in: .en).contains("gestern") )
    }
}
