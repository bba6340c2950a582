import AuditLog
import ConsentRecords
import Foundation
import PolicyEngine
import Testing
@testable import Gate

/// A consent that changes the person's recorded birth date says so in its `consent-granted` entry (`birth-date-changed`,
/// the ages at signing by the old and the new date), and importing a consent already stored changes no birth date.
/// Found in a review of the domain rules: a grant stating another year replaced the recorded birth date, which decides
/// whether a consent needs a guardian's signature, and nothing in the log showed it; an import of a stored consent with
/// `--birth-date` did the same without any entry at all.
@Suite struct BirthDateChangeLoggedTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let recorded: String?
        let stated: String?
        let change: BirthDateChange?
        var testDescription: String { "recorded \(recorded ?? "none"), stated \(stated ?? "none")" }
    }

    /// Signed 2026-01-10 (`Fixture.grantedAt`).
    static let cases: [Case] = [
        // A minor (with a guardian's signature) recorded as an adult: 14 then, 35 by the new date.
        Case(recorded: "2011-03-10", stated: "1990-03-10", change: BirthDateChange(ageBefore: 14, ageAfter: 35)),
        // Another day, the same age: the date changed all the same.
        Case(recorded: "1990-03-10", stated: "1990-05-10", change: BirthDateChange(ageBefore: 35, ageAfter: 35)),
        Case(recorded: "1948-07-18", stated: "1948-07-18", change: nil),
        Case(recorded: nil, stated: "1948-07-18", change: nil),
        Case(recorded: "1948-07-18", stated: nil, change: nil),
    ]

    @Test(arguments: cases) func aGrantNotesTheBirthDateItReplaces(_ c: Case) throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        let id = Fixture.subjectID
        let guardian = [Guardian(name: "Olena Kovalenko")]
        if let recorded = c.recorded {
            _ = try gate.grantConsent(Fixture.grant(Subject(id: id, birthDate: Fixture.day(recorded), municipality: "Troisdorf"),
                                                    clauses: ["sprachkurs"], guardians: guardian), actor: Fixture.actor)
        }
        let (_, index) = try gate.grantConsent(Fixture.grant(Subject(id: id, birthDate: c.stated.map(Fixture.day), municipality: "Troisdorf"),
                                                             guardians: guardian), actor: Fixture.actor)
        #expect(try gate.birthDateChange(loggedAt: index) == c.change)
        // The entry as stored (canonical bytes) carries it, and the log still verifies.
        let entry = try gate.auditLog.entry(index: index)
        #expect(String(decoding: entry.bytes, as: UTF8.self).contains("\"birth-date-changed\"") == (c.change != nil))
        try gate.verifyAuditLog()
        let now = try #require(try gate.subject(id: id)?.birthDate)
        #expect(UTCDay.format(UTCDay.day(of: now)) == (c.stated ?? c.recorded))
    }

    @Test func anImportNotesANewConsentsChangeAndRefusesOneForAStoredConsent() throws {
        let id = "RSK-2022-000031"
        let source = try GateTestInstallation()
        defer { source.remove() }
        let document = try source.open().grantConsent(Fixture.grant(Fixture.adult(id)), actor: Fixture.actor,
                                                      now: Fixture.grantedAt).0.jws
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        _ = try gate.grantConsent(Fixture.grant(Subject(id: id, birthDate: Fixture.day("1948-07-18"), municipality: "Troisdorf"),
                                                clauses: ["sprachkurs"]), actor: Fixture.actor)
        let consentID = try SignedConsent(bytes: document).content.idText
        #expect(try gate.importConsentDocument(document, birthDate: Fixture.day("1950-01-01"), actor: Fixture.actor)
                == .imported(.consent, consentID: consentID))
        let logged = try gate.auditLog.size()
        #expect(try gate.birthDateChange(loggedAt: logged - 1) == BirthDateChange(ageBefore: 77, ageAfter: 76))

        // The same document again with yet another date: refused, nothing changed or logged.
        let refusal = GateError.birthDateChangeWithoutNewConsent(recorded: "1950-01-01", stated: "1960-01-01")
        #expect(throws: refusal) {
            try gate.importConsentDocument(document, birthDate: Fixture.day("1960-01-01"), actor: Fixture.actor)
        }
        #expect(refusal.category == .invalidInput)
        #expect(refusal.message(in: .de).contains("ohne --birth-date importieren"))
        #expect(refusal.message(in: .en).contains("import without --birth-date"))
        #expect(try gate.subject(id: id)?.birthDate == Fixture.day("1950-01-01"))
        #expect(try gate.auditLog.size() == logged)
        // With the recorded date, or none, it is reported as present, as before.
        for date in [Fixture.day("1950-01-01"), nil] {
            #expect(try gate.importConsentDocument(document, birthDate: date, actor: Fixture.actor)
                    == .alreadyPresent(.consent, consentID: consentID))
        }
    }
}
