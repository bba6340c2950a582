import AuditLog
import ChildProcess
import Dispatch
import Foundation
import Gate
import Signing
import Synchronization
import Testing
@testable import DriveExport

/// Two export runs on one database, each to its own drive: the database's export lock (`DatabaseRunLock`) keeps
/// the second out while the first runs, so its recovery can never drop the first run's pending rows
/// (docs/export.md §6).
@Suite("Export run lock on the database", .serialized)
struct ExportRunLockTests {
    /// A first run held in pass 2 (its rows staged as pending in the ledger, nothing logged yet), on a thread of
    /// its own, with its own `Gate` on the database as a second process would have.
    final class HeldRun: Sendable {
        let inPass2 = DispatchSemaphore(value: 0)
        let resume = DispatchSemaphore(value: 0)
        let done = DispatchSemaphore(value: 0)
        let result = Mutex<Result<ExportSummary, any Error>?>(nil)
        private let held = Mutex(false)

        init(gate: Gate, options: ExportOptions) {
            var small = ExportJob(gate: gate)
            small.chunkSize = 50
            let job = small
            let thread = Thread { [self] in
                let r = Result { try job.run(options, progress: { [self] p in
                    guard p.pass == 2, held.withLock({ h in defer { h = true }; return !h }) else { return }
                    inPass2.signal()
                    resume.wait()
                }) }
                result.withLock { $0 = r }
                inPass2.signal()   // in case the run ended before pass 2
                done.signal()
            }
            thread.start()
        }

        /// Lets the run go on and returns its summary (waiting at most two minutes).
        func finish() throws -> ExportSummary {
            resume.signal()
            try #require(done.wait(timeout: .now() + 120) == .success, "the first run ended")
            return try result.withLock { $0! }.get()
        }
    }

    /// A run on a thread of its own, and its result once `done` is signalled.
    final class BackgroundRun: Sendable {
        let done = DispatchSemaphore(value: 0)
        let result = Mutex<Result<ExportSummary, any Error>?>(nil)

        init(gate: Gate, options: ExportOptions) {
            Thread { [self] in
                let r = Result { try ExportJob(gate: gate).run(options) }
                result.withLock { $0 = r }
                done.signal()
            }.start()
        }

        /// The run's summary (waiting at most two minutes).
        func summary() throws -> ExportSummary {
            try #require(done.wait(timeout: .now() + 120) == .success, "the run ended")
            return try result.withLock { $0! }.get()
        }
    }

    /// Whether a progress callback was ever called.
    final class Flag: Sendable {
        private let value = Mutex(false)
        func set() { value.withLock { $0 = true } }
        var isSet: Bool { value.withLock { $0 } }
    }

    static func secondDrive(_ inst: ExportHarness.Installation) throws -> String {
        let drive = inst.dir + "/drive2"
        try FileManager.default.createDirectory(atPath: drive, withIntermediateDirectories: true)
        return drive
    }

    @Test("a second run on the same database, to another drive, stops at once (exit 5, naming the database) and leaves the first run's pending rows alone")
    func secondRunStops() throws {
        let inst = try ExportHarness.open("samedb")
        defer { inst.remove() }
        let otherGate = try ExportHarness.open(dir: inst.folder).gate
        let first = HeldRun(gate: inst.gate, options: inst.options(input: ExportHarness.sample))
        try #require(first.inPass2.wait(timeout: .now() + 120) == .success)
        let pending = try inst.gate.exportLedger.pendingRuns()
        #expect(!pending.isEmpty, "the first run's rows are staged")

        var second = inst.options(input: ExportHarness.sample)
        second.drive = try Self.secondDrive(inst)
        let error = #expect(throws: DriveExportError.self) { try ExportJob(gate: otherGate).run(second) }
        guard case .databaseRunInProgress(let db, let lockFile, let pid, _, _)? = error else {
            Issue.record("expected databaseRunInProgress, got \(String(describing: error))")
            _ = try? first.finish()
            return
        }
        #expect(db == inst.gate.database.path && lockFile == db + DatabaseRunLock.suffix && pid == getpid())
        #expect(error?.category.exitCode == 5)
        #expect(error?.message(in: .de).contains("arbeitet gerade mit der Datenbank \(db)") == true)
        #expect(error?.message(in: .en).contains("another export run is using the database \(db)") == true)
        #expect(try inst.gate.exportLedger.pendingRuns() == pending, "the second run touched no pending row")
        #expect(ExportHarness.allEntries(second.drive).isEmpty, "nothing on the second drive")

        // The first run completes, with a disclosure for every record it published.
        let summary = try first.finish()
        let published = summary.partners.map(\.records).reduce(0, +)
        #expect(published > 0 && summary.partners.allSatisfy { $0.path != nil })
        #expect(try ExportHarness.disclosures(inst.gate).count == published)
        #expect(try inst.gate.exportLedger.pendingRuns().isEmpty)
    }

