import AuditLog
import ChildProcess
import Foundation
import Gate
import Signing

/// `consentgate-bench audit [--entries N] [--single N] [--batch N] [--big-batch N] [--dir PATH] [--skip-single]`
///
/// Durable appends per second (one at a time, in batches with one `append` call each, and as a pipelined
/// stream of batches through `appendBatches`), `verify` time for N entries, and as the reference SHA-256
/// over the same entry bytes measured in the same run. The database is a real file with WAL and
/// `synchronous = FULL`, like the app's.
enum AuditBenchmark {
    static func run(arguments: [String]) async throws {
        func option(_ name: String, _ fallback: Int) -> Int {
            guard let i = arguments.firstIndex(of: name), i + 1 < arguments.count, let v = Int(arguments[i + 1]) else { return fallback }
            return v
        }
        let total = option("--entries", 1_000_000)
        pageSize = arguments.contains("--page-size") ? option("--page-size", 4096) : nil
        if let pageSize { print("database files created with page_size = \(pageSize) (experiment)") }
        let singles = option("--single", 500)
        let batch = option("--batch", 1000)
        let dirArg = arguments.firstIndex(of: "--dir").map { arguments[$0 + 1] }
        let dir = URL(fileURLWithPath: dirArg ?? FileManager.default.currentDirectoryPath)
            .appendingPathComponent("audit-bench-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        // `--keep`: leave the folder and its databases (for profiling `consentgate audit verify` on them).
        defer { if !arguments.contains("--keep") { try? FileManager.default.removeItem(at: dir) } }

        let signer = try NoteSigner(name: "bench.consentgate/audit", key: PrivateKey.generate())
        let entries = (0..<total).map { n in
            AuditEntry(time: Date(timeIntervalSince1970: 1_764_000_000 + Double(n / 1000)), actor: "export-job", municipality: "Siegburg",
                       policyDigest: "sha256:5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
                       content: .disclosure(DisclosureRecord(partner: ["schulamt", "jobcenter", "jugendamt", "sozialamt"][n % 4],
                           purpose: "school-planning", subject: "RSK-2026-\(String(n / 4).leftPadded(6))",
                           fields: [DisclosedField(field: "name.family", basis: .statute, rule: "school-children", citation: "§ 34 SchulG NRW"),
                                    DisclosedField(field: "name.given", basis: .statute, rule: "school-children", citation: "§ 34 SchulG NRW"),
                                    DisclosedField(field: "birth.date", basis: .statute, rule: "school-children", citation: "§ 34 SchulG NRW")],
                           exportRun: "2026-11-25T10-00-00Z-schulamt")))
        }
        let bytes = entries.map { $0.canonicalBytes() }
        let totalBytes = bytes.reduce(0) { $0 + $1.count }
        print("audit benchmark: \(total) entries, mean entry \(totalBytes / max(total, 1)) bytes, folder \(dir.path)")

        // Reference: SHA-256 of every entry's bytes once (one reused context), three runs, median.
        let sha = SHA256Hasher()
        var shaCPUs: [Double] = []
        let shaTimes = (0..<3).map { _ in
            let cpu0 = cpuSeconds()
            let t = time {
                for b in bytes { sha.reset(); sha.update(b); _ = sha.finalize() }
            }
            shaCPUs.append(cpuSeconds() - cpu0)
            return t
        }
        let shaMedian = median(shaTimes), shaCPU = median(shaCPUs)
        print(String(format: "SHA-256 over the same bytes: median %.3f s wall, %.3f s CPU (%.0f MB/s wall)", shaMedian, shaCPU,
                     Double(totalBytes) / shaMedian / 1e6))

        // The faster of the two ways Signing offers to hash many short messages is the reference.
        let oneShot = SHA256BufferHasher()
        var oneShotCPUs: [Double] = []
        let oneShotTimes = (0..<3).map { _ in
            let cpu0 = cpuSeconds()
            var out = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
            let t = time {
                for b in bytes { b.withUnsafeBytes { buf in withUnsafeMutableBytes(of: &out) { oneShot.hash(buf, into: $0) } } }
            }
            oneShotCPUs.append(cpuSeconds() - cpu0)
            return t
        }
        print(String(format: "SHA-256 over the same bytes, SHA256BufferHasher.hash: median %.3f s wall, %.3f s CPU",
                     median(oneShotTimes), median(oneShotCPUs)))
        let refWall = min(shaMedian, median(oneShotTimes)), refCPU = min(shaCPU, median(oneShotCPUs))

        let canonTime = time { for e in entries.prefix(100_000) { _ = e.canonicalBytes() } }
        print(String(format: "canonical JSON encoding: %.0f entries/s", Double(min(total, 100_000)) / canonTime))

        // One at a time: each append is its own durable transaction with a signed checkpoint.
        let singleStore = try openStore(dir.appendingPathComponent("single.sqlite").path)
        var singleRates: [Double] = []
        for chunk in stride(from: 0, to: arguments.contains("--skip-single") ? 0 : singles, by: 50) {
            let n = min(50, singles - chunk)
            let t = time { for e in entries[chunk..<chunk + n] { _ = try? singleStore.append(e, signer: signer) } }
            singleRates.append(Double(n) / t)
        }
        print(String(format: "durable appends one at a time: median %.0f appends/s over %d appends", median(singleRates), singles))

        // Batches: group commit, one signed checkpoint per batch. Wall time includes waiting for fsync;
        // CPU time (user + system of this process) shows the rate a faster disk would allow.
        func batched(_ size: Int, _ file: String) throws -> (AuditLogStore, Double) {
            let store = try openStore(dir.appendingPathComponent(file).path)
            var rates: [Double] = []
            var cpuTotal = 0.0, wallTotal = 0.0
            for start in stride(from: 0, to: total, by: size) {
                let slice = Array(entries[start..<min(start + size, total)])
                let cpu0 = cpuSeconds()
                let t = try time { _ = try store.append(slice, signer: signer) }
                cpuTotal += cpuSeconds() - cpu0
                wallTotal += t
                rates.append(Double(slice.count) / t)
            }
            print(String(format: "durable appends in batches of %d: median %.0f appends/s wall (overall %.0f/s, %.1f s for %d); %.0f appends per CPU-second",
                         size, median(rates), Double(total) / wallTotal, wallTotal, total, Double(total) / cpuTotal))
            return (store, median(rates))
        }
        let (store, batchRate) = try batched(batch, "batched.sqlite")

        // The same batches as one pipelined stream: each batch is reported (callback) only once durable.
        // Rate per batch = batch size / time between successive durable reports.
        func pipelined(_ size: Int, _ file: String) throws -> Double {
            let pStore = try openStore(dir.appendingPathComponent(file).path)
            var stamps: [Double] = []
            let cpu0 = cpuSeconds()
            let start = DispatchTime.now().uptimeNanoseconds
            func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
            var reported = 0
            let slices = stride(from: 0, to: total, by: size).lazy.map { Array(entries[$0..<min($0 + size, total)]) }
            try pStore.appendBatches(slices, signer: signer) { indices in
                reported += indices.count
                stamps.append(now())
            }
            let cpu = cpuSeconds() - cpu0
            precondition(reported == total, "pipelined append reported \(reported) of \(total)")
            let intervals = zip([0] + stamps, stamps).map { $1 - $0 }
            let rate = Double(size) / median(intervals)
            print(String(format: "durable appends in batches of %d, pipelined (appendBatches): median %.0f appends/s wall (overall %.0f/s, %.1f s for %d); %.0f appends per CPU-second",
                         size, rate, Double(total) / (stamps.last ?? 1), stamps.last ?? 0, total, Double(total) / cpu))
            return rate
        }
        // `--verify-only`: skip the pipelined and big-batch runs (for profiling verify).
        let verifyOnly = arguments.contains("--verify-only")
        let pipelinedRate = verifyOnly ? 0 : try pipelined(batch, "pipelined.sqlite")
        if !verifyOnly, let big = arguments.firstIndex(of: "--big-batch").flatMap({ Int(arguments[$0 + 1]) }) {
            _ = try batched(big, "big-batched.sqlite")
            _ = try pipelined(big, "big-pipelined.sqlite")
        }

        // Verify the whole batched log: three runs, median.
        let key = signer.verifier
        var verifyTimes: [Double] = [], verifyCPU: [Double] = []
        for _ in 0..<(verifyOnly ? 10 : 3) {
            let cpu0 = cpuSeconds()
            verifyTimes.append(try time { _ = try store.verify(key: key) })
            verifyCPU.append(cpuSeconds() - cpu0)
        }
        let verifyMedian = median(verifyTimes)
        print(String(format: "verify %d entries (%d checkpoints): median %.3f s wall (%.3f s CPU) = %.2f× the SHA-256 reference wall, %.2f× its CPU (goal ≤ 2×; reference = the faster of the two hashers)",
                     total, (total + batch - 1) / batch, verifyMedian, median(verifyCPU), verifyMedian / refWall, median(verifyCPU) / refCPU))
        // What `audit verify` runs after the log verified (`StoreChecks`): here no consents, so this is the cost
        // of finding the consent entries among the log's rows, the tables' integrity checks and the schema.
        var storeTimes: [Double] = []
        for _ in 0..<5 { storeTimes.append(try time { let problem = try StoreChecks.problem(in: store.writer); precondition(problem == nil) }) }
        print(String(format: "store checks after verify (consent ledger, erasure notices; no consents stored): median %.3f s wall = %.2f× verify",
                     median(storeTimes), median(storeTimes) / verifyMedian))
        // The machine's load changes within a run; so also pair each verify with a reference hashing pass
        // right before it (the faster hasher) and take the median of the per-pair ratios.
        var wallRatios: [Double] = [], cpuRatios: [Double] = []
        var out = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        for _ in 0..<5 {
            var c0 = cpuSeconds()
            let refT = time { for b in bytes { b.withUnsafeBytes { buf in withUnsafeMutableBytes(of: &out) { oneShot.hash(buf, into: $0) } } } }
            let refC = cpuSeconds() - c0
            c0 = cpuSeconds()
            let vT = try time { _ = try store.verify(key: key) }
            let vC = cpuSeconds() - c0
            wallRatios.append(vT / refT)
            cpuRatios.append(vC / refC)
        }
        print(String(format: "verify vs reference hashed right before it, 5 pairs: median %.2f× wall (pairs %@), %.2f× CPU",
                     median(wallRatios), wallRatios.map { String(format: "%.2f", $0) }.joined(separator: " "), median(cpuRatios)))
        print(String(format: "goal ≥ 250,000 batched appends/s (batches of %d, wall): one append per batch %@; pipelined %@", batch,
                     batchRate >= 250_000 ? "met" : "NOT met", pipelinedRate >= 250_000 ? "met" : "NOT met"))
    }

    /// The app's own database setup (WAL, all migrations). `--page-size N` (an experiment for the lead:
    /// `AppDatabase` owns the setting) creates the file with that page size first, with the stock `sqlite3`.
    static func openStore(_ path: String) throws -> AuditLogStore {
        if let size = pageSize {
            _ = try Spawn.run("/usr/bin/sqlite3", [path, "PRAGMA page_size = \(size); PRAGMA journal_mode = WAL;"],
                              stdin: .inherit, stdout: .null, stderr: .inherit)
        }
        return AuditLogStore(writer: try AppDatabase.open(path: path).writer)
    }

    nonisolated(unsafe) static var pageSize: Int?

    static func time(_ body: () throws -> Void) rethrows -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    /// User + system CPU seconds of this process so far (all threads).
    static func cpuSeconds() -> Double {
        var u = rusage()
        getrusage(RUSAGE_SELF.rawValue, &u)
        return Double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + Double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6
    }

    static func median(_ xs: [Double]) -> Double {
        let s = xs.sorted()
        guard !s.isEmpty else { return 0 }
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }
}

private extension String {
    func leftPadded(_ width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
