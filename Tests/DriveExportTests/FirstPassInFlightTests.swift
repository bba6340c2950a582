#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Gate
import Signing
import Testing
@testable import DriveExport

/// Pass 1 started while the installation opens (`FirstPassInFlight`, what `consentgate export` does): a run takes
/// it only when it was started for the run's own list, mapping file, run time and policy, and then writes exactly
/// what a run that reads the list twice itself writes.
@Suite struct FirstPassInFlightTests {
    /// The published files of a run, by partner folder and file name (run ids and times differ between runs, so the
    /// manifests are compared by their record counts only, through the summary).
    static func publishedCSVs(_ summary: ExportSummary) throws -> [String: Data] {
        var out: [String: Data] = [:]
        for p in summary.partners {
            guard let path = p.path else { continue }
            out[p.folder] = try Data(contentsOf: URL(fileURLWithPath: path + "/registrations.csv"))
        }
        return out
    }

    /// A copy of the sample list in `inst`'s folder, and a head start for a run on it that has finished reading it.
    static func headStartOnCopyOfSample(_ inst: ExportHarness.Installation) throws -> (path: String, options: ExportOptions, started: FirstPassInFlight) {
        let path = inst.dir + "/list.csv"
        try FileManager.default.copyItem(atPath: ExportHarness.sample, toPath: path)
        let options = inst.options(input: path)
        let started = FirstPassInFlight(options: options, policy: inst.gate.policy)
        while !started.isFinished { usleep(1000) }
        return (path, options, started)
    }

    @Test("a run takes the head start made for it and writes what a run without one writes", arguments: ["sample", "messy", "generated"])
    func takenAndSameOutput(list: String) throws {
        let plain = try ExportHarness.open("first-pass-plain")
        defer { plain.remove() }
        let early = try ExportHarness.open("first-pass-early")
        defer { early.remove() }
        let path = try SchoolAgeHouseholdsTests.listPath(list, early)
        let options = early.options(input: path)
        let started = FirstPassInFlight(options: options, policy: early.gate.policy)
        let withHeadStart = try ExportJob(gate: early.gate).run(options, firstPass: started)
        #expect(started.wasTaken)
        let without = try plain.run(path)
        #expect(withHeadStart.rowsRead == without.rowsRead)
        #expect(withHeadStart.quarantined == without.quarantined)
        #expect(withHeadStart.partners.map(\.records) == without.partners.map(\.records))
        #expect(withHeadStart.partners.contains { $0.records > 0 })
        #expect(try Self.publishedCSVs(withHeadStart) == Self.publishedCSVs(without))
        // The Schulamt's guardians come from pass 1's households: the same adults went out.
        #expect(try early.gate.auditLog.size() == plain.gate.auditLog.size())
    }

    @Test("a head start for another list, mapping file or run time is not taken", arguments: ["list", "mapping", "time"])
    func otherOptionsNotTaken(difference: String) throws {
        let inst = try ExportHarness.open("first-pass-other")
        defer { inst.remove() }
        let options = inst.options(input: ExportHarness.sample)
        var other = options
        switch difference {
        case "list": other.input = ExportHarness.messy
        case "mapping": other.mappingFile = TestSupport.fixture("mapping-rhein-sieg.csv")
        default: other.now = options.now.addingTimeInterval(86_400 * 400)   // another school year: other households
        }
        let started = FirstPassInFlight(options: other, policy: inst.gate.policy)
        defer { started.cancel() }
        let summary = try ExportJob(gate: inst.gate).run(options, firstPass: started)
        #expect(!started.wasTaken)
        let reference = try ExportHarness.open("first-pass-reference")
        defer { reference.remove() }
        let expected = try reference.run(ExportHarness.sample)
        #expect(summary.partners.map(\.records) == expected.partners.map(\.records))
        #expect(try Self.publishedCSVs(summary) == Self.publishedCSVs(expected))
    }

    /// A run that waited for another run's lock runs from a later time: a head start of the same day in Germany is still
    /// its pass 1 (pass 1 depends on the time only through that day), one of another day is not.
    @Test("a head start for a later time of the same Berlin day is taken, one for the next day is not", arguments: [
        ("2026-11-25T10:00:00Z", "2026-11-25T10:09:59Z", true),
        ("2026-11-25T22:30:00Z", "2026-11-25T22:59:59Z", true),    // 23:30 and 23:59:59 in Berlin
        ("2026-11-25T22:30:00Z", "2026-11-25T23:00:00Z", false),   // midnight in Berlin: another day
    ])
    func sameDayTaken(started: String, run: String, taken: Bool) throws {
        let inst = try ExportHarness.open("first-pass-same-day")
        defer { inst.remove() }
        let head = FirstPassInFlight(options: inst.options(input: ExportHarness.sample, now: RFC3339.parse(started)!), policy: inst.gate.policy)
        defer { head.cancel() }
        let summary = try ExportJob(gate: inst.gate).run(inst.options(input: ExportHarness.sample, now: RFC3339.parse(run)!), firstPass: head)
        #expect(head.wasTaken == taken)
        #expect(summary.partners.allSatisfy { $0.path != nil })
    }

