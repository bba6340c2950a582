import Foundation
import Synchronization
import Testing
@testable import DriveExport

/// Logging a run's disclosures is a large part of a long run (about 40 % at 100,000 rows), and the progress line stood
/// still at "100 % export" meanwhile. The job reports it as pass 3, per partner, after each batch on disk.
@Suite("Export progress while the disclosures are logged")
struct LoggingProgressTests {
    final class Seen: Sendable {
        private let all = Mutex<[ExportProgress]>([])
        var callback: @Sendable (ExportProgress) -> Void { { [self] p in all.withLock { $0.append(p) } } }
        var progress: [ExportProgress] { all.withLock { $0 } }
    }

    @Test("pass 3 per published partner, up to its record count, after passes 1 and 2")
    func loggingReported() throws {
        let inst = try ExportHarness.open("logging-progress")
        defer { inst.remove() }
        let seen = Seen()
        let summary = try ExportJob(gate: inst.gate).run(inst.options(input: ExportHarness.sample), progress: seen.callback)
        let published = summary.partners.filter { $0.path != nil }
        #expect(!published.isEmpty)
        for p in published {
            let logged = seen.progress.filter { $0.pass == 3 && $0.partner == p.partner }
            #expect(logged.last?.rows == p.records && logged.last?.totalBytes == p.records, "\(p.partner): \(logged.map(\.rows))")
        }
        let passes = seen.progress.map(\.pass)
        #expect(passes.firstIndex(of: 3).map { i in !passes[i...].contains(2) } == true, "\(passes)")
        // A dry run logs nothing.
        let dry = Seen()
        _ = try ExportJob(gate: inst.gate).run(inst.options(input: ExportHarness.sample, full: true, dryRun: true), progress: dry.callback)
        #expect(!dry.progress.contains { $0.pass == 3 })
    }
}
