import Foundation
import GRDB
import PolicyEngine
import Signing
import StrictJSON
import TestFolders
import Testing
@testable import ConsentRecords

/// Withdrawal of single lines (clauses) of a consent (GDPR Art. 7(3): "ganz oder für einzelne Zeilen"): the signed
/// document, the store's rules, the state and facts it gives, and the migration of an existing database.
@Suite("Withdrawing single clauses of a consent")
struct ClauseWithdrawalTests {
    let signer: TestSigner
    let folder: TemporaryDirectory
    let store: ConsentStore
    static let id = UUID(uuidString: "6f1c0000-0000-4000-8000-000000000042")!
    static let three = ["jobcenter-vermittlung", "jugendamt-gesundheit", "schulamt-planung"]

    init() throws {
        signer = try TestSigner()
        folder = try TestDatabase.folder()
        store = try TestDatabase.store(makeVerifier([signer]), path: TestDatabase.path(in: folder))
    }

    func at(_ text: String) -> Date { Fixture.date(text) }

    /// A stored consent granting all three clauses of the test template.
    func granted() throws -> String {
        let signed = try Fixture.declaration(id: Self.id, clauses: Self.three).signed(with: signer.key)
        try store.grant(signed, subjectBirthDate: Fixture.adultBirthDate, now: Fixture.now)
        return signed.content.idText
    }

    func withdraw(_ id: String, _ clauses: [String]?, at time: String) throws -> WithdrawalOutcome {
        try store.withdraw(consentID: id, at: at(time), clauses: clauses, recordedBy: Fixture.collector, key: signer.key, now: at("2027-06-01T00:00:00Z"))
    }

