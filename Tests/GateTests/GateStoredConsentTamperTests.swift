import ConsentRecords
import Foundation
import PolicyEngine
import Signing
import Testing
@testable import Gate

/// A stored consent whose signed bytes were changed behind the application's back (a raw SQL update on the
/// database file) must give `consent-invalid` and never a permit.
@Suite struct GateStoredConsentTamperTests {
    /// Which member of the flattened JWS gets one character changed.
    enum Part: String, CaseIterable, Sendable { case payload, protected, signature }

    /// `jws` with the character 12 places into `member`'s value replaced by another base64url character.
    static func altered(_ jws: [UInt8], member: Part) throws -> [UInt8] {
        var text = String(decoding: jws, as: UTF8.self)
        let marker = "\"\(member.rawValue)\":\""
        let start = try #require(text.range(of: marker), "no \(marker) in \(text)")
        let position = text.index(start.upperBound, offsetBy: 12)
        let old = text[position]
        text.replaceSubrange(position...position, with: old == "A" ? "B" : "A")
        return Array(text.utf8)
    }

    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02X", $0) }.joined() }

    @Test(arguments: Part.allCases)
    func alteredStoredConsentGivesConsentInvalidAndNeverAPermit(part: Part) throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        let (stored, _) = try gate.grantConsent(Fixture.grant(clauses: ["jobcenter", "jobcenter-gesundheit"]), actor: Fixture.actor)
        let fields = ["case.id", "name.family", "address.street", "health.notes"]
        let at = Fixture.time("2026-03-01T10:00:00Z")
        let intact = try gate.check(Fixture.jobcenterCheck(fields: fields, at: at), actor: Fixture.actor)
        #expect(intact.decision.released == fields, "the intact consent must release every field first")

        let bad = try Self.altered(stored.jws, member: part)
        #expect(bad != stored.jws)
        try inst.sqlite(ConsentSchema.dropAppendOnlyTriggersSQL + " UPDATE consent SET jws = X'\(Self.hex(bad))' WHERE id = '\(stored.id)';")
        #expect(try gate.consents.record(id: stored.id)?.jws == bad, "the raw update must have reached the row")

        let tampered = try gate.check(Fixture.jobcenterCheck(fields: fields, at: at), actor: Fixture.actor)
        #expect(tampered.decision.released.isEmpty)
        for f in tampered.decision.fields {
            #expect(f.outcome == .deny, "\(f.field) must not be released")
            if f.field == "health.notes" {
                // The special category stays under its forbid rule: no valid explicit consent lifts it.
                #expect(f.reason == .forbidden && f.rule == "jobcenter-no-health-without-written-consent", "\(f)")
            } else {
                #expect(f.reason == .consentInvalid, "\(f.field): \(String(describing: f.reason))")
                #expect(f.consent?.id == stored.id, "\(f.field) should name the invalid consent")
            }
        }
        let fact = try #require(tampered.consents.first { $0.id == stored.id })
        if case .verified = fact.verification { Issue.record("altered \(part.rawValue) still verifies") }
        let listed = try gate.consents.list(subject: Fixture.subjectID)
        #expect(listed.count == 1)
        #expect(listed.first?.state(at: at) == .invalid)
        #expect(listed.first?.failures.isEmpty == false)

        // The same installation, freshly opened (no verification cache), agrees.
        let reopened = try inst.open()
        let again = try reopened.check(Fixture.jobcenterCheck(fields: fields, at: at), actor: Fixture.actor)
        #expect(again.decision.released.isEmpty)

        // Putting the original bytes back restores the permit: the denial was caused by the bytes alone.
        try inst.sqlite(ConsentSchema.dropAppendOnlyTriggersSQL + " UPDATE consent SET jws = X'\(Self.hex(stored.jws))' WHERE id = '\(stored.id)';")
        let restored = try gate.check(Fixture.jobcenterCheck(fields: fields, at: at), actor: Fixture.actor)
        #expect(restored.decision.released == fields)
        try gate.verifyAuditLog()
    }
}
