import AuditLog
import ConsentRecords
import Foundation
import Gate
import PolicyEngine
import Synchronization
import Testing
@testable import WebService

/// A withdrawal checks the municipality rule on the person as stored inside the transaction that records it, like a
/// grant (`Gate.withdrawConsent(admitting:)`): the check the route makes first could be outrun by a writer moving the
/// person to another municipality (a registration list, another grant) in between.
@Suite struct WithdrawalAccessTests {
    @Test func aWithdrawalRefusedInsideItsTransactionStoresAndLogsNothing() throws {
        let fixture = try WebFixture()
        defer { fixture.remove() }
        let gate = fixture.environment.gate
        let birth = Date(timeIntervalSince1970: Double(try #require(UTCDay.parse("1990-01-01") as Int?)) * 86_400)
        let (consent, _) = try gate.grantConsent(
            GrantRequest(subject: Subject(id: "RSK-WD-1", birthDate: birth, municipality: "Siegburg"), templateID: "kim-beratung",
                         language: "de", clauses: ["jobcenter"], grantedAt: Date(),
                         collectedBy: CaseManagerReference(caseManager: "s", municipality: "Siegburg")),
            actor: Actor(id: "s", municipality: "Siegburg"))
        // The person moves to Troisdorf after Siegburg's case worker opened the consent page.
        _ = try gate.saveSubject(Subject(id: "RSK-WD-1", birthDate: birth, municipality: "Troisdorf"))
        let size = try gate.auditLog.size()
        let siegburg = Account(name: "s", role: .caseworker, municipality: "Siegburg", createdAt: Date())
        let seen = Mutex<String?>(nil)
        #expect(throws: WebError.self) {
            try gate.withdrawConsent(id: consent.id, recordedBy: CaseManagerReference(caseManager: "s", municipality: "Siegburg"),
                                     actor: Actor(id: "s", municipality: "Siegburg")) { stored in
                seen.withLock { $0 = stored?.municipality }
                try SubjectAccess.requireSameMunicipality(stored?.municipality, account: siegburg)
            }
        }
        #expect(seen.withLock { $0 } == "Troisdorf", "the rule saw the person as stored at the time of the withdrawal")
        #expect(try gate.auditLog.size() == size)
        #expect(try gate.consents.record(id: consent.id)?.wholeWithdrawal == nil)
        // Troisdorf's case worker may.
        let troisdorf = Account(name: "t", role: .caseworker, municipality: "Troisdorf", createdAt: Date())
        let (outcome, index) = try gate.withdrawConsent(id: consent.id, recordedBy: CaseManagerReference(caseManager: "t", municipality: "Troisdorf"),
                                                        actor: Actor(id: "t", municipality: "Troisdorf")) { stored in
            try SubjectAccess.requireSameMunicipality(stored?.municipality, account: troisdorf)
        }
        #expect(index != nil)
        if case .recorded = outcome {} else { Issue.record("\(outcome)") }
    }
}
