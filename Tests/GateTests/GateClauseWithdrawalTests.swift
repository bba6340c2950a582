import AuditLog
import ChildProcess
import ConsentRecords
import Foundation
import PolicyEngine
import Signing
import StrictJSON
import Testing
@testable import Gate

/// Withdrawal of single lines (clauses) through the Gate, on a real installation: decisions, the audit entry, the
/// replay of older decisions, the releases warning, and `audit verify`'s ledger check both ways after edits of the file.
@Suite struct GateClauseWithdrawalTests {
    static let lines = ["jobcenter", "jobcenter-gesundheit"]
    static let partialAt = Fixture.time("2026-02-01T00:00:00Z")

    /// An installation with a consent granting the Jobcenter line and its explicit health line.
    func installation() throws -> (GateTestInstallation, Gate, consent: String) {
        let inst = try GateTestInstallation()
        let gate = try inst.open()
        let (stored, _) = try gate.grantConsent(Fixture.grant(clauses: Self.lines), actor: Fixture.actor, now: Fixture.grantedAt)
        return (inst, gate, stored.id)
    }

    func withdraw(_ gate: Gate, _ id: String, _ clauses: [String]?, at: Date = partialAt) throws -> (WithdrawalOutcome, Int64?) {
        try gate.withdrawConsent(id: id, at: at, clauses: clauses, recordedBy: Fixture.caseManager, actor: Fixture.actor)
    }

    @Test("a withdrawn line releases nothing from its time on, also in a check for an earlier day made after it; the other line as before; the entry names it")
    func decisionsAndEntry() throws {
        let (inst, gate, id) = try installation()
        defer { inst.remove() }
        let (outcome, index) = try withdraw(gate, id, ["jobcenter-gesundheit"])
        guard case .recorded(let w) = outcome else { Issue.record("\(outcome)"); return }
        let entry = try #require(try gate.allEntries().first { $0.index == index })
        guard case .consentWithdrawn(let r) = entry.entry.content else { Issue.record("\(entry)"); return }
        #expect(r.clauses == ["jobcenter-gesundheit"] && r.digest == w.jwsSHA256 && r.withdrawnAt == "2026-02-01T00:00:00Z")
        let after = try gate.check(Fixture.jobcenterCheck(at: Fixture.time("2026-03-01T10:00:00Z")), actor: Fixture.actor)
        #expect(after.decision.field("name.family")?.outcome == .permit, "the Jobcenter line holds")
        #expect(after.decision.field("health.notes")?.outcome == .deny)
        #expect(after.decision.field("health.notes")?.consent == ConsentReference(id: id, clause: "jobcenter-gesundheit"))
        // As of a day before the withdrawal the line held (the evaluator, `DecisionMadeAtTests`); a check for that day made
        // now, after the withdrawal, counts it (its data could go out only now), the other line as before.
        let before = try gate.check(Fixture.jobcenterCheck(at: Fixture.time("2026-01-20T10:00:00Z")), actor: Fixture.actor)
        #expect(before.decision.field("health.notes")?.outcome == .deny)
        #expect(before.decision.field("health.notes")?.consent == ConsentReference(id: id, clause: "jobcenter-gesundheit"))
        #expect(before.decision.field("name.family")?.outcome == .permit)
        // As of a day between the two withdrawals (the consent, signed in 2026, runs out in 2028).
        #expect(try gate.consents.show(id: id, subjectBirthDate: Fixture.adult().birthDate).state(at: Fixture.time("2026-02-05T00:00:00Z")) == .active)
        // The last line: the consent is withdrawn as a whole, for every view.
        _ = try withdraw(gate, id, ["jobcenter"], at: Fixture.time("2026-02-10T00:00:00Z"))
        #expect(try gate.consents.show(id: id, subjectBirthDate: Fixture.adult().birthDate).state(at: Date()) == .withdrawn)
        #expect(try gate.check(Fixture.jobcenterCheck(at: Fixture.time("2026-03-01T10:00:00Z")), actor: Fixture.actor).decision.released.isEmpty)
        // The Art. 15 report lists which lines went when.
        let report = SubjectReport(subject: Fixture.subjectID, entries: try gate.auditLog.entries(matching: AuditQuery(subject: Fixture.subjectID)))
        #expect(report.consents.filter { $0.event == "withdrawn" }.map(\.clauses) == [["jobcenter-gesundheit"], ["jobcenter"]])
        #expect(report.json.canonicalText.contains(#""clauses":["jobcenter-gesundheit"],"consent":"\#(id)","entry""#))
        #expect(try ConsentLedgerCheck.problem(in: gate.database.writer) == nil)
    }