    func rowCount() throws -> Int { try store.database.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM consent_withdrawal")! } }

    // MARK: the signed document

    @Test("a withdrawal of the whole consent keeps version 1 and its bytes; one of clauses is version 2 with sorted clauses")
    func payloadVersions() throws {
        let whole = ConsentWithdrawal(consentID: Self.id, subject: "RSK-2022-000017", withdrawnAt: at("2027-01-10T09:00:00Z"),
                                      recordedBy: Fixture.collector)
        #expect(String(decoding: whole.canonicalPayload, as: UTF8.self) == """
            {"consent":"6f1c0000-0000-4000-8000-000000000042","recorded-by":{"case-manager":"cm-017","municipality":"Troisdorf"},"subject":"RSK-2022-000017","withdrawal-version":1,"withdrawn-at":"2027-01-10T09:00:00Z"}
            """)
        var partial = whole
        partial.clauses = ["jobcenter-vermittlung", "schulamt-planung"]
        let text = String(decoding: partial.canonicalPayload, as: UTF8.self)
        #expect(text.hasPrefix("{\"clauses\":[\"jobcenter-vermittlung\",\"schulamt-planung\"],") && text.contains("\"withdrawal-version\":2"))
        let read = try ConsentWithdrawal(payload: partial.canonicalPayload)
        #expect(read == partial && read.clauses == ["jobcenter-vermittlung", "schulamt-planung"])
        #expect(try ConsentWithdrawal(payload: whole.canonicalPayload).clauses == nil)
    }

    @Test("a withdrawal payload that breaks the clause rules is refused, naming the field", arguments: [
        (1, #","clauses":["a"]"#, "clauses"),          // version 1 knows no clauses
        (2, "", "clauses"),                              // version 2 must name them
        (2, #","clauses":[]"#, "clauses"),
        (2, #","clauses":["b","a"]"#, "clauses[1]"),
        (2, #","clauses":["a","a"]"#, "clauses[1]"),
        (2, #","clauses":[" a"]"#, "clauses[0]"),
        (3, #","clauses":["a"]"#, "withdrawal-version"),
    ])
    func payloadRules(version: Int, clauses: String, field: String) throws {
        let json = #"{"consent":"6f1c0000-0000-4000-8000-000000000042","recorded-by":{"case-manager":"cm-017","municipality":"Troisdorf"},"subject":"RSK-2022-000017","withdrawal-version":\#(version),"withdrawn-at":"2027-01-10T09:00:00Z"\#(clauses)}"#
        do {
            _ = try ConsentWithdrawal(payload: Array(json.utf8))
            Issue.record("accepted: \(json)")
        } catch {
            switch error {
            case let .unknownMember(_, f), let .missingMember(_, f), let .invalidValue(_, f, _, _), let .unsupportedVersion(_, f, _):
                #expect(f == field, "\(error)")
            default: Issue.record("\(error)")
            }
            #expect(error.category.exitCode == 3)
        }
    }

    // MARK: the store's rules

    @Test("several withdrawals of single clauses, each with its own time; the last remaining clause ends the consent")
    func severalPartialWithdrawals() throws {
        let id = try granted()
        guard case .recorded(let first) = try withdraw(id, ["jugendamt-gesundheit"], at: "2027-01-10T09:00:00Z") else {
            Issue.record("not recorded"); return
        }
        #expect(first.clauses == ["jugendamt-gesundheit"] && !first.isWhole)
        var status = try store.show(id: id, now: at("2027-06-01T00:00:00Z"), subjectBirthDate: Fixture.adultBirthDate)
        #expect(status.failures.isEmpty)
        #expect(status.fact.withdrawnAt == nil && status.fact.clauseWithdrawals == ["jugendamt-gesundheit": at("2027-01-10T09:00:00Z")])
        #expect(status.state(at: at("2027-02-01T00:00:00Z")) == .active, "the other lines hold")
        // Two more, unsorted and one named twice: signed sorted, each once.
        _ = try withdraw(id, ["schulamt-planung"], at: "2027-02-01T00:00:00Z")
        guard case .recorded(let last) = try withdraw(id, ["jobcenter-vermittlung", "jobcenter-vermittlung"], at: "2027-03-01T00:00:00Z") else {
            Issue.record("not recorded"); return
        }
        #expect(last.clauses == ["jobcenter-vermittlung"])
        status = try store.show(id: id, now: at("2027-06-01T00:00:00Z"), subjectBirthDate: Fixture.adultBirthDate)
        #expect(status.withdrawals.count == 3 && status.failures.isEmpty)
        #expect(status.fact.withdrawnAt == at("2027-03-01T00:00:00Z"), "withdrawn as a whole once no line is left")
        #expect(status.state(at: at("2027-02-15T00:00:00Z")) == .active)
        #expect(status.state(at: at("2027-03-01T00:00:00Z")) == .withdrawn)
        guard case .object(let m) = status.summary(at: at("2027-06-01T00:00:00Z"), language: .en),
              case .array(let lines)? = m["withdrawn-clauses"] else { Issue.record("no withdrawn-clauses"); return }
        #expect(lines.count == 3 && m["state"] == .string("withdrawn") && m["withdrawn-at"] == .string("2027-03-01T00:00:00Z"))
        #expect(lines.first == .object(["clause": .string("jugendamt-gesundheit"), "withdrawn-at": .string("2027-01-10T09:00:00Z")]))
        // The whole consent asked to be withdrawn again: idempotent, the withdrawal that ended it.
        #expect(try withdraw(id, nil, at: "2027-04-01T00:00:00Z") == .alreadyWithdrawn(last))
        #expect(try rowCount() == 3)
    }

    @Test("a withdrawal of the whole consent after one of single clauses withdraws the rest")
    func wholeAfterPartial() throws {
        let id = try granted()
        _ = try withdraw(id, ["schulamt-planung"], at: "2027-01-10T09:00:00Z")
        guard case .recorded(let whole) = try withdraw(id, nil, at: "2027-02-01T00:00:00Z") else { Issue.record("not recorded"); return }
        #expect(whole.isWhole)
        let status = try store.show(id: id, now: at("2027-06-01T00:00:00Z"), subjectBirthDate: Fixture.adultBirthDate)
        #expect(status.fact.withdrawnAt == at("2027-02-01T00:00:00Z"))
        #expect(status.fact.withdrawalTime(ofClause: "schulamt-planung") == at("2027-01-10T09:00:00Z"))
        #expect(status.fact.withdrawalTime(ofClause: "jobcenter-vermittlung") == at("2027-02-01T00:00:00Z"))
        #expect(try store.record(id: id)?.wholeWithdrawal == whole)
    }

    enum Refusal: String, CaseIterable { case notGranted, alreadyWithdrawn, afterWhole, empty, notInConsent }

    @Test("a withdrawal of clauses that breaks the rules is refused with a message naming the clause; nothing is stored",
          arguments: Refusal.allCases)
    func refusals(_ refusal: Refusal) throws {
        let signed = try Fixture.declaration(id: Self.id, clauses: ["jobcenter-vermittlung", "jugendamt-gesundheit"]).signed(with: signer.key)
        try store.grant(signed, subjectBirthDate: Fixture.adultBirthDate, now: Fixture.now)
        let id = signed.content.idText
        let expected: ConsentError
        let clauses: [String]
        switch refusal {
        case .notGranted, .notInConsent:
            // `schulamt-planung` is a clause of the template the person did not grant; `gibt-es-nicht` of none.
            clauses = [refusal == .notGranted ? "schulamt-planung" : "gibt-es-nicht"]
            expected = .clauseNotGranted(id: id, clause: clauses[0], granted: ["jobcenter-vermittlung", "jugendamt-gesundheit"])
        case .alreadyWithdrawn:
            _ = try withdraw(id, ["jugendamt-gesundheit"], at: "2027-01-10T09:00:00Z")
            clauses = ["jobcenter-vermittlung", "jugendamt-gesundheit"]
            expected = .clauseAlreadyWithdrawn(id: id, clause: "jugendamt-gesundheit", withdrawnAt: at("2027-01-10T09:00:00Z"))
        case .afterWhole:
            _ = try withdraw(id, nil, at: "2027-01-10T09:00:00Z")
            clauses = ["jobcenter-vermittlung"]
            expected = .consentAlreadyWithdrawn(id: id, clause: "jobcenter-vermittlung", withdrawnAt: at("2027-01-10T09:00:00Z"))
        case .empty:
            clauses = []
            expected = .noClausesNamed(id: id)
        }
        let before = try rowCount()
        #expect(throws: expected) { try withdraw(id, clauses, at: "2027-02-01T00:00:00Z") }
        #expect(try rowCount() == before, "nothing stored")
        #expect(expected.category.exitCode == 3)
        if let clause = clauses.last, refusal != .alreadyWithdrawn {
            #expect(expected.message(in: .de).contains("\"\(clause)\"") && expected.message(in: .en).contains("\"\(clause)\""))
        }
        #expect(expected.message(in: .de).contains("nichts gespeichert") || refusal == .empty)
        #expect(expected.message(in: .de) != expected.message(in: .en))
    }

    @Test("a signed withdrawal naming a clause the consent does not grant fails verification and is not imported")
    func importedWithdrawalOfAClauseNotGranted() throws {
        let signed = try Fixture.declaration(id: Self.id, clauses: ["jobcenter-vermittlung", "jugendamt-gesundheit"]).signed(with: signer.key)
        let verifier = makeVerifier([signer])
        let foreign = try ConsentWithdrawal(consentID: Self.id, subject: "RSK-2022-000017", withdrawnAt: at("2027-01-10T09:00:00Z"),
                                            recordedBy: Fixture.collector, clauses: ["schulamt-planung"]).signed(with: signer.key)
        let result = verifier.verifyWithdrawal(foreign.bytes, of: signed.content, now: at("2027-06-01T00:00:00Z"))
        #expect(result.failures == [.clauseNotGranted(id: signed.content.idText, clause: "schulamt-planung",
                                                      granted: ["jobcenter-vermittlung", "jugendamt-gesundheit"])])
        try store.grant(signed, subjectBirthDate: Fixture.adultBirthDate, now: Fixture.now)
        #expect(throws: ConsentError.self) { try store.importDocument(foreign.bytes, now: at("2027-06-01T00:00:00Z")) }
        #expect(try rowCount() == 0)
    }

    @Test("exported and imported elsewhere, every withdrawal of a consent comes along; importing again changes nothing")
    func exportImport() throws {
        let id = try granted()
        _ = try withdraw(id, ["jugendamt-gesundheit"], at: "2027-01-10T09:00:00Z")
        _ = try withdraw(id, ["schulamt-planung"], at: "2027-02-01T00:00:00Z")
        let export = try store.export(id: id)
        #expect(export.withdrawals.count == 2)
        #expect(export.withdrawalFileNames == ["withdrawal-\(id).jws.json", "withdrawal-\(id)-2.jws.json"])
        let other = try TestDatabase.store(makeVerifier([signer]), path: TestDatabase.path(in: folder, "other.sqlite"))
        _ = try other.importDocument(export.consent, subjectBirthDate: Fixture.adultBirthDate, now: at("2027-06-01T00:00:00Z"))
        for w in export.withdrawals {
            #expect(try other.importDocument(w, now: at("2027-06-01T00:00:00Z")) == .imported(.withdrawal, consentID: id))
            #expect(try other.importDocument(w, now: at("2027-06-01T00:00:00Z")) == .alreadyPresent(.withdrawal, consentID: id))
        }
        let moved = try other.show(id: id, now: at("2027-06-01T00:00:00Z"), subjectBirthDate: Fixture.adultBirthDate)
        #expect(moved.fact.clauseWithdrawals.count == 2 && moved.failures.isEmpty)
    }

    // MARK: migration

    @Test("a database from before keeps its withdrawals through the migration, and the append-only guards")
    func migrationKeepsWithdrawals() throws {
        let path = TestDatabase.path(in: folder, "old.sqlite")
        // The schema as it was: the first two migrations only.
        do {
            let pool = try DatabasePool(path: path)
            var old = DatabaseMigrator()
            ConsentSchema.registerMigrations(in: &old)
            try old.migrate(pool)
            let oldStore = ConsentStore(database: pool, verifier: makeVerifier([signer]))
            let signed = try Fixture.declaration(id: Self.id).signed(with: signer.key)
            try oldStore.grant(signed, subjectBirthDate: Fixture.adultBirthDate, now: Fixture.now)
            let w = try ConsentWithdrawal(consentID: Self.id, subject: "RSK-2022-000017", withdrawnAt: at("2027-01-10T09:00:00Z"),
                                          recordedBy: Fixture.collector).signed(with: signer.key)
            try pool.write { db in
                try db.execute(sql: "INSERT INTO consent_withdrawal (consent_id, withdrawn_at, kid, jws, jws_sha256, recorded_at) VALUES (?, ?, ?, ?, ?, ?)",
                               arguments: [Self.id.uuidString.lowercased(), "2027-01-10T09:00:00Z", w.kid, Data(w.bytes), w.digest, "2027-01-10T09:00:00Z"])
            }
            let sql = try pool.read { db in try String.fetchOne(db, sql: "SELECT sql FROM sqlite_schema WHERE name = 'consent_withdrawal'") }
            #expect(sql?.contains("\"consent_id\" TEXT PRIMARY KEY") == true, "the old one-withdrawal-per-consent table")
        }
        let migrated = try TestDatabase.store(makeVerifier([signer]), path: path)
        let id = Self.id.uuidString.lowercased()
        let record = try #require(try migrated.record(id: id))
        #expect(record.withdrawals.count == 1 && record.wholeWithdrawal?.withdrawnAt == at("2027-01-10T09:00:00Z"))
        #expect(try migrated.show(id: id, now: at("2027-06-01T00:00:00Z"), subjectBirthDate: Fixture.adultBirthDate)
            .state(at: at("2027-06-01T00:00:00Z")) == .withdrawn)
        let triggers = try migrated.database.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = 'consent_withdrawal' ORDER BY name")
        }
        #expect(triggers == ["consent_withdrawal_no_delete", "consent_withdrawal_no_update"])
        #expect(throws: (any Error).self) { try migrated.database.write { db in try db.execute(sql: "DELETE FROM consent_withdrawal") } }
        // Same schema as a new database.
        let fresh = try TestDatabase.open(TestDatabase.path(in: folder, "new.sqlite"))
        func schema(_ w: any DatabaseReader) throws -> [String] {
            try w.read { db in try String.fetchAll(db, sql: "SELECT type || ' ' || name || ' ' || coalesce(sql, '') FROM sqlite_schema WHERE name NOT LIKE 'grdb%' ORDER BY name") }
        }
        #expect(try schema(migrated.database) == schema(fresh))
    }
}
