import AuditLog
import ConsentRecords
import Foundation
import PolicyEngine
import Signing
import Testing
@testable import Gate

/// A municipality recorded with a consent (the person's, where it was collected, where a withdrawal was recorded)
/// must be one of the county's, as the policy lists them: `consent grant --municipality Trosdorf` filed the person
/// under a town that no case worker's account and no DPO filter names, so they were lost to the Troisdorf case
/// workers, without any message. Another county's bundle lists its own towns, and ConsentGate follows it.
@Suite struct CountyMunicipalityRecordTests {
    static let fast = PasswordHashing.Parameters(logN: 10, r: 8, p: 1)

    @Test(arguments: [("Trosdorf", "Troisdorf"), ("troisdorf", "Troisdorf"), ("Köln", nil)] as [(String, String?)])
    func aGrantNamingAnUnknownMunicipalityIsRefusedAndNothingIsStored(_ name: String, _ meant: String?) throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        let logged = try gate.auditLog.size()
        let known = gate.policy.bundle.countyMunicipalities.sorted
        // Where it was collected.
        var request = Fixture.grant()
        request.collectedBy = CaseManagerReference(caseManager: "cm.troisdorf.1", municipality: name)
        #expect(throws: GateError.unknownMunicipality(field: "collected-by.municipality", name: name,
                                                      suggestions: meant.map { [$0] } ?? [], known: known)) {
            try gate.grantConsent(request, actor: Fixture.actor)
        }
        // The person's own.
        var subject = Fixture.adult()
        subject.municipality = name
        #expect(throws: GateError.unknownMunicipality(field: "subject.municipality", name: name,
                                                      suggestions: meant.map { [$0] } ?? [], known: known)) {
            try gate.grantConsent(Fixture.grant(subject), actor: Fixture.actor)
        }
        #expect(try gate.subject(id: Fixture.subjectID) == nil)
        #expect(try gate.auditLog.size() == logged)
        let message = GateError.unknownMunicipality(field: "subject.municipality", name: name,
                                                    suggestions: meant.map { [$0] } ?? [], known: known)
        if let meant {
            #expect(message.message(in: .de).contains("gemeint ist wohl \"\(meant)\""))
            #expect(message.message(in: .en).contains("did you mean \"\(meant)\""))
        } else {
            #expect(message.message(in: .en).contains("Swisttal, Troisdorf"))
        }
    }

    @Test func aWithdrawalRecordedInAnUnknownMunicipalityIsRefused() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        let (stored, _) = try gate.grantConsent(Fixture.grant(), actor: Fixture.actor)
        let logged = try gate.auditLog.size()
        #expect(throws: GateError.self) {
            try gate.withdrawConsent(id: stored.id, recordedBy: CaseManagerReference(caseManager: "cm.troisdorf.1", municipality: "Trosdorf"),
                                     actor: Fixture.actor)
        }
        #expect(try gate.auditLog.size() == logged)
        let (outcome, index) = try gate.withdrawConsent(id: stored.id, recordedBy: Fixture.caseManager, actor: Fixture.actor)
        #expect(index != nil, "\(outcome)")
    }

    /// Another county: its bundle lists its own towns, and accounts, grants and the evaluator follow it.
    @Test func anotherCountysBundleListsItsOwnTowns() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let listed = "municipalities: [Alfter, Bad Honnef, Bornheim, Eitorf, \"Hennef (Sieg)\", Königswinter, Lohmar, Meckenheim, Much,\n"
            + "                 Neunkirchen-Seelscheid, Niederkassel, Rheinbach, Ruppichteroth, Sankt Augustin, Siegburg, Swisttal,\n"
            + "                 Troisdorf, Wachtberg, Windeck]"
        let policy = try inst.policyCopy("musterkreis", edits: ["policy.yaml": [(listed, "municipalities: [Musterstadt, Beispielheim]")]])
        try? FileManager.default.removeItem(atPath: policy + "/tests")
        let gate = try inst.open(policy: policy)
        #expect(gate.policy.bundle.countyMunicipalities.sorted == ["Beispielheim", "Musterstadt"])
        let account = try gate.addAccount(name: "cw.muster", role: .caseworker, municipality: "Musterstadt", password: nil,
                                          actor: Actor(id: "admin"), passwordParameters: Self.fast)
        #expect(account.account.municipality == "Musterstadt")
        #expect(throws: AccountError.unknownMunicipality("Siegburg", suggestions: [], known: ["Beispielheim", "Musterstadt"])) {
            try gate.addAccount(name: "cw.sieg", role: .caseworker, municipality: "Siegburg", password: nil,
                                actor: Actor(id: "admin"), passwordParameters: Self.fast)
        }
        var subject = Fixture.adult()
        subject.municipality = "Musterstadt"
        var request = Fixture.grant(subject)
        request.collectedBy = CaseManagerReference(caseManager: "cw.muster", municipality: "Musterstadt")
        _ = try gate.grantConsent(request, actor: Actor(id: "cw.muster", municipality: "Musterstadt"))
        #expect(try gate.subject(id: Fixture.subjectID)?.municipality == "Musterstadt")
        #expect(throws: GateError.self) { try gate.grantConsent(Fixture.grant(Fixture.adult("RSK-2022-000003")), actor: Fixture.actor) }
    }
}
