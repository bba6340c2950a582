import Foundation
import GRDB
import PolicyEngine
import Signing
import TestFolders
import Testing
@testable import ConsentRecords

@Suite("The consent store on a real SQLite file")
struct StoreTests {
    let signer: TestSigner
    /// The test's folder with the database file (removed after the test).
    let folder: TemporaryDirectory
    let store: ConsentStore

    init() throws {
        signer = try TestSigner()
        folder = try TestDatabase.folder()
        store = try TestDatabase.store(makeVerifier([signer]), path: TestDatabase.path(in: folder))
    }

    @Test func grantStoresTheSignedBytesVerbatim() throws {
        let signed = try Fixture.declaration().signed(with: signer.key)
        let stored = try store.grant(signed, now: Fixture.now)
        #expect(stored.jws == signed.bytes)
        #expect(stored.jwsSHA256 == SHA256.tagged(signed.bytes))
        #expect(stored.kid == signer.kid && stored.subject == "RSK-2022-000017" && stored.templateVersion == 2)
        let raw = try store.database.read { db in
            try Row.fetchOne(db, sql: "SELECT jws, granted_at, expires_at FROM consent WHERE id = ?", arguments: [signed.content.idText])!
        }
        #expect([UInt8](raw["jws"] as Data) == signed.bytes)
        #expect(raw["granted_at"] as String == "2026-11-25T10:00:00Z")
        #expect(raw["expires_at"] as String == "2028-11-25T10:00:00Z")
        let shown = try store.show(id: signed.content.idText.uppercased(), now: Fixture.now, subjectBirthDate: Fixture.adultBirthDate)
        #expect(shown.failures.isEmpty && shown.consent?.content == signed.content)
        #expect(shown.state(at: Fixture.now) == .active)
        // Without the birth date and without a guardian the age cannot be checked: the same answer the
        // evaluator gives (it never counts such a consent), not `active`.
        let unknownAge = try store.show(id: signed.content.idText, now: Fixture.now)
        #expect(unknownAge.failures.isEmpty && unknownAge.needsBirthDate)
        #expect(unknownAge.state(at: Fixture.now) == .needsBirthDate)
        #expect(unknownAge.state(at: Fixture.expiresAt) == .expired, "expiry still shows as such")
        guard case .object(let m) = unknownAge.summary(at: Fixture.now, language: .en) else { Issue.record("not an object"); return }
        #expect(m["state"] == .string("needs-birth-date"))
    }

    @Test func aDuplicateIdIsAnError() throws {
        let signed = try Fixture.declaration().signed(with: signer.key)
        try store.grant(signed, now: Fixture.now)
        #expect(throws: ConsentError.duplicateConsent(id: signed.content.idText)) { try store.grant(signed, now: Fixture.now) }
        let sameID = try Fixture.declaration(id: signed.content.id, clauses: ["schulamt-planung"]).signed(with: signer.key)
        #expect(throws: ConsentError.duplicateConsent(id: signed.content.idText)) { try store.grant(sameID, now: Fixture.now) }
    }

