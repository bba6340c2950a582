import AuditLog
import Diagnostics
import ConsentRecords
import Foundation
import PolicyEngine
import Signing
import Testing
@testable import Gate

/// Grant → check → withdraw → check, in process, on a real SQLite file, with every step read back from the
/// audit log.
@Suite struct GateConsentLifecycleTests {
    @Test func grantCheckWithdrawCheckAndEveryDecisionIsLogged() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        let (stored, grantIndex) = try gate.grantConsent(Fixture.grant(clauses: ["jobcenter"]), actor: Fixture.actor)
        #expect(stored.subject == Fixture.subjectID)
        let granted = try gate.allEntries().first { $0.index == grantIndex }
        guard case let .consentGranted(g)? = granted?.entry.content else {
            Issue.record("entry \(grantIndex) is not consent-granted: \(String(describing: granted))"); return
        }
        #expect(g.consentID == stored.id && g.clauses == ["jobcenter"] && g.digest == stored.jwsSHA256)

        // Permitted by the consent: the clause and the consent id are named; health stays forbidden.
        let before = try gate.check(Fixture.jobcenterCheck(at: Fixture.time("2026-03-01T10:00:00Z")), actor: Fixture.actor)
        let family = try #require(before.decision.field("name.family"))
        #expect(family.outcome == .permit && family.rule == "jobcenter-consent")
        #expect(family.consent == PolicyEngine.ConsentReference(id: stored.id, clause: "jobcenter"))
        #expect(before.decision.field("address.street")?.outcome == .permit)
        #expect(before.decision.field("health.notes")?.outcome == .deny)
        #expect(before.decision.field("health.notes")?.reason == .forbidden)
        #expect(before.decision.released == ["name.family", "address.street"])

        let withdrawAt = Fixture.time("2026-06-01T00:00:00Z")
        let (outcome, withdrawIndex) = try gate.withdrawConsent(id: stored.id, at: withdrawAt, recordedBy: Fixture.caseManager,
                                                                actor: Fixture.actor)
        guard case let .recorded(w) = outcome else { Issue.record("first withdrawal not recorded: \(outcome)"); return }
        #expect(w.withdrawnAt == withdrawAt)
        let withdrawIdx = try #require(withdrawIndex)

        // After the withdrawal: consent-revoked, naming the withdrawn consent.
        let after = try gate.check(Fixture.jobcenterCheck(at: Fixture.time("2026-07-01T10:00:00Z")), actor: Fixture.actor)
        #expect(after.decision.field("name.family")?.outcome == .deny)
        #expect(after.decision.field("name.family")?.reason == .consentRevoked)
        #expect(after.decision.field("name.family")?.consent?.id == stored.id)
        #expect(after.decision.released.isEmpty)

        // A check as of a time before the withdrawal, made now, after it: the data could go out only now, so the
        // withdrawal counts (before 2026-12-07 it permitted; `BackDatedCheckWithdrawalTests`).
        let past = try gate.check(Fixture.jobcenterCheck(at: Fixture.time("2026-05-31T23:59:59Z")), actor: Fixture.actor)
        #expect(past.decision.field("name.family")?.outcome == .deny)
        #expect(past.decision.field("name.family")?.reason == .consentRevoked)
        #expect(past.decision.field("name.family")?.consent?.id == stored.id)