    /// A run that waited for another run's lock may find a new list saved in place of the one the head start read:
    /// the run reads it itself (the head start is not taken) and exports what the new list holds.
    @Test("a list saved again after the head start read it is read again by the run")
    func listSavedAgainIsReadAgain() throws {
        let inst = try ExportHarness.open("first-pass-saved")
        defer { inst.remove() }
        let (path, options, started) = try Self.headStartOnCopyOfSample(inst)
        // The new list: the same rows without the last twenty.
        // (Split as bytes: the list's CRLF is one Character to Swift.)
        let lines = try Data(contentsOf: URL(fileURLWithPath: path)).split(separator: UInt8(ascii: "\n"))
        let shorter = String(decoding: lines.dropLast(20).joined(separator: [UInt8(ascii: "\n")]) + [UInt8(ascii: "\n")], as: UTF8.self)
        try shorter.write(toFile: path, atomically: true, encoding: .utf8)
        let summary = try ExportJob(gate: inst.gate).run(options, firstPass: started)
        #expect(!started.wasTaken)
        let reference = try ExportHarness.open("first-pass-saved-reference")
        defer { reference.remove() }
        let copy = reference.dir + "/list.csv"
        try shorter.write(toFile: copy, atomically: true, encoding: .utf8)
        let expected = try reference.run(copy)
        #expect(summary.rowsRead == lines.count - 1 - 20)
        #expect(summary.partners.map(\.records) == expected.partners.map(\.records))
        #expect(try Self.publishedCSVs(summary) == Self.publishedCSVs(expected))
    }

    /// A change that keeps the file's size and modification time (bytes edited in place, the time set back) is not
    /// seen by the head start's check; pass 2's digest check still stops the run before anything is logged or published.
    @Test("a list changed in place behind the head start's back stops the run; nothing is logged or published")
    func listChangedInPlace() throws {
        let inst = try ExportHarness.open("first-pass-changed")
        defer { inst.remove() }
        let (path, options, started) = try Self.headStartOnCopyOfSample(inst)
        var before = stat()
        #expect(stat(path, &before) == 0)
        let handle = try #require(FileHandle(forUpdatingAtPath: path))
        var bytes = [UInt8](handle.readDataToEndOfFile())
        let i = try #require(bytes.lastIndex(where: { (0x30...0x39).contains($0) }))
        bytes[i] = 0x30 + (bytes[i] - 0x30 + 1) % 10
        try handle.seek(toOffset: UInt64(i))
        handle.write(Data([bytes[i]]))
        try handle.close()
        // The modification time set back to the nanosecond (FileManager's Date would round it).
        var times = [before.st_atim, before.st_mtim]
        #expect(utimensat(AT_FDCWD, path, &times, 0) == 0)
        let auditBefore = try inst.gate.auditLog.size()
        #expect(throws: ExportJobError.inputChanged(path: path)) { try ExportJob(gate: inst.gate).run(options, firstPass: started) }
        #expect(started.wasTaken)
        #expect(try inst.gate.auditLog.size() == auditBefore, "nothing logged")
        let entries = ExportHarness.allEntries(inst.drive)
        #expect(entries.allSatisfy { $0.split(separator: "/").last?.hasPrefix(".") == true }, "no published folder: \(entries)")
    }

    /// An error of the head start is the run's error at pass 1, after the run's own checks, exactly the error a run
    /// without a head start gives (here: a list with no header line).
    @Test("a head start that failed fails the run with the error the run itself gives")
    func failedHeadStart() throws {
        let inst = try ExportHarness.open("first-pass-failed")
        defer { inst.remove() }
        let empty = inst.dir + "/empty.csv"
        try Data().write(to: URL(fileURLWithPath: empty))
        let options = inst.options(input: empty)
        var plain: (any Error)? = nil
        do { _ = try inst.run(empty) } catch { plain = error }
        let expected = try #require(plain)
        let started = FirstPassInFlight(options: options, policy: inst.gate.policy)
        var withHeadStart: (any Error)? = nil
        do { _ = try ExportJob(gate: inst.gate).run(options, firstPass: started) } catch { withHeadStart = error }
        #expect(started.wasTaken)
        #expect(String(describing: try #require(withHeadStart)) == String(describing: expected))
    }

    /// A list that is missing when the head start begins is left to the run, which reports it itself.
    @Test("a head start for a missing list is not taken; the run reports the missing list")
    func missingList() throws {
        let inst = try ExportHarness.open("first-pass-missing")
        defer { inst.remove() }
        let missing = inst.dir + "/no-such-list.csv"
        let options = inst.options(input: missing)
        let started = FirstPassInFlight(options: options, policy: inst.gate.policy)
        #expect(throws: ExportJobError.inputMissing(path: missing)) { try ExportJob(gate: inst.gate).run(options, firstPass: started) }
        #expect(!started.wasTaken)
    }

    /// `cancel()` (the installation could not be opened) ends the reading at its next 2,000-row mark; the run's own
    /// stop condition (its keys failed) ends the wait for it the same way; and a head start a run does not take stops
    /// too (it would only compete for the cores and show its progress beside the run's own pass 1).
    @Test("a cancelled, failed-over or untaken head start stops reading", arguments: ["cancel", "stop", "untaken"])
    func cancelled(how: String) throws {
        let inst = try ExportHarness.open("first-pass-cancel")
        defer { inst.remove() }
        let path = try TestSupport.generatedList(at: inst.dir + "/big.csv", rows: 40_000, seed: 5)
        let options = inst.options(input: path)
        let started = FirstPassInFlight(options: options, policy: inst.gate.policy)
        struct KeysFailed: Error {}
        switch how {
        case "cancel":
            started.cancel()
        case "stop":
            #expect(throws: KeysFailed.self) { _ = try started.result(for: options, policy: inst.gate.policy, stop: { throw KeysFailed() }) }
        default:
            var other = options
            other.now = options.now.addingTimeInterval(86_400)
            #expect(try started.result(for: other, policy: inst.gate.policy, stop: {}) == nil)
        }
        // The reading ended early: its result is the cancellation.
        #expect(throws: CancellationError.self) { _ = try started.result(for: options, policy: inst.gate.policy, stop: {}) }
    }
}