    @Test func anInvalidConsentIsNeverStored() throws {
        let stranger = try TestSigner()
        let signed = try Fixture.declaration().signed(with: stranger.key)
        #expect(throws: ConsentError.untrustedKey(kid: stranger.kid, reason: ConsentError.notInTrustStore)) { try store.grant(signed, now: Fixture.now) }
        let minor = try Fixture.declaration().signed(with: signer.key)
        #expect(throws: ConsentError.guardianMissing(subject: "RSK-2022-000017", age: 10, minimumAge: 16)) {
            try store.grant(minor, subjectBirthDate: Fixture.date("2016-01-01T00:00:00Z"), now: Fixture.now)
        }
        #expect(try store.list(subject: "RSK-2022-000017").isEmpty)
    }

    @Test func withdrawIsIdempotent() throws {
        let signed = try Fixture.declaration().signed(with: signer.key)
        try store.grant(signed, now: Fixture.now)
        let at = Fixture.date("2027-01-10T09:00:00Z"), later = Fixture.date("2027-02-01T00:00:00Z")
        let first = try store.withdraw(consentID: signed.content.idText, at: at, recordedBy: Fixture.collector, key: signer.key, now: later)
        guard case .recorded(let w) = first else { Issue.record("expected recorded, got \(first)"); return }
        #expect(w.withdrawnAt == at && w.consentID == signed.content.idText)
        let second = try store.withdraw(consentID: signed.content.idText, at: later, recordedBy: Fixture.collector, key: signer.key, now: later)
        #expect(second == .alreadyWithdrawn(w))
        let rows = try store.database.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM consent_withdrawal")! }
        #expect(rows == 1)
        let withdrawal = try SignedWithdrawal(bytes: w.jws)
        #expect(withdrawal.content == ConsentWithdrawal(consentID: signed.content.id, subject: "RSK-2022-000017", withdrawnAt: at,
                                                        recordedBy: Fixture.collector))
        // An already signed withdrawal of the same consent also reports the first one.
        let other = try ConsentWithdrawal(consentID: signed.content.id, subject: "RSK-2022-000017", withdrawnAt: later,
                                          recordedBy: Fixture.collector).signed(with: signer.key)
        #expect(try store.withdraw(other, now: later) == .alreadyWithdrawn(w))
    }

    @Test func withdrawalErrors() throws {
        let signed = try Fixture.declaration().signed(with: signer.key)
        try store.grant(signed, now: Fixture.now)
        let id = signed.content.idText
        let before = Fixture.grantedAt.addingTimeInterval(-1)
        #expect(throws: ConsentError.withdrawalBeforeGrant(id: id, withdrawnAt: before, grantedAt: Fixture.grantedAt)) {
            try store.withdraw(consentID: id, at: before, recordedBy: Fixture.collector, key: signer.key, now: Fixture.now)
        }
        let unknown = UUID().uuidString.lowercased()
        #expect(throws: ConsentError.unknownConsent(id: unknown)) {
            try store.withdraw(consentID: unknown, at: Fixture.now, recordedBy: Fixture.collector, key: signer.key, now: Fixture.now)
        }
        #expect { try store.withdraw(consentID: "42", at: Fixture.now, recordedBy: Fixture.collector, key: signer.key, now: Fixture.now) }
            throws: { e in if case ConsentError.invalidValue(_, "id", "42", _) = e { return true }; return false }
        let future = Fixture.now.addingTimeInterval(3600)
        #expect(throws: ConsentError.withdrawnInFuture(withdrawnAt: future, now: Fixture.now)) {
            try store.withdraw(consentID: id, at: future, recordedBy: Fixture.collector, key: signer.key, now: Fixture.now)
        }
        let stranger = try TestSigner()
        #expect(throws: ConsentError.untrustedKey(kid: stranger.kid, reason: ConsentError.notInTrustStore)) {
            try store.withdraw(consentID: id, at: Fixture.now, recordedBy: Fixture.collector, key: stranger.key, now: Fixture.now)
        }
        // Exactly at granted-at is allowed; nothing was stored by the failed attempts before.
        let ok = try store.withdraw(consentID: id, at: Fixture.grantedAt, recordedBy: Fixture.collector, key: signer.key, now: Fixture.now)
        #expect(ok.withdrawal.withdrawnAt == Fixture.grantedAt)
        if case .recorded = ok {} else { Issue.record("expected the first withdrawal to be recorded") }
    }

    @Test func listReportsStatesAtATime() throws {
        let subject = "RSK-2023-000100"
        let a = try Fixture.declaration(subject: subject, grantedAt: Fixture.date("2026-01-10T08:00:00Z"),
                                        expiresAt: Fixture.date("2026-06-10T08:00:00Z")).signed(with: signer.key)
        let b = try Fixture.declaration(subject: subject, clauses: ["schulamt-planung"]).signed(with: signer.key)
        let c = try Fixture.declaration(subject: subject, clauses: ["jugendamt-gesundheit"],
                                        grantedAt: Fixture.date("2026-11-20T08:00:00Z"),
                                        expiresAt: Fixture.date("2028-11-20T08:00:00Z")).signed(with: signer.key)
        let elsewhere = try Fixture.declaration(subject: "RSK-2023-000101").signed(with: signer.key)
        for s in [a, b, c, elsewhere] { try store.grant(s, now: Fixture.now) }
        _ = try store.withdraw(consentID: c.content.idText, at: Fixture.date("2026-11-24T08:00:00Z"), recordedBy: Fixture.collector,
                               key: signer.key, now: Fixture.now)
        let list = try store.list(subject: subject, now: Fixture.now, subjectBirthDate: Fixture.adultBirthDate)
        #expect(list.map(\.id) == [a, c, b].map(\.content.idText))
        #expect(list.map { $0.state(at: Fixture.now) } == [.expired, .withdrawn, .active])
        #expect(list.map { $0.state(at: Fixture.date("2026-11-22T00:00:00Z")) } == [.expired, .active, .notYetValid])
        let facts = try store.facts(subject: subject, now: Fixture.now)
        #expect(facts.allSatisfy { $0.verification == .verified })
        #expect(facts[1].withdrawnAt == Fixture.date("2026-11-24T08:00:00Z") && facts[1].clauses == ["jugendamt-gesundheit"])
        #expect(facts[2] == ConsentFact(id: b.content.idText, templateID: "kim-test", templateVersion: 2, clauses: ["schulamt-planung"],
                                        grantedAt: Fixture.grantedAt, expiresAt: Fixture.expiresAt))
    }

    @Test func exportAndImportRoundTrip() throws {
        let signed = try Fixture.declaration(evidence: "sha256:" + String(repeating: "0f", count: 32)).signed(with: signer.key)
        try store.grant(signed, now: Fixture.now)
        _ = try store.withdraw(consentID: signed.content.idText, at: Fixture.now, recordedBy: Fixture.collector, key: signer.key, now: Fixture.now)
        let export = try store.export(id: signed.content.idText)
        let dir = folder.url.appendingPathComponent("export").path
        let files = try export.write(toDirectory: dir)
        #expect(files.map { ($0 as NSString).lastPathComponent }
                == ["consent-\(signed.content.idText).jws.json", "withdrawal-\(signed.content.idText).jws.json"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).count == 2)  // no temporary files left

        let other = try TestDatabase.store(makeVerifier([signer]), path: TestDatabase.path(in: folder, "other.sqlite"))
        for f in files { _ = try other.importDocument(try ConsentExport.readDocument(atPath: f), now: Fixture.now) }
        let moved = try #require(try other.record(id: signed.content.idText))
        #expect(moved.jws == signed.bytes)
        #expect(moved.withdrawals.map(\.jws) == export.withdrawals)
        #expect(try other.list(subject: "RSK-2022-000017", now: Fixture.now).map { $0.state(at: Fixture.now) } == [.withdrawn])
        // Importing again changes nothing.
        #expect(try other.importDocument(export.consent, now: Fixture.now) == .alreadyPresent(.consent, consentID: signed.content.idText))
        #expect(try other.importDocument(export.withdrawals[0], now: Fixture.now) == .alreadyPresent(.withdrawal, consentID: signed.content.idText))
        let count = try other.database.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM consent")! }
        #expect(count == 1)
    }

    /// ECDSA signs with a random nonce: the same consent and withdrawal signed again carry other signature bytes,
    /// and are still the documents already stored. A forged signature over the same statement is still refused.
    @Test func theSameStatementWithOtherECDSASignatureBytesIsAlreadyPresent() throws {
        let p256 = try TestSigner(.p256)
        let store = try TestDatabase.store(makeVerifier([p256]), path: TestDatabase.path(in: folder, "p256.sqlite"))
        let declaration = Fixture.declaration()
        let first = try declaration.signed(with: p256.key)
        let again = try declaration.signed(with: p256.key)
        #expect(first.jws.signature != again.jws.signature, "ECDSA signatures differ")
        #expect(try store.importDocument(first.bytes, now: Fixture.now) == .imported(.consent, consentID: first.content.idText))
        #expect(try store.importDocument(again.bytes, now: Fixture.now) == .alreadyPresent(.consent, consentID: first.content.idText))
        let withdrawal = ConsentWithdrawal(consentID: first.content.id, subject: first.content.subject, withdrawnAt: Fixture.now,
                                           recordedBy: Fixture.collector)
        let w1 = try withdrawal.signed(with: p256.key), w2 = try withdrawal.signed(with: p256.key)
        #expect(try store.importDocument(w1.bytes, now: Fixture.now) == .imported(.withdrawal, consentID: first.content.idText))
        #expect(try store.importDocument(w2.bytes, now: Fixture.now) == .alreadyPresent(.withdrawal, consentID: first.content.idText))
        // The same statement with a signature that does not verify is not "already present".
        var forged = try JSONSerialization.jsonObject(with: Data(w2.bytes)) as! [String: Any]
        forged["signature"] = String(repeating: "A", count: 86)
        let forgedBytes = Array(try JSONSerialization.data(withJSONObject: forged))
        do {
            _ = try store.importDocument(forgedBytes, now: Fixture.now)
            Issue.record("a forged signature was taken as the stored withdrawal")
        } catch {
            #expect(error.message(in: .en).contains("signature"), "\(error.message(in: .en))")
        }
        // The stored record still holds the first documents.
        #expect(try store.record(id: first.content.idText)?.jws == first.bytes)
    }

    @Test func importRefusesConflictsUnknownConsentsAndUntrustedKeys() throws {
        let signed = try Fixture.declaration().signed(with: signer.key)
        #expect(try store.importDocument(signed.bytes, now: Fixture.now) == .imported(.consent, consentID: signed.content.idText))
        let sameID = try Fixture.declaration(id: signed.content.id, clauses: ["schulamt-planung"]).signed(with: signer.key)
        #expect(throws: ConsentError.conflictingRecord(id: signed.content.idText, document: .consent)) {
            try store.importDocument(sameID.bytes, now: Fixture.now)
        }
        let orphan = try ConsentWithdrawal(consentID: UUID(), subject: "RSK-1", withdrawnAt: Fixture.now, recordedBy: Fixture.collector)
            .signed(with: signer.key)
        #expect(throws: ConsentError.unknownConsent(id: orphan.content.consentIDText)) { try store.importDocument(orphan.bytes, now: Fixture.now) }

        let w1 = try ConsentWithdrawal(consentID: signed.content.id, subject: signed.content.subject, withdrawnAt: Fixture.now,
                                       recordedBy: Fixture.collector).signed(with: signer.key)
        let w2 = try ConsentWithdrawal(consentID: signed.content.id, subject: signed.content.subject,
                                       withdrawnAt: Fixture.now.addingTimeInterval(-60), recordedBy: Fixture.collector).signed(with: signer.key)
        #expect(try store.importDocument(w1.bytes, now: Fixture.now) == .imported(.withdrawal, consentID: signed.content.idText))
        #expect(throws: ConsentError.conflictingRecord(id: signed.content.idText, document: .withdrawal)) {
            try store.importDocument(w2.bytes, now: Fixture.now)
        }

        let stranger = try TestSigner()
        let foreign = try Fixture.declaration().signed(with: stranger.key)
        #expect(throws: ConsentError.untrustedKey(kid: stranger.kid, reason: ConsentError.notInTrustStore)) {
            try store.importDocument(foreign.bytes, now: Fixture.now)
        }
        #expect(throws: ConsentError.self) { try store.importDocument(Array("{}".utf8), now: Fixture.now) }
    }

    @Test func theMigrationIsNamedAndCreatesBothTables() throws {
        let tables = try store.database.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'consent%' ORDER BY name")
        }
        #expect(tables == ["consent", "consent_withdrawal"])
        let applied = try store.database.read { db in try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations") }
        #expect(applied == ["consents-v1", "consents-v2-append-only", "consents-v3-clause-withdrawals"])
        let journal = try store.database.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode")! }
        #expect(journal == "wal")
    }

    @Test(arguments: ["UPDATE consent SET subject = 'RSK-2099-000001'", "DELETE FROM consent",
                      "UPDATE consent_withdrawal SET withdrawn_at = '2020-01-01T00:00:00Z'", "DELETE FROM consent_withdrawal"])
    func storedConsentsAndWithdrawalsAreAppendOnly(sql: String) throws {
        let signed = try Fixture.declaration().signed(with: signer.key)
        try store.grant(signed, now: Fixture.now)
        _ = try store.withdraw(consentID: signed.content.idText, at: Fixture.now, recordedBy: Fixture.collector, key: signer.key, now: Fixture.now)
        #expect(throws: (any Error).self) { try store.database.write { db in try db.execute(sql: sql) } }
        let record = try #require(try store.record(id: signed.content.idText))
        #expect(record.subject == signed.content.subject && record.wholeWithdrawal != nil, "nothing changed")
    }

    @Test func summaryForShowAndList() throws {
        let template = try #require(store.verifier.template(id: "kim-test"))
        #expect(template.version == 2)
        #expect(store.verifier.template(id: "kim-test", version: 1)?.clauses.count == 1)
        #expect(store.verifier.template(id: "nope") == nil)
        let expires = ConsentDeclaration.expiry(grantedAt: Fixture.grantedAt, template: template)
        #expect(expires == Fixture.expiresAt)
        // Six months from 11:00 in Berlin (10:00 UTC in November) end at 11:00 in Berlin in May, 09:00 UTC in summer time.
        #expect(ConsentDeclaration.expiry(grantedAt: Fixture.grantedAt, template: template, validity: ISODuration("P6M"))
                == Fixture.date("2027-05-25T09:00:00Z"))

        let signed = try Fixture.declaration(id: UUID(uuidString: "00000000-0000-4000-8000-000000000001")!, expiresAt: expires)
            .signed(with: signer.key)
        try store.grant(signed, now: Fixture.now)
        _ = try store.withdraw(consentID: signed.content.idText, at: Fixture.now, recordedBy: Fixture.collector, key: signer.key, now: Fixture.now)
        let summary = try store.show(id: signed.content.idText, now: Fixture.now, subjectBirthDate: Fixture.adultBirthDate).summary(at: Fixture.now, language: .en)
        guard case .object(let m) = summary else { Issue.record("not an object"); return }
        #expect(m["state"] == .string("withdrawn"))
        #expect(m["withdrawn-at"] == .string("2026-11-25T12:00:00Z"))
        #expect(m["clauses"] == .array([.string("jobcenter-vermittlung")]))
        #expect(m["jws-sha256"] == .string(SHA256.tagged(signed.bytes)))
        #expect(m["failures"] == .array([]))
        #expect(summary.canonicalText.hasPrefix(#"{"clauses":["jobcenter-vermittlung"],"collected-by":{"case-manager":"cm-017","#))
        let before = try store.show(id: signed.content.idText, now: Fixture.now, subjectBirthDate: Fixture.adultBirthDate).summary(at: Fixture.grantedAt, language: .de)
        guard case .object(let b) = before else { return }
        #expect(b["state"] == .string("active"))
    }
}
