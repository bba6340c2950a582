import AuditLog
import ChildProcess
import Foundation
import Gate
import Signing
import Testing
@testable import DriveExport

/// SIGKILL of a real `consentgate export` process mid-run on a 20,000-row generated list: no partial folder
/// is ever visible, and the next run completes with no duplicate disclosure in the audit log.
@Suite("Export job crash safety", .serialized)
struct ExportJobCrashTests {
    static var binary: String { ExportHarness.root.appendingPathComponent(".build/debug/consentgate").path }

    /// Where to kill the child: once a staging folder exists (mid-pass), or once the first partner folder is published.
    enum KillPoint: String, CaseIterable { case whileStaging, afterFirstPublish }

    static func generateList(into dir: String) throws -> String {
        try TestSupport.generatedList(at: dir + "/list-20k.csv", rows: 20000, seed: 5)
    }

    /// The hidden staging folders and the visible run folders of the drive.
    static func scan(_ drive: String) -> (staging: [String], runs: [String]) {
        let all = ExportHarness.allEntries(drive)
        return (all.filter { $0.contains("/.") && $0.contains(".partial-") }, all.filter { !$0.contains("/.") })
    }

    @Test("SIGKILL mid-run: no partial folder, and the next run completes without duplicate disclosures",
          arguments: KillPoint.allCases)
    func killAndRecover(_ point: KillPoint) throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary), "build first: swift build --build-tests")
        let scratch = try ExportHarness.tempDir("crash-\(point.rawValue)")  // removed when the test ends
        let dir = scratch.path
        let list = try Self.generateList(into: dir)
        let drive = dir + "/drive"
        let child = try Spawn.start(Self.binary, ["export", "--demo", "--db", dir + "/consentgate.sqlite", "--policy", ExportHarness.shippedPolicy,
                                                  "--trust", ExportHarness.root.appendingPathComponent("keys/trust.yaml").path,
                                                  "--input", list, "--drive", drive, "--quarantine-dir", dir + "/reports", "--lang", "en"],
                                    stdout: .null, stderr: .null)
        let deadline = Date().addingTimeInterval(300)
        var killed = false
        while child.isRunning && Date() < deadline {
            let s = Self.scan(drive)
            if (point == .whileStaging && !s.staging.isEmpty) || (point == .afterFirstPublish && !s.runs.isEmpty) {
                child.kill(SIGKILL)
                killed = true
                break
            }
            usleep(5_000)
        }
        let ended = try child.waitForExit()
        try #require(killed, "the child was killed before it finished")
        #expect(ended.termination.signal != nil, "\(ended.termination)")

        // Nothing half-written is visible: every visible run folder is complete and verifies.
        let afterKill = Self.scan(drive)
        if point == .whileStaging { #expect(afterKill.runs.isEmpty, "\(afterKill.runs)") }
        for run in afterKill.runs {
            #expect(try ExportHarness.opensslVerifies(drive + "/" + run), "\(run) complete")
        }

        // The next run finishes the job.
        let inst = try ExportHarness.open(dir: scratch)
        let summary = try inst.run(list, now: Date())
        #expect(Self.scan(drive).staging.isEmpty, "stale staging folders removed")
        let disclosures = try ExportHarness.disclosures(inst.gate)
        let pairs = disclosures.map { $0.partner + "/" + $0.subject }
        #expect(Set(pairs).count == pairs.count, "no duplicate disclosures")
        // Every (partner, subject) disclosed exactly once over both runs, and each is in exactly one published folder.
        for folder in ["Auslaenderbehoerde", "Jugendamt", "Schulamt"] {
            let partner = folder.lowercased()
            var published: [String] = []
            for run in ExportHarness.runFolders(drive, folder) {
                let path = drive + "/" + folder + "/" + run
                #expect(try ExportHarness.opensslVerifies(path))
                published += try ExportHarness.readPartnerCSV(path + "/registrations.csv").rows.map { $0[0] }
            }
            let logged = disclosures.filter { $0.partner == partner }.map(\.subject)
            #expect(published.sorted() == logged.sorted(), "\(folder): published records = logged disclosures")
            #expect(Set(published).count == published.count, "\(folder): no record published twice")
            #expect(try inst.gate.exportLedger.count(partner: partner) == published.count)
            if folder == "Auslaenderbehoerde" { #expect(published.count == 20_000, "everyone exactly once") }
        }
        #expect(summary.quarantined == 0)
        #expect(!summary.recovered.isEmpty, "the killed run's pending partner runs were handled")
        // A third run has nothing new.
        let again = try inst.run(list, now: Date())
        #expect(again.partners.allSatisfy { $0.records == 0 })
    }

    /// The windows a random kill rarely hits, hit exactly by the `CONSENTGATE_EXPORT_CRASH_AT` hook (audit
    /// batches of 50): between two audit batches (partly logged: the next run logs the rest and publishes),
    /// after the last audit batch (logged, not yet published: the next run publishes the staged folder) and
    /// after publishing (the next run commits the ledger). Either way: each record published once, logged once.
    @Test("crash after logging or after publishing: the next run finishes that partner run, nothing duplicated",
          arguments: ["after-first-batch", "after-audit", "after-publish"])
    func crashAtExactPoint(_ point: String) throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary), "build first: swift build --build-tests")
        let scratch = try ExportHarness.tempDir("crash-\(point)")  // removed when the test ends
        let dir = scratch.path
        let drive = dir + "/drive"
        let child = try Spawn.run(Self.binary, ["export", "--demo", "--db", dir + "/consentgate.sqlite", "--policy", ExportHarness.shippedPolicy,
                                                "--trust", ExportHarness.root.appendingPathComponent("keys/trust.yaml").path,
                                                "--input", ExportHarness.sample, "--drive", drive, "--quarantine-dir", dir + "/reports"],
                                  environment: .inherited(overriding: ["CONSENTGATE_EXPORT_CRASH_AT": point + ":schulamt",
                                                                       "CONSENTGATE_EXPORT_AUDIT_BATCH": "50"]),
                                  stdout: .null, stderr: .null)
        #expect(child.termination == .signalled(SIGKILL))
        let inst = try ExportHarness.open(dir: scratch)
        let loggedBefore = try ExportHarness.disclosures(inst.gate).filter { $0.partner == "schulamt" }.count
        #expect(loggedBefore > 0, "the schulamt disclosures were committed before the kill")
        #expect(ExportHarness.runFolders(drive, "Schulamt").count == (point == "after-publish" ? 1 : 0))
        if point == "after-first-batch" {
            // Killed once the first batch was reported durable; the pipelined append may already have
            // committed the next one (never more), and the run's export-run entry is not there.
            #expect(loggedBefore == 50 || loggedBefore == 100, "first batch (and at most the next) logged: \(loggedBefore)")
            let runs = try inst.gate.auditLog.entries(matching: AuditQuery(kinds: [.exportRun])).compactMap {
                if case .exportRun(let r) = $0.entry.content { return r.partner } else { return nil }
            }
            #expect(!runs.contains("schulamt"), "the killed partner run has no export-run entry yet")
        }
        // What the killed run staged is compact: per record a shape id, a handful of shapes, no entry bytes.
        let ledger = inst.gate.exportLedger
        let pending = try ledger.pendingRuns().filter { $0.partner == "schulamt" }
        try #require(pending.count == 1)
        #expect(pending[0].entryContext?.contains("\"actor\"") == true)
        let shapes = try ledger.pendingShapes(runID: pending[0].runID, partner: "schulamt")
        let staged = try ledger.pendingRecords(runID: pending[0].runID, partner: "schulamt", after: "", limit: 1_000_000)
        #expect(!shapes.isEmpty && shapes.count <= 8, "\(shapes.count) shapes")
        #expect(staged.count >= loggedBefore && staged.allSatisfy { shapes[$0.shape] != nil })
        #expect(try ledger.pendingEntries(runID: pending[0].runID, partner: "schulamt", after: "", limit: 10).isEmpty)

        let summary = try inst.run(ExportHarness.sample, now: Date())
        let expected = point == "after-publish" ? "committed" : "published and committed"
        #expect(summary.recovered.contains { $0.hasSuffix("/schulamt: " + expected) }, "\(summary.recovered)")
        #expect(summary.partners.first { $0.partner == "schulamt" }?.records == 0, "nothing exported twice")
        let runs = ExportHarness.runFolders(drive, "Schulamt")
        try #require(runs.count == 1)
        let folder = drive + "/Schulamt/" + runs[0]
        #expect(try ExportHarness.opensslVerifies(folder))
        let published = try ExportHarness.readPartnerCSV(folder + "/registrations.csv").rows.map { $0[0] }
        let logged = try ExportHarness.disclosures(inst.gate).filter { $0.partner == "schulamt" }.map(\.subject)
        #expect(point == "after-first-batch" ? logged.count > loggedBefore : logged.count == loggedBefore)
        #expect(published.sorted() == logged.sorted())
        let manifest = try ExportHarness.manifest(folder)
        #expect((manifest["audit-checkpoint"] as? String)?.isEmpty == false)
        // The entries logged by the recovery were rebuilt from the compact staged rows exactly as the killed run
        // would have written them: the run's time, actor and run id, the grouped layout; the log verifies.
        let stored = try inst.gate.auditLog.entries(matching: AuditQuery(partner: "schulamt", kinds: [.disclosure]))
        #expect(Set(stored.map(\.entry.time)).count == 1 && Set(stored.map(\.entry.actor)).count == 1)
        #expect(stored.allSatisfy { if case .disclosure(let d) = $0.entry.content { d.layout == .grouped && d.exportRun == runs[0] } else { false } })
        #expect(try inst.gate.auditLog.verify(key: inst.gate.auditVerifierKey()).size == (try inst.gate.auditLog.size()))
        // The run's `export-run` entry counts every record it delivered and carries the run's time, also when the recovery
        // wrote it (a review of processes working at once found "records": 0 and the recovery's time there).
        let exportRuns = try inst.gate.auditLog.entries(matching: AuditQuery(partner: "schulamt", kinds: [.exportRun]))
        try #require(exportRuns.count == 1)
        guard case .exportRun(let record) = exportRuns[0].entry.content else { Issue.record("not an export-run entry"); return }
        #expect(record.records == Int64(published.count), "\(record.records) against \(published.count) published")
        #expect(exportRuns[0].entry.time == stored.first?.entry.time)
    }

    /// A run killed between two audit batches and finished by a run under a changed policy (an upgrade that brings one):
    /// its closing entries name the policy it was decided under, as its disclosures do, not the new one (found in a
    /// review of upgrades).
    @Test func aRecoveryUnderAnotherPolicyNamesTheRunsOwn() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary), "build first: swift build --build-tests")
        let scratch = try ExportHarness.tempDir("crash-policy")
        let dir = scratch.path
        let child = try Spawn.run(Self.binary, ["export", "--demo", "--db", dir + "/consentgate.sqlite", "--policy", ExportHarness.shippedPolicy,
                                                "--trust", ExportHarness.root.appendingPathComponent("keys/trust.yaml").path,
                                                "--input", ExportHarness.sample, "--drive", dir + "/drive", "--quarantine-dir", dir + "/reports"],
                                  environment: .inherited(overriding: ["CONSENTGATE_EXPORT_CRASH_AT": "after-first-batch:schulamt",
                                                                       "CONSENTGATE_EXPORT_AUDIT_BATCH": "50"]),
                                  stdout: .null, stderr: .null)
        #expect(child.termination == .signalled(SIGKILL))
        let inst = try ExportHarness.open(dir: scratch, policy: try ExportHarness.policyWithConsentColumn(in: dir))
        let summary = try inst.run(ExportHarness.sample, now: Date())
        #expect(summary.recovered.contains { $0.hasSuffix("/schulamt: published and committed") }, "\(summary.recovered)")
        let disclosures = try inst.gate.auditLog.entries(matching: AuditQuery(partner: "schulamt", kinds: [.disclosure]))
        let runDigests = Set(disclosures.map(\.entry.policyDigest))
        #expect(runDigests.count == 1 && runDigests.first! != inst.gate.policy.digest, "decided under the shipped policy")
        let exportRuns = try inst.gate.auditLog.entries(matching: AuditQuery(partner: "schulamt", kinds: [.exportRun]))
        #expect(exportRuns.map(\.entry.policyDigest) == [runDigests.first!], "\(exportRuns.map(\.entry.policyDigest))")
    }
}
