import AuditLog
import Foundation
import PolicyEngine
import Testing
@testable import Gate

/// Subjects: stored attributes merge on update; attributes stated with a check win for that check only.
@Suite struct GateSubjectTests {
    @Test func upsertMergesStatedAttributesIntoTheStoredOnes() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        #expect(try gate.subject(id: "RSK-2024-000500") == nil)
        let first = try gate.saveSubject(Subject(id: "RSK-2024-000500", birthDate: Fixture.day("2012-05-03"), municipality: "Troisdorf",
                                                 guardians: ["Amina S."]))
        #expect(first.guardians == ["Amina S."])
        // Only the municipality and the unaccompanied flag are stated: birth date and guardians stay.
        let merged = try gate.saveSubject(Subject(id: "RSK-2024-000500", municipality: "Siegburg", unaccompaniedMinor: true))
        let expected = Subject(id: "RSK-2024-000500", birthDate: Fixture.day("2012-05-03"), municipality: "Siegburg",
                               unaccompaniedMinor: true, guardians: ["Amina S."])
        #expect(merged == expected)
        // Read back from the file through a second installation handle.
        #expect(try inst.open().subject(id: "RSK-2024-000500") == expected)
        // Another subject is untouched.
        _ = try gate.saveSubject(Subject(id: "RSK-2024-000501", municipality: "Lohmar"))
        #expect(try gate.subject(id: "RSK-2024-000500") == expected)
        #expect(try gate.subject(id: "RSK-2024-000501")?.birthDate == nil)
    }

    /// SQLite compares bound text only up to U+0000: "RSK-…500\u{0}x" would read RSK-…500's record. Refused first.
    @Test func textsWithNULAreRefusedBeforeAnyLookup() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        let id = "RSK-2024-000500"
        try gate.saveSubject(Subject(id: id, birthDate: Fixture.day("2012-05-03"), municipality: "Troisdorf"))
        let size = try gate.auditLog.size()
        #expect(throws: GateError.nulCharacter(field: "subject")) { try gate.subject(id: id + "\u{0}x") }
        #expect(throws: GateError.nulCharacter(field: "subject")) { try gate.saveSubject(Subject(id: id + "\u{0}x", municipality: "Siegburg")) }
        #expect(try gate.subject(id: id)?.municipality == "Troisdorf", "the stored person is unchanged")
        for (field, request) in [
            ("subject", CheckRequest(subject: id + "\u{0}x", partner: "schulamt", purpose: "school-planning", fields: ["name.family"])),
            ("partner", CheckRequest(subject: id, partner: "schulamt\u{0}", purpose: "school-planning", fields: ["name.family"])),
            ("fields", CheckRequest(subject: id, partner: "schulamt", purpose: "school-planning", fields: ["name.family\u{0}"])),
        ] {
            #expect(throws: GateError.nulCharacter(field: field)) { try gate.check(request, actor: Actor(id: "test")) }
        }
        #expect(throws: GateError.nulCharacter(field: "consent")) {
            try gate.withdrawConsent(id: "c-1\u{0}x", recordedBy: Fixture.caseManager, actor: Actor(id: "test"))
        }
        #expect(try gate.auditLog.size() == size, "nothing recorded")
        #expect(GateError.nulCharacter(field: "subject").message(in: .de).contains("U+0000"))
    }

    /// Stated attributes count for that check only, and never change the record. A stated birth date other than the
    /// recorded one is refused (a domain review found a minor's consent, signed without a guardian, released data once
    /// a check stated an adult's birth date); the recorded one stated again, or a stated municipality, are taken.
    @Test func statedAttributesCountForThatCheckOnly() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        let id = "RSK-2024-000777"
        try gate.saveSubject(Subject(id: id, birthDate: Fixture.day("1990-01-01"), municipality: "Troisdorf"))
        let at = Fixture.time("2026-03-01T10:00:00Z")
        func planning(_ stated: Subject?, subject: String = id) throws -> CheckResult {
            try gate.check(CheckRequest(subject: subject, statedAttributes: stated, partner: "jugendamt", purpose: "youth-welfare-planning",
                                        fields: ["childcare.kita-need"], at: at), actor: Actor(id: "dpo.test"))
        }
        // Stored: an adult, so the planning rule (age < 18) does not hold.
        let stored = try planning(nil)
        #expect(stored.decision.field("childcare.kita-need")?.outcome == .deny)
        #expect(stored.decision.field("childcare.kita-need")?.reason == .conditionNotMet)
        // Another birth date stated: refused, nothing logged.
        let size = try gate.auditLog.size()
        #expect(throws: GateError.birthDateDiffersFromRecord(recorded: "1990-01-01", stated: "2015-06-01")) {
            _ = try planning(Subject(id: id, birthDate: Fixture.day("2015-06-01"), municipality: "Siegburg"))
        }
        #expect(try gate.auditLog.size() == size)
        // The recorded birth date stated again, and another municipality: taken; the log records the stated municipality.
        let stated = try planning(Subject(id: id, birthDate: Fixture.day("1990-01-01"), municipality: "Siegburg"))
        #expect(stated.decision.field("childcare.kita-need")?.reason == .conditionNotMet)
        let entry = try gate.allEntries().first { $0.index == stated.auditIndex }?.entry
        guard case let .decision(record)? = entry?.content else { Issue.record("no decision entry"); return }
        #expect(record.attributes["municipality"]?.stringValue == "Siegburg")
        #expect(entry?.municipality == "Siegburg")
        // The stored record is unchanged.
        #expect(try gate.subject(id: id)?.birthDate == Fixture.day("1990-01-01"))
        #expect(try gate.subject(id: id)?.municipality == "Troisdorf")
        // A person not yet recorded: only the stated attributes count, and the log keeps the age the rules tested (10 on
        // 2026-03-01), never the birth date itself (CONTRACTS §6: no field values).
        let unknown = try planning(Subject(id: "RSK-2026-000001", birthDate: Fixture.day("2016-01-01")), subject: "RSK-2026-000001")
        #expect(unknown.decision.field("childcare.kita-need")?.outcome == .permit)
        #expect(unknown.decision.field("childcare.kita-need")?.rule == "jugendamt-planning")
        let unknownEntry = try gate.allEntries().first { $0.index == unknown.auditIndex }?.entry
        guard case let .decision(unknownRecord)? = unknownEntry?.content else { Issue.record("no decision entry"); return }
        #expect(unknownRecord.attributes["age"]?.intValue == 10)
        #expect(unknownRecord.attributes["birth-date"] == nil)
        #expect(!String(decoding: unknownEntry.map { $0.canonicalBytes() } ?? [], as: UTF8.self).contains("2016-01-01"))
        #expect(try gate.subject(id: "RSK-2026-000001") == nil, "a check must not record a subject")
        try gate.verifyAuditLog()
    }
}
