import Foundation
import GRDB
import PolicyEngine
import Signing
import TestFolders
import Testing
@testable import ConsentRecords

/// Rows altered directly in the SQLite file (as someone with file access could) must never permit:
/// the fact becomes `.invalid`, which the evaluator turns into `consent-invalid`.
@Suite("Altered rows in the store give invalid facts")
struct TamperTests {
    enum Alteration: String, CaseIterable, Sendable {
        case payloadClauses, payloadExpiry, signatureBit, headerKid, headerTyp, notJSON, truncated, subjectColumn, idInPayload
    }

    let signer: TestSigner
    /// The test's folder with the database file (removed after the test).
    let folder: TemporaryDirectory
    let store: ConsentStore

    init() throws {
        signer = try TestSigner()
        folder = try TestDatabase.folder()
        store = try TestDatabase.store(makeVerifier([signer]), path: TestDatabase.path(in: folder))
    }

    /// The stored JWS's three members.
    func members(_ bytes: [UInt8]) throws -> [String: String] {
        try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: String])
    }

    func jwsJSON(_ m: [String: String]) -> [UInt8] {
        Array(#"{"payload":"\#(m["payload"]!)","protected":"\#(m["protected"]!)","signature":"\#(m["signature"]!)"}"#.utf8)
    }

    /// Re-encodes a base64url JSON member after editing it as text.
    func edit(_ b64: String, _ change: (String) -> String) -> String {
        Base64URL.encode(Array(change(String(decoding: Base64URL.decode(b64)!, as: UTF8.self)).utf8))
    }

    func alter(_ id: String, _ alteration: Alteration) throws {
        let original: [UInt8] = try store.database.read { db in
            [UInt8](try Data.fetchOne(db, sql: "SELECT jws FROM consent WHERE id = ?", arguments: [id])!)
        }
        var m = try members(original)
        var newBytes: [UInt8]? = nil
        var sql: (String, StatementArguments)? = nil
        switch alteration {
        case .payloadClauses:
            m["payload"] = edit(m["payload"]!) { $0.replacingOccurrences(of: "\"schulamt-planung\"", with: "\"jugendamt-gesundheit\"") }
        case .payloadExpiry:
            m["payload"] = edit(m["payload"]!) { $0.replacingOccurrences(of: "2027-11-25", with: "2028-11-25") }
        case .signatureBit:
            var sig = Base64URL.decode(m["signature"]!)!
            sig[10] ^= 0x20
            m["signature"] = Base64URL.encode(sig)
        case .headerKid:
            let other = try TestSigner()
            m["protected"] = edit(m["protected"]!) { $0.replacingOccurrences(of: signer.kid, with: other.kid) }
        case .headerTyp:
            m["protected"] = edit(m["protected"]!) { $0.replacingOccurrences(of: "consentgate-consent+json", with: "consentgate-consent+jsonx") }
        case .notJSON:
            newBytes = Array("this is not a JWS".utf8)
        case .truncated:
            newBytes = Array(original.prefix(original.count / 2))
        case .subjectColumn:
            sql = ("UPDATE consent SET subject = ? WHERE id = ?", ["RSK-2099-000001", id])
        case .idInPayload:
            m["payload"] = edit(m["payload"]!) { $0.replacingOccurrences(of: id, with: UUID().uuidString.lowercased()) }
        }
        let update = sql ?? ("UPDATE consent SET jws = ? WHERE id = ?", [Data(newBytes ?? jwsJSON(m)), id])
        try store.database.write { db in
            try db.execute(sql: ConsentSchema.dropAppendOnlyTriggersSQL)  // what an editor of the file does first
            try db.execute(sql: update.0, arguments: update.1)
        }
    }

    @Test("an altered stored consent yields an invalid fact, never a permit", arguments: Alteration.allCases)
    func alteredRowIsInvalid(alteration: Alteration) throws {
        let subject = "RSK-2022-000017"
        let signed = try Fixture.declaration(clauses: ["schulamt-planung"], expiresAt: Fixture.date("2027-11-25T10:00:00Z"))
            .signed(with: signer.key)
        try store.grant(signed, now: Fixture.now)
        let before = try store.facts(subject: subject, now: Fixture.now)
        #expect(before.count == 1 && before[0].verification == .verified)

        try alter(signed.content.idText, alteration)
        let readAs = alteration == .subjectColumn ? "RSK-2099-000001" : subject
        let facts = try store.facts(subject: readAs, now: Fixture.now)
        try #require(facts.count == 1)
        guard case .invalid(let reason) = facts[0].verification else {
            Issue.record("\(alteration): the altered record still verifies"); return
        }
        #expect(!reason.isEmpty)
        #expect(facts[0].id == signed.content.idText)
        // The fact still names the clauses it claims (or all of its template's), so the evaluator reports
        // `consent-invalid` for them rather than `consent-missing`.
        #expect(!facts[0].clauses.isEmpty)
        #expect(try store.list(subject: readAs, now: Fixture.now)[0].state(at: Fixture.now) == .invalid)
        // The original subject no longer has a verified consent either.
        #expect(try store.facts(subject: subject, now: Fixture.now).allSatisfy { $0.verification != .verified })
    }

    @Test func alteredSignatureAndPayloadGiveTheirReasons() throws {
        let signed = try Fixture.declaration(clauses: ["schulamt-planung"], expiresAt: Fixture.date("2027-11-25T10:00:00Z"))
            .signed(with: signer.key)
        try store.grant(signed, now: Fixture.now)
        try alter(signed.content.idText, .payloadClauses)
        let status = try store.show(id: signed.content.idText, now: Fixture.now)
        #expect(status.failures.count == 1)
        guard case .signatureInvalid(let kid, _) = status.failures.first else { Issue.record("got \(status.failures)"); return }
        #expect(kid == signer.kid)
        // What the altered payload claims is visible, but it is not trusted.
        #expect(status.consent?.content.clauses == ["jugendamt-gesundheit"])
        #expect(status.fact.clauses == ["jugendamt-gesundheit"])
    }

    @Test func anUnreadableRowStillBlamesItsTemplatesClauses() throws {
        let signed = try Fixture.declaration().signed(with: signer.key)
        try store.grant(signed, now: Fixture.now)
        try alter(signed.content.idText, .notJSON)
        let fact = try store.facts(subject: "RSK-2022-000017", now: Fixture.now)[0]
        #expect(fact.clauses == Fixture.template.clauses.map(\.id))
        #expect(fact.templateID == "kim-test" && fact.templateVersion == 2)
        guard case .invalid(let reason) = fact.verification else { Issue.record("verified"); return }
        #expect(reason.contains("not a valid flattened JWS"))
    }

    @Test func anAlteredWithdrawalMakesTheConsentInvalidInsteadOfActive() throws {
        let signed = try Fixture.declaration().signed(with: signer.key)
        try store.grant(signed, now: Fixture.now)
        _ = try store.withdraw(consentID: signed.content.idText, at: Fixture.now, recordedBy: Fixture.collector, key: signer.key, now: Fixture.now)
        #expect(try store.facts(subject: "RSK-2022-000017", now: Fixture.now)[0].withdrawnAt == Fixture.now)
        try store.database.write { db in
            try db.execute(sql: ConsentSchema.dropAppendOnlyTriggersSQL)
            let jws = [UInt8](try Data.fetchOne(db, sql: "SELECT jws FROM consent_withdrawal")!)
            var m = try members(jws)
            m["payload"] = edit(m["payload"]!) { $0.replacingOccurrences(of: "2026-11-25T12:00:00Z", with: "2026-11-25T11:00:00Z") }
            try db.execute(sql: "UPDATE consent_withdrawal SET jws = ?", arguments: [Data(jwsJSON(m))])
        }
        let fact = try store.facts(subject: "RSK-2022-000017", now: Fixture.now)[0]
        #expect(fact.withdrawnAt == nil)
        guard case .invalid(let reason) = fact.verification else { Issue.record("an altered withdrawal was ignored"); return }
        #expect(reason.contains("signature"))
    }

    /// A withdrawal row carrying another consent's signed withdrawal (its document and digest copied over) is named as a
    /// corrupt row, beside the document not fitting the consent, and the consent counts as invalid, not withdrawn or
    /// active (found by mutation testing, session 35: the row check could be dropped with every test passing).
    @Test func aWithdrawalRowCarryingAnotherConsentsDocumentIsCorrupt() throws {
        let a = try Fixture.declaration().signed(with: signer.key)
        let b = try Fixture.declaration(clauses: ["schulamt-planung"]).signed(with: signer.key)
        try store.grant(a, now: Fixture.now)
        try store.grant(b, now: Fixture.now)
        for s in [a, b] {
            _ = try store.withdraw(consentID: s.content.idText, at: Fixture.now, recordedBy: Fixture.collector, key: signer.key, now: Fixture.now)
        }
        try store.database.write { db in
            try db.execute(sql: ConsentSchema.dropAppendOnlyTriggersSQL)
            try db.execute(sql: """
                UPDATE consent_withdrawal SET jws = (SELECT jws FROM consent_withdrawal WHERE consent_id = ?1),
                                              jws_sha256 = (SELECT jws_sha256 FROM consent_withdrawal WHERE consent_id = ?1)
                WHERE consent_id = ?2
                """, arguments: [b.content.idText, a.content.idText])
        }
        let status = try store.show(id: a.content.idText, now: Fixture.now)
        #expect(status.failures.contains { e in
            guard case let .corruptRow(id, reason) = e else { return false }
            return id == a.content.idText && reason.en.contains("differs from its signed payload (\(b.content.idText))")
        }, "\(status.failures)")
        #expect(status.fact.verification != .verified)
    }

    @Test func aColumnOfTheWrongTypeIsAnErrorNotACrash() throws {
        let signed = try Fixture.declaration().signed(with: signer.key)
        let other = try Fixture.declaration(clauses: ["schulamt-planung"]).signed(with: signer.key)
        try store.grant(signed, now: Fixture.now)
        try store.grant(other, now: Fixture.now)
        try store.database.write { db in
            try db.execute(sql: ConsentSchema.dropAppendOnlyTriggersSQL)
            try db.execute(sql: "UPDATE consent SET granted_at = 'yesterday' WHERE id = ?", arguments: [signed.content.idText])
        }
        // The unreadable row is an invalid fact (naming the column); the other consent still counts.
        let facts = try store.facts(subject: "RSK-2022-000017", now: Fixture.now)
        #expect(facts.count == 2)
        let bad = try #require(facts.first { $0.id == signed.content.idText })
        guard case .invalid(let reason) = bad.verification else { Issue.record("verified"); return }
        #expect(reason.contains("granted_at"))
        #expect(bad.clauses == ["jobcenter-vermittlung"])
        #expect(facts.first { $0.id == other.content.idText }?.verification == .verified)
        // `show` of that record reports the corrupt row as an integrity error.
        #expect { try store.show(id: signed.content.idText, now: Fixture.now) } throws: { e in
            guard case ConsentError.corruptRow(let id, let r) = e else { return false }
            return id == signed.content.idText && r.en.contains("granted_at") && r.de.contains("Spalte granted_at") && (e as! ConsentError).category == .integrity
        }
    }

    @Test func repeatedFactChecksCostOneHashAndAlterationsAreNeverCached() throws {
        let verifier = makeVerifier([signer])
        let store = ConsentStore(database: self.store.database, verifier: verifier)
        let signed = try Fixture.declaration(clauses: ["schulamt-planung"], expiresAt: Fixture.date("2027-11-25T10:00:00Z"))
            .signed(with: signer.key)
        try store.grant(signed, now: Fixture.now)  // verifies once: a miss
        for _ in 0..<10 { #expect(try store.facts(subject: "RSK-2022-000017", now: Fixture.now)[0].verification == .verified) }
        #expect(verifier.cacheStatistics.hits == 10 && verifier.cacheStatistics.misses == 1)
        try alter(signed.content.idText, .payloadClauses)
        #expect(try store.facts(subject: "RSK-2022-000017", now: Fixture.now)[0].verification != .verified)
        #expect(verifier.cacheStatistics.misses == 2)
    }
}