    @Test("a second run that may wait starts once the first has ended: no recovery to do, nothing exported twice")
    func secondRunWaits() throws {
        let inst = try ExportHarness.open("samedb-wait")
        defer { inst.remove() }
        let otherGate = try ExportHarness.open(dir: inst.folder).gate
        let first = HeldRun(gate: inst.gate, options: inst.options(input: ExportHarness.sample))
        try #require(first.inPass2.wait(timeout: .now() + 120) == .success)

        var options = inst.options(input: ExportHarness.sample)
        options.drive = try Self.secondDrive(inst)
        options.lockTimeout = 60
        let waiting = BackgroundRun(gate: otherGate, options: options)
        #expect(waiting.done.wait(timeout: .now() + 0.8) == .timedOut, "the second run waits while the first holds the lock")
        let summary = try first.finish()
        let second = try waiting.summary()
        #expect(second.recoveredRuns.isEmpty, "the first run left nothing pending")
        #expect(second.partners.allSatisfy { $0.records == 0 }, "the ledger already holds every record")
        #expect(try ExportHarness.disclosures(inst.gate).count == summary.partners.map(\.records).reduce(0, +))
    }

    @Test("a lock taken with the util-linux flock(1) tool on <database>.export.lock is respected before pass 1")
    func flockTool() throws {
        let inst = try ExportHarness.open("samedb-flock")
        defer { inst.remove() }
        let lockFile = inst.gate.database.path + DatabaseRunLock.suffix
        let p = try Spawn.start("/usr/bin/flock", [lockFile, "-c", "echo held; sleep 2"], stderr: .inherit)
        defer { _ = try? p.waitForExit() }
        #expect(p.waitForStandardOutput(timeout: 60) { $0.contains("\n") }.hasPrefix("held"))
        let progressed = Flag()
        let error = #expect(throws: DriveExportError.self) {
            try ExportJob(gate: inst.gate).run(inst.options(input: ExportHarness.sample), progress: { _ in progressed.set() })
        }
        #expect(error == .databaseRunInProgress(database: inst.gate.database.path, lockFile: lockFile, pid: nil, host: nil, since: nil))
        #expect(error?.message(in: .en).contains("pid unknown") == true)
        #expect(!progressed.isSet)
        #expect(try FileManager.default.contentsOfDirectory(atPath: inst.drive).isEmpty, "not even the drive's lock file")
    }

    /// A run that waited for the database's lock runs from the moment it has it: its run id and its log entries carry
    /// that time, not the time it began to wait (concurrency review, finding 3: with `--wait 600` a disclosure could be
    /// logged up to ten minutes before the data was read, and before entries the other run wrote meanwhile).
    @Test func aRunThatWaitedRunsFromWhenItHasTheLock() throws {
        let inst = try ExportHarness.open("samedb-waited")
        defer { inst.remove() }
        let lockFile = inst.gate.database.path + DatabaseRunLock.suffix
        let p = try Spawn.start("/usr/bin/flock", [lockFile, "-c", "echo held; sleep 2"], stderr: .inherit)
        defer { _ = try? p.waitForExit() }
        #expect(p.waitForStandardOutput(timeout: 60) { $0.contains("\n") }.hasPrefix("held"))
        let began = Date()
        var options = inst.options(input: ExportHarness.sample, now: began)
        options.lockTimeout = 60
        let summary = try ExportJob(gate: inst.gate).run(options)
        let released = try #require(summary.runID.split(separator: "-").first.flatMap { RunIDTime.parse(String($0)) }, "\(summary.runID)")
        #expect(released.timeIntervalSince(began) >= 0.9, "\(summary.runID) named the time the run began to wait")
        let entries = try inst.gate.auditLog.entries(matching: AuditQuery(kinds: [.exportRun]))
        #expect(!entries.isEmpty && entries.allSatisfy { (AuditTime.parse($0.entry.time) ?? .distantPast).timeIntervalSince(began) >= 0.9 }, "\(entries.map(\.entry.time))")
    }

    /// `20261207T005444Z` as a time.
    enum RunIDTime {
        static func parse(_ text: String) -> Date? {
            let b = Array(text)
            guard b.count == 16 else { return nil }
            let iso = "\(String(b[0..<4]))-\(String(b[4..<6]))-\(String(b[6..<8]))T\(String(b[9..<11])):\(String(b[11..<13])):\(String(b[13..<15]))Z"
            return RFC3339.parse(iso)
        }
    }
}
