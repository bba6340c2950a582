import Foundation
import Synchronization
import Gate
import Testing
@testable import DriveExport

/// Pass 1 of the export validates only the rows that can put a household into the school-age set (children
/// aged 6 to 18 with a household); the set must be exactly the one that validating every row gives.
@Suite struct SchoolAgeHouseholdsTests {
    /// The set computed the plain way: every row validated.
    static func reference(_ path: String, plan: ExportPlan, mapping: HeaderMapping) throws -> Set<String> {
        let reader = try RegistrationListReader(path: path, mapping: mapping, schema: plan.schema, now: ExportHarness.now,
                                                alsoRequired: plan.requiredColumns)
        let household = try #require(reader.layout.index(of: ExportPlan.householdField))
        let today = CivilDate(berlinDateOf: ExportHarness.now)
        var set: Set<String> = []
        while let row = try reader.next() {
            guard case .valid(let r) = row, let birth = r.birthDate, (6...18).contains(birth.years(until: today)) else { continue }
            let id = ExportPlan.trimmed(r.values[household])
            if !id.isEmpty { set.insert(id) }
        }
        return set
    }

    /// The list `list` names: a shipped sample, or 3,000 generated rows with many broken ones (duplicate case
    /// ids, bad dates, wrong column counts, …), written into `inst`'s folder.
    static func listPath(_ list: String, _ inst: ExportHarness.Installation) throws -> String {
        guard list == "generated" else { return list == "sample" ? ExportHarness.sample : ExportHarness.messy }
        let r = try TestSupport.run("/usr/bin/env", ["python3", TestSupport.generator, "--rows", "3000", "--bad", "400", "--seed", "11"])
        #expect(r.status == 0)
        let path = inst.dir + "/generated.csv"
        try r.out.write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test("the school-age households equal those of a fully validated pass", arguments: ["sample", "messy", "generated"])
    func sameAsFullValidation(list: String) throws {
        let inst = try ExportHarness.open("pass1")
        defer { inst.remove() }
        let path = try Self.listPath(list, inst)
        let plan = try ExportPlan(policy: inst.gate.policy)
        let mapping = try plan.mapping(file: nil)
        let expected = try Self.reference(path, plan: plan, mapping: mapping)
        let got = try ExportJob.schoolAgeHouseholds(options: inst.options(input: path), plan: plan, mapping: mapping,
                                                    now: ExportHarness.now, totalBytes: 0, progress: nil)
        #expect(got.households == HouseholdSet(expected))
        #expect(!expected.isEmpty)
        #expect(got.inputSHA256 != nil)
    }

    /// Pass 2 is given pass 1's duplicate rows instead of remembering every case id: every row must come out
    /// exactly as a reader that remembers them all gives it (same valid rows, same quarantine reasons).
    @Test("pass 2 with pass 1's duplicate rows validates every row as a full check does", arguments: ["sample", "messy", "generated"])
    func knownDuplicatesGiveTheSameRows(list: String) throws {
        let inst = try ExportHarness.open("dups")
        defer { inst.remove() }
        let path = try Self.listPath(list, inst)
        let plan = try ExportPlan(policy: inst.gate.policy)
        let mapping = try plan.mapping(file: nil)
        func rows(_ reader: RegistrationListReader) throws -> [RegistrationRow] {
            var out: [RegistrationRow] = []
            while let row = try reader.next() { out.append(row) }
            return out
        }
        let full = try RegistrationListReader(path: path, mapping: mapping, schema: plan.schema, now: ExportHarness.now,
                                              alsoRequired: plan.requiredColumns)
        let expected = try rows(full)
        let first = try ExportJob.schoolAgeHouseholds(options: inst.options(input: path), plan: plan, mapping: mapping,
                                                      now: ExportHarness.now, totalBytes: 0, progress: nil)
        let duplicates = try #require(first.duplicateLines)
        #expect(duplicates == full.duplicateLines)
        #expect(duplicates.isEmpty == (list == "sample"), "\(duplicates.count) duplicate rows")
        let second = try RegistrationListReader(path: path, mapping: mapping, schema: plan.schema, now: ExportHarness.now,
                                                alsoRequired: plan.requiredColumns, knownDuplicates: duplicates)
        #expect(try rows(second) == expected)
        #expect(second.quarantinedCount == full.quarantinedCount)
    }

    /// Pass 2 relies on pass 1's duplicate rows only for the bytes pass 1 read: a list saved again between the
    /// passes stops the run before anything is logged or published, and the next run exports it normally.
    @Test("a list that changes between the two passes stops the run; nothing is logged or published")
    func listChangedBetweenPasses() throws {
        let inst = try ExportHarness.open("changed")
        defer { inst.remove() }
        let path = try Self.listPath("generated", inst)
        let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        // Pass 2 reports progress at 2,000 rows, while its reader (chunks of 100 rows, a few ahead) is far from the
        // end: one ASCII digit near the end changes then, in place.
        let changed = Mutex(false)
        let progress: @Sendable (ExportProgress) -> Void = { p in
            guard p.pass == 2, !changed.withLock({ $0 }) else { return }
            changed.withLock { $0 = true }
            guard let handle = FileHandle(forUpdatingAtPath: path) else { return }
            defer { try? handle.close() }
            try? handle.seek(toOffset: UInt64(size - 300))
            var tail = [UInt8](handle.readData(ofLength: 300))
            guard let i = tail.lastIndex(where: { (0x30...0x39).contains($0) }) else { return }
            tail[i] = 0x30 + (tail[i] - 0x30 + 1) % 10
            try? handle.seek(toOffset: UInt64(size - 300))
            handle.write(Data(tail))
        }
        let auditBefore = try inst.gate.auditLog.size()
        var job = ExportJob(gate: inst.gate)
        job.chunkSize = 100
        #expect(throws: ExportJobError.inputChanged(path: path)) { try job.run(inst.options(input: path), progress: progress) }
        #expect(changed.withLock { $0 })
        let entries = ExportHarness.allEntries(inst.drive)
        #expect(entries.allSatisfy { $0.split(separator: "/").last?.hasPrefix(".") == true }, "no published folder: \(entries)")
        #expect(try inst.gate.auditLog.size() == auditBefore, "nothing logged")
        // The stopped run dropped what it staged itself: the next run (the list unchanged now) has nothing to recover
        // and exports everything.
        #expect(try inst.gate.exportLedger.pendingRuns().isEmpty)
        let next = try inst.run(path)
        #expect(next.recoveredRuns.isEmpty, "\(next.recovered)")
        #expect(next.partners.allSatisfy { ($0.records > 0) == ($0.path != nil) })
    }

    /// Pass 1 learns the duplicates only at the end of the list, after a duplicate row was read. A duplicate of a
    /// school-age child's row that names a household of its own must not put it into the set (its row is
    /// quarantined in pass 2; its household's adults must not go to the Schulamt); one that names a household
    /// a valid row also names changes nothing.
    @Test("a duplicate school-age row adds no household of its own", arguments: [true, false])
    func duplicateRowAddsNoHousehold(ownHousehold: Bool) throws {
        let inst = try ExportHarness.open("dup-household")
        defer { inst.remove() }
        let plan = try ExportPlan(policy: inst.gate.policy)
        let mapping = try plan.mapping(file: nil)
        let reader = try CSVRecordReader(path: ExportHarness.sample)
        let header = reader.header
        var rows: [[String]] = []
        while let r = try reader.next() { rows.append(r.cells) }
        let household = try #require(header.firstIndex(of: "Haushalt"))
        let birth = try #require(header.firstIndex(of: "Geburtsdatum"))
        let today = CivilDate(berlinDateOf: ExportHarness.now)
        let child = try #require(rows.first { r in
            CivilDate(parsing: r[birth]).map { (6...18).contains($0.years(until: today)) } == true && !r[household].isEmpty
        })
        var duplicate = child
        if ownHousehold { duplicate[household] = "H-NUR-DUPLIKAT" }
        let lines = ([header] + rows + [duplicate]).map { $0.joined(separator: ";") }
        let path = inst.dir + "/with-duplicate.csv"
        try (lines.joined(separator: "\r\n") + "\r\n").write(toFile: path, atomically: true, encoding: .utf8)

        let expected = try Self.reference(path, plan: plan, mapping: mapping)
        let got = try ExportJob.schoolAgeHouseholds(options: inst.options(input: path), plan: plan, mapping: mapping,
                                                    now: ExportHarness.now, totalBytes: 0, progress: nil)
        #expect(got.households == HouseholdSet(expected))
        #expect(!got.households.contains("H-NUR-DUPLIKAT"))
        #expect(got.households.contains(child[household]))
        #expect(got.duplicateLines == [UInt32(rows.count + 2): UInt32(try #require(rows.firstIndex(of: child)) + 2)])
    }
}
