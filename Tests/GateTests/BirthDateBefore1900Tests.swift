import Foundation
import PolicyEngine
import Testing
@testable import Gate

/// A birth date before 1900 is refused wherever one is stated: a decision, a grant, an import (found in a review of
/// dates: `check --birth-date 1015-03-14` was decided with age 1011, so a child typed `1015` for `2015` counted as an
/// adult). 1900-01-01 itself is taken, as the registration lists take it. Nothing is recorded for a refusal.
@Suite struct BirthDateBefore1900Tests {
    @Test(arguments: [("1899-12-31", false), ("1015-03-14", false), ("0001-01-01", false), ("1900-01-01", true)])
    func aStatedBirthDateBefore1900IsRefused(_ birth: String, _ accepted: Bool) throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        let before = try gate.auditLog.size()
        let person = Subject(id: "RSK-2026-000790", birthDate: Fixture.day(birth), municipality: "Troisdorf")
        let check = { try gate.check(CheckRequest(subject: person.id, statedAttributes: person, partner: "jugendamt",
                                                  purpose: "youth-welfare-planning", fields: ["childcare.kita-need"]), actor: Fixture.actor) }
        let grant = { try gate.grantConsent(Fixture.grant(person), actor: Fixture.actor) }
        if accepted {
            _ = try check()
            _ = try grant()
            #expect(try gate.auditLog.size() == before + 2)
            return
        }
        #expect(throws: GateError.birthDateBefore1900(field: "birth-date", birthDate: birth)) { _ = try check() }
        #expect(throws: GateError.birthDateBefore1900(field: "subject.birth-date", birthDate: birth)) { _ = try grant() }
        #expect(try gate.auditLog.size() == before, "nothing recorded")
        #expect(try gate.subject(id: person.id) == nil, "the person is not filed")
        #expect(GateError.birthDateBefore1900(field: "birth-date", birthDate: birth).message(in: .en)
                == "birth-date: birth date \(birth) lies before 1900; check the year")
        #expect(GateError.birthDateBefore1900(field: "birth-date", birthDate: birth).message(in: .de)
                == "birth-date: Geburtsdatum \(birth) liegt vor 1900; bitte das Jahr prüfen")
    }

    /// An imported document with a stated birth date before 1900 is refused before anything is read or stored.
    @Test func anImportWithABirthDateBefore1900IsRefused() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        let (stored, _) = try gate.grantConsent(Fixture.grant(), actor: Fixture.actor)
        let other = try GateTestInstallation()
        defer { other.remove() }
        let second = try other.open()
        let before = try second.auditLog.size()
        #expect(throws: GateError.birthDateBefore1900(field: "birth-date", birthDate: "1899-12-31")) {
            _ = try second.importConsentDocument(stored.jws, birthDate: Fixture.day("1899-12-31"), actor: Fixture.actor)
        }
        #expect(try second.auditLog.size() == before)
        #expect(try second.consents.list(subject: Fixture.subjectID).isEmpty)
    }
}
