// The full export job (`ExportJob`: two passes, subjects recorded, per-record policy decisions with each
// person's stored consents, ledger, audit batch, signed publication) on a generated list, against the
// I/O-layer pipeline (`export pipeline`: parse + validate + write, no policy, no database) measured in
// the same process as the baseline.
//
//   python3 ../shared/tools/gen_registrations.py --rows 100000 --seed 1 > /tmp/reg-100k.csv
//   .build/release/consentgate-bench export job /tmp/reg-100k.csv [--repeat 3]     # from the package root
//
// Four partners: the shipped bundle's three export profiles plus a Jobcenter profile (consent-based
// columns) added to a temporary copy of the policy, so the consent path is exercised too.
import ChildProcess
import DriveExport
import Foundation
import Gate
import Signing

enum ExportJobBenchmark {
    static func run(_ arguments: [String]) throws {
        guard let file = arguments.first else { print("usage: consentgate-bench export job FILE [--repeat N]"); return }
        let repeats = arguments.firstIndex(of: "--repeat").flatMap { Int(arguments[$0 + 1]) } ?? 3
        let root = FileManager.default.currentDirectoryPath
        var first: [Double] = [], firstCPU: [Double] = [], again: [Double] = [], baseline: [Double] = []
        var records: [String: Int] = [:]
        var peakAfterFirst = 0, peakAfterSecond = 0
        var checkpoints: BackgroundCheckpoints.Counts? = nil, walAfterFirst = 0
        var phases: [String: [Double]] = [:], phaseCPU: [String: [Double]] = [:], phasesAgain: [String: [Double]] = [:], order: [String] = [], againCPU: [Double] = []
        for i in 0..<repeats {
            let dir = NSTemporaryDirectory() + "cg-bench-job-\(getpid())-\(i)"
            try FileManager.default.createDirectory(atPath: dir + "/drive", withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: dir) }
            let policy = try fourPartnerPolicy(root: root, into: dir)
            if let pageSize = ProcessInfo.processInfo.environment["CONSENTGATE_BENCH_PAGE_SIZE"].flatMap(Int.init) {
                // A file with content keeps its page size (AppDatabase sets one only for a new file): to compare sizes.
                _ = try Spawn.run("/usr/bin/sqlite3", [dir + "/db.sqlite", "PRAGMA page_size = \(pageSize); PRAGMA journal_mode = WAL; CREATE TABLE bench_page_size (x);"],
                                  stdin: .inherit, stdout: .null, stderr: .inherit)
            }
            let gate = try Gate.open(GateConfiguration(databasePath: dir + "/db.sqlite", policyDirectory: policy,
                                                       trustFile: root + "/keys/trust.yaml", demoMode: true))
            let options = ExportOptions(input: file, drive: dir + "/drive", quarantineDirectory: dir, actor: "bench")
            var summary: ExportSummary? = nil
            let m = try ExportBenchmark.measure { summary = try ExportJob(gate: gate).run(options) }
            first.append(m.wall); firstCPU.append(m.cpu)
            if i == 0 { peakAfterFirst = ExportBenchmark.peakRSSKiB() / 1024 }
            for p in summary?.partners ?? [] { records[p.partner] = p.records }
            checkpoints = summary?.checkpoints
            let walAttributes = try? FileManager.default.attributesOfItem(atPath: dir + "/db.sqlite-wal")
            walAfterFirst = (walAttributes?[.size] as? Int) ?? 0
            for ph in summary?.phases ?? [] {
                if phases[ph.name] == nil { order.append(ph.name) }
                phases[ph.name, default: []].append(ph.seconds)
                phaseCPU[ph.name, default: []].append(ph.cpuSeconds)
            }
            var second: ExportSummary? = nil
            let n = try ExportBenchmark.measure { second = try ExportJob(gate: gate).run(options) }
            again.append(n.wall); againCPU.append(n.cpu)
            if i == 0 { peakAfterSecond = ExportBenchmark.peakRSSKiB() / 1024 }
            for ph in second?.phases ?? [] { phasesAgain[ph.name, default: []].append(ph.seconds) }
            let key = try PrivateKey.generate()
            let bdrive = dir + "/baseline"
            try FileManager.default.createDirectory(atPath: bdrive, withIntermediateDirectories: true)
            let b = try ExportBenchmark.measure { _ = try ExportBenchmark.runOnce(file, drive: bdrive, key: key, runID: "baseline") }
            baseline.append(b.wall)
        }
        let med = ExportBenchmark.median
        print("export job \(file), \(repeats) runs, fresh database each")
        print("  records per partner: " + records.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        print(String(format: "  first run (everything new):  median wall %.3f s, CPU %.3f s", med(first), med(firstCPU)))
        print("  first run phases (median wall / CPU): " + order.map { "\($0) " + String(format: "%.3f / %.3f s", med(phases[$0]!), med(phaseCPU[$0]!)) }.joined(separator: ", "))
        if let c = checkpoints {
            print("  WAL beside the first run: \(c.background) background checkpoints, \(c.catchUps) catch-ups on the writer, largest WAL \(c.largestWAL) frames; -wal file after the run \(walAfterFirst / 1_048_576) MiB")
        }
        print(String(format: "  second run (nothing new):    median wall %.3f s, CPU %.3f s", med(again), med(againCPU)))
        print("  second run phases (median wall): " + order.compactMap { n in phasesAgain[n].map { "\(n) " + String(format: "%.3f s", med($0)) } }.joined(separator: ", "))
        print(String(format: "  baseline I/O pipeline:       median wall %.3f s  (job / baseline = %.1fx)", med(baseline), med(first) / med(baseline)))
        print("  peak RSS of the process: \(ExportBenchmark.peakRSSKiB() / 1024) MiB (after the first job run \(peakAfterFirst) MiB, after the second \(peakAfterSecond) MiB)")
    }

    /// A copy of the shipped policy with a fourth export profile (Jobcenter, consent-based columns).
    static func fourPartnerPolicy(root: String, into dir: String) throws -> String {
        let target = dir + "/policy"
        try FileManager.default.copyItem(atPath: root + "/policies/kim-rhein-sieg", toPath: target)
        try? FileManager.default.removeItem(atPath: target + "/tests")
        let exports = target + "/exports.yaml"
        let text = try String(contentsOfFile: exports, encoding: .utf8) + """
              jobcenter-vermittlung:
                partner: jobcenter
                purpose: job-placement
                columns: [case.id, name.family, name.given, birth.date, address.city, contact.phone, contact.email]

            """
        try text.write(toFile: exports, atomically: true, encoding: .utf8)
        return target
    }
}
