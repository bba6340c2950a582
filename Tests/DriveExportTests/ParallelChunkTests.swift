import AuditLog
import Foundation
import Gate
import Testing
@testable import DriveExport

/// A chunk is decided in two halves on both cores and merged in order: the files, the logged disclosures and
/// the ledger must be exactly those of deciding every record in one go (small chunks take that path).
@Suite struct ParallelChunkTests {
    struct Outcome: Equatable {
        var csv: [String: [UInt8]] = [:]
        var disclosures: [String] = []
        var records: [String: Int] = [:]
    }

    static func export(_ inst: ExportHarness.Installation, chunkSize: Int, list: String, full: Bool) throws -> Outcome {
        var job = ExportJob(gate: inst.gate)
        job.chunkSize = chunkSize
        let summary = try job.run(inst.options(input: list, full: full))
        var out = Outcome()
        for p in summary.partners {
            out.records[p.partner] = p.records
            guard let path = p.path else { continue }
            out.csv[p.partner] = Array(try Data(contentsOf: URL(fileURLWithPath: path + "/registrations.csv")))
        }
        // Everything of each of this run's disclosures but the run id.
        out.disclosures = try ExportHarness.disclosures(inst.gate).filter { $0.exportRun == summary.runID }.map { d in
            "\(d.partner)|\(d.purpose)|\(d.subject)|" + d.fields.map { "\($0.field):\($0.basis):\($0.rule ?? ""):\($0.consent?.id ?? "")" }.joined(separator: ",")
        }.sorted()
        return out
    }

    @Test("two halves per chunk give the same files and disclosures as one pass in order")
    func halvesEqualOnePass() throws {
        let folder = try ExportHarness.tempDir("parallel-list")  // removed when the test ends
        let dir = folder.path
        let r = try TestSupport.run("/usr/bin/env", ["python3", TestSupport.generator, "--rows", "1200", "--bad", "30", "--seed", "5"])
        #expect(r.status == 0)
        let list = dir + "/list.csv"
        try r.out.write(to: URL(fileURLWithPath: list))
        let inst = try ExportHarness.open(dir: folder, policy: try ExportHarness.policyWithConsentColumn(in: dir))
        let (granted, _) = try ExportHarness.grantListConsents(inst.gate, list: list)
        #expect(granted > 20, "consent-based cells take the slow path of the shape registry")
        let halves = try Self.export(inst, chunkSize: 1100, list: list, full: false)    // ≥ 512: two halves per chunk
        let inOrder = try Self.export(inst, chunkSize: 400, list: list, full: true)     // < 512: one go; everything again
        #expect(halves.records == inOrder.records)
        #expect(halves.csv == inOrder.csv)
        #expect(halves.disclosures == inOrder.disclosures)
        #expect(halves.disclosures.count == halves.records.values.reduce(0, +))
        #expect(halves.csv.count >= 3)
    }
}