        // Each check left its decision entry, in order, with field ids and outcomes only.
        let decisions = try gate.entries(kind: .decision)
        #expect(decisions.map(\.index) == [before.auditIndex, after.auditIndex, past.auditIndex])
        #expect(before.auditIndex > grantIndex && withdrawIdx > before.auditIndex && after.auditIndex > withdrawIdx)
        for (result, logged) in zip([before, after, past], decisions) {
            guard case let .decision(record) = logged.entry.content else { Issue.record("not a decision"); continue }
            #expect(record.subject == Fixture.subjectID && record.partner == "jobcenter" && record.purpose == "job-placement")
            #expect(record.requested == ["name.family", "address.street", "health.notes"])
            #expect(record.fields.map(\.outcome.rawValue) == result.decision.fields.map(\.outcome.rawValue))
            #expect(record.fields.map(\.reason) == result.decision.fields.map { $0.reason?.rawValue })
            #expect(record.consents == [stored.id])
            #expect(logged.entry.policyDigest == gate.policy.digest)
            #expect(logged.entry.actor == "cm.troisdorf.1" && logged.entry.municipality == "Troisdorf")
            // Field ids, never values: each field object holds exactly the outcome's vocabulary.
            let bytes = try gate.auditLog.entryBytes(index: logged.index)
            let json = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
            let content = try #require(json["content"] as? [String: Any])
            let fields = try #require(content["fields"] as? [[String: Any]], "no fields in \(String(decoding: bytes, as: UTF8.self))")
            #expect(fields.count == 3)
            for f in fields {
                #expect(Set(f.keys).isSubset(of: ["field", "outcome", "rule", "reason", "consent"]), "\(f)")
            }
        }
        let withdrawn = try gate.entries(kind: .consentWithdrawn)
        #expect(withdrawn.map(\.index) == [withdrawIdx])
        try gate.verifyAuditLog()
    }

    @Test func secondWithdrawalReturnsTheFirstAndLogsNothing() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        let (stored, _) = try gate.grantConsent(Fixture.grant(), actor: Fixture.actor)
        let first = Fixture.time("2026-02-01T08:00:00Z")
        let (o1, i1) = try gate.withdrawConsent(id: stored.id, at: first, recordedBy: Fixture.caseManager, actor: Fixture.actor)
        #expect(i1 != nil)
        let sizeAfterFirst = try gate.auditLog.size()
        let (o2, i2) = try gate.withdrawConsent(id: stored.id, at: Fixture.time("2026-03-01T08:00:00Z"),
                                                recordedBy: Fixture.caseManager, actor: Fixture.actor)
        guard case let .alreadyWithdrawn(w) = o2 else { Issue.record("second withdrawal: \(o2)"); return }
        #expect(w == o1.withdrawal)
        #expect(w.withdrawnAt == first)
        #expect(i2 == nil)
        #expect(try gate.auditLog.size() == sizeAfterFirst)
        #expect(try gate.consents.record(id: stored.id)?.wholeWithdrawal == o1.withdrawal)
    }

    @Test func theConsentSignerIsDecryptedOnceForManyGrantsAndWithdrawals() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        #expect(gate.openedSigningKeyCount == 0)
        var kids: Set<String> = []
        for n in 1...3 {
            var request = Fixture.grant()
            request.subject.id = "RSK-2026-00000\(n)"
            let (stored, _) = try gate.grantConsent(request, actor: Fixture.actor)
            kids.insert(try #require(try JWS(flattened: stored.jws).header.kid))
            _ = try gate.withdrawConsent(id: stored.id, at: Fixture.time("2026-02-01T08:00:00Z"), recordedBy: Fixture.caseManager,
                                         actor: Fixture.actor)
        }
        #expect(gate.openedSigningKeyCount == 1, "one key opened for three grants and three withdrawals")
        #expect(kids == [try gate.keyRing.usableEntry(for: .consentSigner).kid])
    }

    /// A `granted-at` in the future is the request's mistake (invalid input, exit 3), whether or not a key would be valid
    /// then: past every key's not-after (2099) it read as "no usable key for consent-signer" (exit 4), found in a review.
    /// Nothing is stored or logged.
    @Test(arguments: ["2027-01-01T10:00:00Z", "2099-01-01T10:00:00Z"])
    func aGrantSignedInTheFutureIsInvalidInput(grantedAt: String) throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        let size = try gate.auditLog.size()
        let now = Fixture.time("2026-06-01T10:00:00Z")
        #expect {
            _ = try gate.grantConsent(Fixture.grant(grantedAt: Fixture.time(grantedAt)), actor: Fixture.actor, now: now)
        } throws: { error in
            guard case let ConsentError.grantedInFuture(g, n) = error else { return false }
            return g == Fixture.time(grantedAt) && n == now && (error as? any UserFacingError)?.category == .invalidInput
        }
        #expect(try gate.auditLog.size() == size)
        #expect(try gate.consents.list(subject: Fixture.subjectID).isEmpty)
    }

    @Test func withdrawingAnUnknownConsentOrBeforeTheGrantFails() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        let (stored, _) = try gate.grantConsent(Fixture.grant(), actor: Fixture.actor)
        let size = try gate.auditLog.size()
        let unknown = UUID().uuidString.lowercased()
        #expect {
            _ = try gate.withdrawConsent(id: unknown, recordedBy: Fixture.caseManager, actor: Fixture.actor)
        } throws: { error in
            guard case ConsentError.unknownConsent = error else { return false }
            return true
        }
        #expect {
            _ = try gate.withdrawConsent(id: stored.id, at: Fixture.time("2026-01-10T08:59:59Z"),
                                         recordedBy: Fixture.caseManager, actor: Fixture.actor)
        } throws: { error in
            guard case let ConsentError.withdrawalBeforeGrant(id, _, grantedAt) = error else { return false }
            return id == stored.id && grantedAt == Fixture.grantedAt
        }
        #expect(try gate.consents.record(id: stored.id)?.wholeWithdrawal == nil)
        #expect(try gate.auditLog.size() == size)
    }

    @Test(arguments: [("no-such-template", ["jobcenter"]), ("kim-beratung", ["no-such-clause"]),
                      ("kim-beratung", ["jobcenter", "jugendamt-x"])])
    func grantOfAnUnknownTemplateOrClauseFailsAndStoresNothing(template: String, clauses: [String]) throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        let size = try gate.auditLog.size()
        #expect {
            _ = try gate.grantConsent(Fixture.grant(template: template, clauses: clauses), actor: Fixture.actor)
        } throws: { error in
            switch error {
            case GateError.unknownTemplate(let id, _): return id == template && template == "no-such-template"
            case ConsentError.clauseNotInTemplate(let clause, let t, _): return clauses.contains(clause) && t == template
            default: return false
            }
        }
        #expect(try gate.consents.list(subject: Fixture.subjectID).isEmpty)
        #expect(try gate.auditLog.size() == size)
    }

    @Test func aMinorWithoutGuardianIsRefusedAndWithAGuardianAccepted() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        // 15 years and 364 days old at signing: below the template's minimum age of 16.
        let minor = Subject(id: "RSK-2025-000100", birthDate: Fixture.day("2010-01-11"), municipality: "Siegburg")
        let size = try gate.auditLog.size()
        #expect {
            _ = try gate.grantConsent(Fixture.grant(minor), actor: Fixture.actor)
        } throws: { error in
            guard case let ConsentError.guardianMissing(subject, age, minimumAge) = error else { return false }
            return subject == minor.id && age == 15 && minimumAge == 16
        }
        #expect(try gate.consents.list(subject: minor.id).isEmpty)
        #expect(try gate.auditLog.size() == size)
        let (stored, _) = try gate.grantConsent(Fixture.grant(minor, guardians: [Guardian(name: "Olena K.", relation: "mother")]),
                                                actor: Fixture.actor)
        #expect(stored.subject == minor.id)
        // Exactly 16 on the day of signing: no guardian needed.
        let sixteen = Subject(id: "RSK-2025-000101", birthDate: Fixture.day("2010-01-10"), municipality: "Siegburg")
        let (ok, _) = try gate.grantConsent(Fixture.grant(sixteen), actor: Fixture.actor)
        #expect(ok.subject == sixteen.id)
    }

    @Test func aWithdrawalDatedInTheFutureIsRefused() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        let (stored, _) = try gate.grantConsent(Fixture.grant(), actor: Fixture.actor)
        let size = try gate.auditLog.size()
        #expect {
            _ = try gate.withdrawConsent(id: stored.id, at: Date().addingTimeInterval(86_400), recordedBy: Fixture.caseManager,
                                         actor: Fixture.actor)
        } throws: { error in
            guard case ConsentError.withdrawnInFuture = error else { return false }
            return true
        }
        #expect(try gate.consents.record(id: stored.id)?.wholeWithdrawal == nil)
        #expect(try gate.auditLog.size() == size)
    }

    /// A grant that is refused must change nothing: not the consents, not the log, and not the stored person.
    /// (Otherwise a mistyped birth date in a refused grant would silently turn an adult into a minor and
    /// invalidate the consents they already gave.)
    @Test func aRefusedGrantLeavesTheStoredSubjectUnchanged() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        let (stored, _) = try gate.grantConsent(Fixture.grant(), actor: Fixture.actor)
        let at = Fixture.time("2026-03-01T10:00:00Z")
        #expect(try gate.check(Fixture.jobcenterCheck(fields: ["name.family"], at: at), actor: Fixture.actor)
            .decision.field("name.family")?.outcome == .permit)
        let size = try gate.auditLog.size()
        // The same person, birth date mistyped as a child's, no guardian: refused.
        let typo = Subject(id: Fixture.subjectID, birthDate: Fixture.day("2015-07-18"), municipality: "Troisdorf")
        #expect(throws: ConsentError.self) {
            _ = try gate.grantConsent(Fixture.grant(typo, clauses: ["sprachkurs"]), actor: Fixture.actor)
        }
        #expect(try gate.auditLog.size() == size)
        #expect(try gate.consents.list(subject: Fixture.subjectID).map(\.id) == [stored.id])
        #expect(try gate.subject(id: Fixture.subjectID)?.birthDate == Fixture.day("1948-07-18"),
                "the refused grant overwrote the stored birth date")
        let after = try gate.check(Fixture.jobcenterCheck(fields: ["name.family"], at: at), actor: Fixture.actor)
        #expect(after.decision.field("name.family")?.outcome == .permit,
                "the earlier valid consent must still permit: \(String(describing: after.decision.field("name.family")))")
    }

    @Test func expiryBoundaryIsExclusive() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let gate = try inst.open()
        let (stored, _) = try gate.grantConsent(Fixture.grant(validity: ISODuration("P30D")), actor: Fixture.actor)
        #expect(stored.expiresAt == Fixture.time("2026-02-09T09:00:00Z"))
        let justBefore = try gate.check(Fixture.jobcenterCheck(fields: ["name.family"], at: stored.expiresAt.addingTimeInterval(-1)),
                                        actor: Fixture.actor)
        #expect(justBefore.decision.field("name.family")?.outcome == .permit)
        let atExpiry = try gate.check(Fixture.jobcenterCheck(fields: ["name.family"], at: stored.expiresAt), actor: Fixture.actor)
        #expect(atExpiry.decision.field("name.family")?.outcome == .deny)
        #expect(atExpiry.decision.field("name.family")?.reason == .consentExpired)
        #expect(atExpiry.decision.field("name.family")?.consent?.id == stored.id)
        let beforeGrant = try gate.check(Fixture.jobcenterCheck(fields: ["name.family"], at: Fixture.grantedAt.addingTimeInterval(-1)),
                                         actor: Fixture.actor)
        #expect(beforeGrant.decision.field("name.family")?.outcome == .deny)
    }
}
