import ConsentRecords
import Foundation
import Synchronization
import Testing
@testable import Gate

/// The access rule of a decision (`checkConcurrently(admitting:)`) tells a person ConsentGate knows from a new case
/// without reading twice: a person with stored consents but no person record (as imports of older installations left
/// them) is handed to the rule as a subject with its id only, a person nothing is stored about as nil.
@Suite struct DecisionAdmitKnownPersonTests {
    @Test func aPersonWithConsentsButNoRecordIsKnownToTheAccessRule() async throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        _ = try gate.grantConsent(Fixture.grant(), actor: Fixture.actor, now: Fixture.grantedAt)
        try inst.sqlite("DELETE FROM subject WHERE id = '\(Fixture.subjectID)'")
        #expect(try gate.subject(id: Fixture.subjectID) == nil)

        let seen = Mutex<[String: Subject?]>([:])
        for subject in [Fixture.subjectID, "RSK-2022-000099"] {
            _ = try await gate.checkConcurrently(Fixture.jobcenterCheck(subject, at: nil), actor: Fixture.actor) { stored, stated in
                seen.withLock { $0[subject] = stored }
                return stated
            }
        }
        let known = try #require(seen.withLock { $0[Fixture.subjectID] } ?? nil, "a person with consents is handed to the rule")
        #expect(known.id == Fixture.subjectID && known.municipality == nil && known.birthDate == nil)
        #expect(seen.withLock { $0["RSK-2022-000099"] } == .some(nil), "nothing stored: a new case")
    }
}