    @Test("a refused withdrawal of lines stores and logs nothing")
    func refusedLogsNothing() throws {
        let (inst, gate, id) = try installation()
        defer { inst.remove() }
        let size = try gate.auditLog.size()
        #expect(throws: ConsentError.clauseNotGranted(id: id, clause: "sozialamt", granted: Self.lines)) {
            try withdraw(gate, id, ["sozialamt"])
        }
        #expect(throws: ConsentError.noClausesNamed(id: id)) { try withdraw(gate, id, []) }
        #expect(try gate.auditLog.size() == size)
        #expect(try gate.consents.record(id: id)?.withdrawals.isEmpty == true)
    }

    @Test("a decision logged before a back-dated withdrawal of a line replays as it was; the warning counts only that line's releases")
    func replayAndReleases() throws {
        let (inst, gate, id) = try installation()
        defer { inst.remove() }
        let decided = try gate.check(Fixture.jobcenterCheck(at: Fixture.time("2026-03-01T10:00:00Z")), actor: Fixture.actor)
        #expect(decided.decision.released == ["name.family", "address.street", "health.notes"])
        _ = try withdraw(gate, id, ["jobcenter-gesundheit"])   // dated 2026-02-01, before the decision's time, logged after it
        let replay = try gate.explainDecision(index: decided.auditIndex)
        #expect(replay.reproduces, "the withdrawal was logged after the decision: it replays as decided")
        #expect(replay.consents.first?.clauseWithdrawals.isEmpty == true, "the replay does not see the later withdrawal")
        let late = try gate.releases(onConsent: id, subject: Fixture.subjectID, loggedFrom: Self.partialAt, clauses: ["jobcenter-gesundheit"])
        #expect(late.map(\.fields) == [["health.notes"]], "only the field released under the withdrawn line")
        #expect(try gate.releases(onConsent: id, subject: Fixture.subjectID, loggedFrom: Self.partialAt).map(\.fields)
                == [["name.family", "address.street", "health.notes"]])
        // A decision logged after the withdrawal replays with it.
        let later = try gate.check(Fixture.jobcenterCheck(at: Fixture.time("2026-03-01T10:00:00Z")), actor: Fixture.actor)
        #expect(later.decision.field("health.notes")?.outcome == .deny)
        let laterReplay = try gate.explainDecision(index: later.auditIndex)
        #expect(laterReplay.reproduces)
        #expect(laterReplay.consents.first?.clauseWithdrawals == ["jobcenter-gesundheit": Self.partialAt])
    }

    /// Runs `sql` on the file with the stock `sqlite3`, after dropping the append-only triggers as an editor would.
    func sqlite(_ inst: GateTestInstallation, _ sql: String) throws {
        let r = try Spawn.run("/usr/bin/sqlite3", [inst.databasePath, ConsentSchema.dropAppendOnlyTriggersSQL + " " + sql])
        #expect(r.status == 0, "\(r.stderrText)")
    }

    enum Edit: String, CaseIterable { case deleted, timeAltered, bytesReplaced, inserted }

    @Test("audit verify's ledger check finds a withdrawal of lines deleted, altered or inserted in the file", arguments: Edit.allCases)
    func ledger(_ edit: Edit) throws {
        let (inst, gate, id) = try installation()
        defer { inst.remove() }
        let (first, firstIndex) = try withdraw(gate, id, ["jobcenter-gesundheit"])
        _ = try withdraw(gate, id, nil, at: Fixture.time("2026-02-10T00:00:00Z"))
        #expect(try ConsentLedgerCheck.problem(in: gate.database.writer) == nil)
        let digest = first.withdrawal.jwsSHA256
        let entry = try #require(firstIndex)
        // The line as of 5 February, between its own withdrawal and the whole consent's, read from the store as it is.
        func healthNotesAsOfFebruary(_ gate: Gate) throws -> FieldDecision.Outcome? {
            let facts = try gate.consents.list(subject: Fixture.subjectID, now: Date(), subjectBirthDate: Fixture.adult().birthDate).map(\.fact)
            let request = DecisionRequest(subject: Fixture.subjectID, attributes: SubjectAttributes(birthDate: Fixture.adult().birthDate),
                                          partner: "jobcenter", purpose: "job-placement", fields: ["health.notes"],
                                          at: Fixture.time("2026-02-05T10:00:00Z"))
            return gate.policy.decide(request, consents: facts).fields.first?.outcome
        }
        #expect(try healthNotesAsOfFebruary(gate) == .deny)
        let expected: ConsentLedgerFinding
        switch edit {
        case .deleted:
            try sqlite(inst, "DELETE FROM consent_withdrawal WHERE jws_sha256 = '\(digest)'")
            #expect(try healthNotesAsOfFebruary(inst.open()) == .permit, "the deletion revives the line")
            expected = .clauseWithdrawalMissing(index: entry, consentID: id, clauses: ["jobcenter-gesundheit"])
        case .timeAltered:
            try sqlite(inst, "UPDATE consent_withdrawal SET withdrawn_at = '2099-01-01T00:00:00Z' WHERE jws_sha256 = '\(digest)'")
            expected = .withdrawalColumnChanged(index: entry, consentID: id, column: "withdrawn_at")
        case .bytesReplaced:
            // Another genuinely signed withdrawal of the same line, dated later, in place of the logged one's bytes.
            let other = try inst.open()
            let key = try other.signingKey(for: .consentSigner, at: Date())
            let forged = try ConsentWithdrawal(consentID: UUID(uuidString: id)!, subject: Fixture.subjectID,
                                               withdrawnAt: Fixture.time("2026-06-01T00:00:00Z"), recordedBy: Fixture.caseManager,
                                               clauses: ["jobcenter-gesundheit"]).signed(with: key.privateKey)
            try sqlite(inst, "UPDATE consent_withdrawal SET jws = X'\(Hex.encode(forged.bytes))' WHERE jws_sha256 = '\(digest)'")
            expected = .withdrawalChanged(index: entry, consentID: id)
        case .inserted:
            let other = try inst.open()
            let key = try other.signingKey(for: .consentSigner, at: Date())
            let extra = try ConsentWithdrawal(consentID: UUID(uuidString: id)!, subject: Fixture.subjectID,
                                              withdrawnAt: Fixture.time("2026-01-15T00:00:00Z"), recordedBy: Fixture.caseManager,
                                              clauses: ["jobcenter"]).signed(with: key.privateKey)
            try sqlite(inst, "INSERT INTO consent_withdrawal VALUES ('\(id)', '2026-01-15T00:00:00Z', '\(extra.kid)', X'\(Hex.encode(extra.bytes))', '\(extra.digest)', '2026-01-15T00:00:00Z')")
            expected = .withdrawalNotLogged(consentID: id)
        }
        try sqlite(inst, ConsentSchema.createAppendOnlyTriggersSQL)
        let finding = try ConsentLedgerCheck.problem(in: try inst.open().database.writer)
        #expect(finding == expected, "\(finding?.message(in: .en) ?? "none")")
        #expect(finding?.category.exitCode == 4)
        if edit == .deleted {
            #expect(finding?.message(in: .de).contains("jobcenter-gesundheit") == true)
            #expect(finding?.message(in: .en).contains("those lines would count as active again") == true)
        }
    }

    @Test("a backup and its restore keep every withdrawal of lines, and the ledger check passes on the restored file")
    func backupRestore() throws {
        let inst = try GateTestInstallation()
        defer { inst.remove() }
        let target = inst.dir.appendingPathComponent("backup.sqlite").path
        let (id, otherID, before): (String, String, [StoredWithdrawal]) = try {
            let gate = try inst.open()
            let (stored, _) = try gate.grantConsent(Fixture.grant(clauses: Self.lines), actor: Fixture.actor, now: Fixture.grantedAt)
            _ = try withdraw(gate, stored.id, ["jobcenter-gesundheit"])
            _ = try withdraw(gate, stored.id, ["jobcenter"], at: Fixture.time("2026-02-10T00:00:00Z"))
            let before = try #require(try gate.consents.record(id: stored.id)).withdrawals
            _ = try DatabaseBackup.write(gate.database, to: target, overwrite: false)
            // Another withdrawal after the backup: gone again after the restore.
            let other = try gate.grantConsent(Fixture.grant(Fixture.adult("RSK-2022-000003"), clauses: Self.lines), actor: Fixture.actor,
                                              now: Fixture.grantedAt).0
            _ = try withdraw(gate, other.id, ["jobcenter"])
            return (stored.id, other.id, before)
        }()
        #expect(before.count == 2)
        try inst.waitUntilClosed()
        _ = try DatabaseRestore.run(backup: target, database: inst.databasePath)
        let restored = try inst.open()
        #expect(try restored.consents.record(id: id)?.withdrawals == before)
        #expect(try restored.consents.record(id: otherID) == nil)
        #expect(try ConsentLedgerCheck.problem(in: restored.database.writer) == nil)
        #expect(try restored.consents.show(id: id, subjectBirthDate: Fixture.adult().birthDate).state(at: Date()) == .withdrawn)
    }
}
