import ConsentRecords
import Foundation
import PolicyEngine
import Testing
@testable import Gate

/// A grant does not move a recorded person to the municipality where the consent was collected (found in a review of a
/// year-old installation: `consent grant --municipality Much` filed a person the registration list records in Hennef in
/// Much, unlogged, and Hennef's case worker was then refused their own person). A person not yet recorded, or recorded
/// without a municipality, is filed where the consent was collected, as before.
@Suite struct GrantKeepsRecordedMunicipalityTests {
    static func grant(_ id: String, in municipality: String) -> GrantRequest {
        GrantRequest(subject: Subject(id: id, birthDate: Fixture.day("1980-05-01"), municipality: municipality), templateID: "kim-beratung",
                     language: "de", clauses: ["jobcenter"], grantedAt: Fixture.grantedAt, validity: nil,
                     collectedBy: CaseManagerReference(caseManager: "cm.much.1", municipality: municipality), guardians: [])
    }

    @Test(arguments: [("Hennef (Sieg)", "Hennef (Sieg)"), (nil, "Much")] as [(String?, String)])
    func theRecordedMunicipalityStays(recorded: String?, expected: String) throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        let id = "RSK-2022-000123"
        try gate.saveSubject(Subject(id: id, birthDate: Fixture.day("1980-05-01"), municipality: recorded))
        let (_, index) = try gate.grantConsent(Self.grant(id, in: "Much"), actor: Actor(id: "cm.much.1", municipality: "Much"))
        #expect(try gate.subject(id: id)?.municipality == expected)
        // The entry says where the consent was collected.
        #expect(try gate.auditLog.entry(index: index).entry.municipality == "Much")
    }

    @Test func aNewPersonIsFiledWhereTheConsentWasCollected() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        _ = try gate.grantConsent(Self.grant("RSK-2022-000124", in: "Much"), actor: Actor(id: "cm.much.1", municipality: "Much"))
        #expect(try gate.subject(id: "RSK-2022-000124")?.municipality == "Much")
    }
}
