// Export benchmark: parse + validate + write (four partner CSVs, fingerprints, signed manifests,
// quarantine report) of a generated registration list, against a baseline measured in the same run
// (reading the same file in chunks and hashing it with SHA-256: the I/O floor). Also hidden helper
// modes for the DriveExport tests (`publish-slowly`, `hold-lock`) that need a second process.
//
//   python3 ../shared/tools/gen_registrations.py --rows 100000 --seed 1 > /tmp/reg-100k.csv
//   .build/release/consentgate-bench export pipeline /tmp/reg-100k.csv [--repeat 3]
//   .build/release/consentgate-bench export scale /tmp/reg-10k.csv /tmp/reg-100k.csv /tmp/reg-1m.csv
import ChildProcess
import DriveExport
import Foundation
import PolicyEngine
import Signing
#if canImport(Glibc)
import Glibc
#endif

enum ExportBenchmark {
    static func run(arguments: [String]) async throws {
        switch arguments.first {
        case "pipeline": try pipeline(Array(arguments.dropFirst()))
        case "scale": try scale(Array(arguments.dropFirst()))
        case "publish-slowly": try publishSlowly(Array(arguments.dropFirst()))
        case "hold-lock": try holdLock(Array(arguments.dropFirst()))
        case "job": try ExportJobBenchmark.run(Array(arguments.dropFirst()))
        case "phase":
            // Peak memory of one phase alone: `export phase parse|validate|full FILE`.
            let file = arguments[2]
            let m: (wall: Double, cpu: Double)
            switch arguments[1] {
            case "parse": m = try measure { try parseOnly(file) }
            case "validate": m = try measure { try parseAndValidate(file) }
            default:
                let drive = NSTemporaryDirectory() + "/cg-bench-phase-\(getpid())"
                try FileManager.default.createDirectory(atPath: drive, withIntermediateDirectories: true)
                defer { try? FileManager.default.removeItem(atPath: drive) }
                let key = try PrivateKey.generate()
                m = try measure { _ = try runOnce(file, drive: drive, key: key, runID: "phase") }
            }
            print(String(format: "phase %@ %@: wall %.3f s, CPU %.3f s, peak RSS %d KiB", arguments[1], file, m.wall, m.cpu, peakRSSKiB()))
        default:
            print("usage: consentgate-bench export pipeline FILE [--repeat N] | scale FILE...")
        }
    }

    /// The generator's headers and the field ids the benchmark maps them to.
    static let columns: [(String, String)] = [
        ("Lfd. Nr.", "-"), ("Fall-ID", "case.id"), ("Kommune", "municipality"), ("Familienname", "name.family"),
        ("Vorname", "name.given"), ("Familienname (kyrillisch)", "name.family-cyrillic"),
        ("Vorname (kyrillisch)", "name.given-cyrillic"), ("Geburtsdatum", "birth.date"), ("Geschlecht", "person.sex"),
        ("Staatsangehörigkeit", "person.nationality"), ("Einreisedatum", "residence.entry-date"),
        ("Straße", "address.street"), ("PLZ", "address.postcode"), ("Ort", "address.city"), ("Telefon", "contact.phone"),
        ("E-Mail", "contact.email"), ("Aufenthaltsstatus", "residence.status"), ("Haushalt", "household.id"),
        ("Rolle im Haushalt", "household.role"), ("Unbegleitet minderjährig", "youth.unaccompanied-minor"),
        ("Kita-Bedarf", "youth.kita-need"), ("Zuletzt besuchte Klasse", "school.last-grade"),
        ("Deutschkenntnisse", "language.german"), ("Berufsabschluss", "work.qualification"),
        ("Gesundheitliche Hinweise", "health.notes"), ("Einwilligung Klauseln", "consent.clauses"),
        ("Einwilligung erteilt am", "consent.granted-on"), ("Erfasst von", "intake.case-manager"), ("Erfasst am", "intake.date"),
    ]

    /// Four partner column sets, shaped like the county's export profiles.
    static let partners: [(folder: String, fields: [String])] = [
        ("Auslaenderbehoerde", ["case.id", "name.family", "name.given", "name.family-cyrillic", "name.given-cyrillic", "birth.date",
                                "person.sex", "person.nationality", "residence.entry-date", "address.street", "address.postcode",
                                "address.city", "residence.status"]),
        ("Schulamt", ["case.id", "name.family", "name.given", "birth.date", "address.street", "address.postcode", "address.city",
                      "school.last-grade", "language.german", "household.id"]),
        ("Jugendamt", ["case.id", "name.family", "name.given", "birth.date", "household.id", "household.role",
                       "youth.unaccompanied-minor", "youth.kita-need", "health.notes", "address.city"]),
        ("Jobcenter", ["case.id", "name.family", "name.given", "birth.date", "contact.phone", "contact.email",
                       "work.qualification", "language.german", "address.city"]),
    ]

    static var mapping: HeaderMapping {
        var m = HeaderMapping()
        for (h, f) in columns { m.set(h, to: f == "-" ? .ignored : .field(f)) }
        return m
    }

    /// The shipped policy's municipalities (the bench runs from the package root, as BENCHMARKS.md says).
    static let shippedMunicipalities: Set<String> = {
        do { return try CompiledPolicy.load(directory: URL(fileURLWithPath: "policies/kim-rhein-sieg")).bundle.countyMunicipalities.names }
        catch { fatalError("run the benchmark from the package root (policies/kim-rhein-sieg not readable): \(error)") }
    }()

    static let schema = RegistrationSchema(
        caseIDField: "case.id", birthDateField: "birth.date", municipalityField: "municipality",
        allowedMunicipalities: shippedMunicipalities,
        dateFields: ["residence.entry-date", "consent.granted-on", "intake.date"], postcodeFields: ["address.postcode"])

    /// Peak resident set size of this process (VmHWM), in KiB.
    static func peakRSSKiB() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return -1 }
        for line in text.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            return Int(line.split(separator: " ").dropFirst().first ?? "") ?? -1
        }
        return -1
    }

    static func seconds(_ body: () throws -> Void) rethrows -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    static func median(_ xs: [Double]) -> Double { let s = xs.sorted(); return s[s.count / 2] }

    /// CPU seconds (user + system) this process has used: unlike wall time, not inflated by other
    /// processes competing for the cores.
    static func cpuSeconds() -> Double {
        var u = rusage()
        getrusage(RUSAGE_SELF.rawValue, &u)
        return Double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + Double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6
    }

    /// Wall and CPU seconds of `body`.
    static func measure(_ body: () throws -> Void) rethrows -> (wall: Double, cpu: Double) {
        let c = cpuSeconds()
        let w = try seconds(body)
        return (w, cpuSeconds() - c)
    }

    /// Phase: the CSV reader alone.
    static func parseOnly(_ path: String) throws {
        let reader = try CSVRecordReader(path: path)
        var n = 0
        while let r = try reader.next() { n &+= r.cells.count }
        precondition(n > 0)
    }

    /// Phase: reader plus validation.
    static func parseAndValidate(_ path: String) throws {
        let reader = try RegistrationListReader(path: path, mapping: mapping, schema: schema, now: Date())
        while try reader.next() != nil {}
        precondition(reader.validCount > 0)
    }

    /// Baseline: the file read in 256 KiB chunks and hashed (what any reader must at least do).
    static func baseline(_ path: String) throws -> Double {
        try seconds {
            let source = try FileByteSource(path: path)
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 18, alignment: 16)
            defer { buffer.deallocate() }
            let hasher = SHA256Hasher()
            while true {
                let n = try source.read(into: buffer)
                if n == 0 { break }
                hasher.update(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
            }
            _ = hasher.finalize()
        }
    }

    struct Outcome { var rows = 0, valid = 0, quarantined = 0, written = 0 }

    /// One full run: read, validate, write four partner files with fingerprints, sign and publish them,
    /// write the quarantine report.
    static func runOnce(_ path: String, drive: String, key: PrivateKey, runID: String) throws -> Outcome {
        var outcome = Outcome()
        let reader = try RegistrationListReader(path: path, mapping: mapping, schema: schema, now: Date())
        let lock = try DriveRunLock(drive: drive)
        try PartnerRunStaging.removeStaleStaging(drive: drive, lock: lock)
        let stagings = try partners.map { try PartnerRunStaging(drive: drive, partnerFolder: $0.folder, runID: runID, lock: lock) }
        let writers = try zip(stagings, partners).map { try $0.csvWriter(header: $1.fields) }
        let indexes = partners.map { $0.fields.map { reader.layout.index(of: $0)! } }
        let report = try QuarantineReportWriter(directory: drive, baseName: "quarantine-" + runID, inputName: path)
        var fingerprintBytes = 0
        let fingerprinters = partners.map { RecordFingerprint(fields: $0.fields) }
        while let row = try reader.next() {
            outcome.rows += 1
            switch row {
            case .valid(let record):
                outcome.valid += 1
                for (p, writer) in writers.enumerated() {
                    let cells = indexes[p].map { record.values[$0] }
                    try writer.write(cells)
                    fingerprintBytes &+= fingerprinters[p].of(values: cells).utf8.count
                    outcome.written += 1
                }
            case .quarantined(let entry):
                outcome.quarantined += 1
                try report.add(entry)
            }
        }
        try report.finish()
        let input = Hex.encode(reader.inputSHA256 ?? [])
        for ((staging, writer), partner) in zip(zip(stagings, writers), partners) {
            try staging.add(writer.finish())
            let manifest = ExportManifest(runID: runID, partner: partner.folder.lowercased(), purpose: "benchmark",
                                          policy: .init(id: "bench", version: "1", digest: "sha256:" + input), inputSHA256: input,
                                          createdAt: Date(), files: staging.files, signerKid: key.publicKey.kid,
                                          signerAlgorithm: key.algorithm, auditCheckpoint: nil)
            try staging.publish(manifest: manifest, signingKey: key)
        }
        precondition(fingerprintBytes == outcome.written * 64)
        return outcome
    }

    static func pipeline(_ args: [String]) throws {
        guard let path = args.first else { print("usage: export pipeline FILE [--repeat N]"); return }
        let repeats = args.firstIndex(of: "--repeat").flatMap { Int(args[$0 + 1]) } ?? 3
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        let key = try PrivateKey.generate()
        var base: [Double] = [], full: [Double] = [], fullCPU: [Double] = [], parse: [Double] = [], validate: [Double] = []
        var outcome = Outcome()
        for i in 0..<repeats {
            base.append(try measure { _ = try baseline(path) }.cpu)
            parse.append(try measure { try parseOnly(path) }.cpu)
            validate.append(try measure { try parseAndValidate(path) }.cpu)
            let drive = NSTemporaryDirectory() + "/cg-bench-drive-\(getpid())-\(i)"
            try FileManager.default.createDirectory(atPath: drive, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: drive) }
            let m = try measure { outcome = try runOnce(path, drive: drive, key: key, runID: "bench-\(i)") }
            full.append(m.wall)
            fullCPU.append(m.cpu)
        }
        let b = median(base), f = median(full), fc = median(fullCPU)
        let mb = Double(size) / 1e6
        print(String(format: "file %@: %.1f MB, %d rows (%d valid, %d quarantined), %d partner rows written",
                     path, mb, outcome.rows, outcome.valid, outcome.quarantined, outcome.written))
        print(String(format: "baseline read+SHA-256 (CPU): median %.3f s (%.0f MB/s)", b, mb / b))
        print(String(format: "CSV reader only (CPU): median %.3f s, %.1fx baseline", median(parse), median(parse) / b))
        print(String(format: "reader + validation (CPU): median %.3f s, %.1fx baseline", median(validate), median(validate) / b))
        print(String(format: "full: parse+validate+write 4 partners+fingerprints+sign+publish+report: median wall %.3f s, CPU %.3f s (%.0f rows/s by CPU), %.1fx baseline",
                     f, fc, Double(outcome.rows) / fc, fc / b))
        print("wall runs: \(full.map { String(format: "%.3f", $0) }.joined(separator: " ")) s; CPU runs: \(fullCPU.map { String(format: "%.3f", $0) }.joined(separator: " ")) s")
        print("peak RSS (VmHWM): \(peakRSSKiB()) KiB")
        print("RESULT rows=\(outcome.rows) bytes=\(size) median_s=\(f) cpu_s=\(fc) baseline_s=\(b) hwm_kib=\(peakRSSKiB())")
    }

    /// Runs `pipeline` for each file in its own process (so each peak RSS is its own) and tabulates.
    static func scale(_ files: [String]) throws {
        var results: [(file: String, rows: Int, s: Double, cpu: Double, base: Double, hwm: Int)] = []
        for file in files {
            let text = try Spawn.run("/proc/self/exe", ["export", "pipeline", file, "--repeat", "3"],
                                     stdin: .inherit, stderr: .inherit).stdoutText
            print(text, terminator: "")
            guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("RESULT ") }) else { continue }
            var kv: [String: String] = [:]
            for part in line.split(separator: " ").dropFirst() {
                let pair = part.split(separator: "=", maxSplits: 1)
                if pair.count == 2 { kv[String(pair[0])] = String(pair[1]) }
            }
            results.append((file, Int(kv["rows"]!)!, Double(kv["median_s"]!)!, Double(kv["cpu_s"]!)!, Double(kv["baseline_s"]!)!, Int(kv["hwm_kib"]!)!))
        }
        guard let first = results.first else { return }
        print("\n| rows | median wall (s) | median CPU (s) | CPU µs/row | CPU per row vs first | baseline read+hash CPU (s) | full / baseline | peak RSS (MiB) |")
        print("|---:|---:|---:|---:|---:|---:|---:|---:|")
        let firstPerRow = first.cpu / Double(first.rows)
        for r in results {
            let perRow = r.cpu / Double(r.rows)
            print(String(format: "| %d | %.3f | %.3f | %.2f | %.2f | %.3f | %.0fx | %.1f |", r.rows, r.s, r.cpu, perRow * 1e6, perRow / firstPerRow,
                         r.base, r.cpu / r.base, Double(r.hwm) / 1024))
        }
    }

    /// Test helper: takes the lock on DIR, stages a run for partner `Schulamt` (run id `slow-run`), prints
    /// `STAGING <path>`, then waits SECONDS (default 60) before publishing, so a test can SIGKILL it mid-run.
    static func publishSlowly(_ args: [String]) throws {
        guard let drive = args.first else { print("usage: export publish-slowly DIR [SECONDS]"); exit(2) }
        let wait = args.count > 1 ? Double(args[1]) ?? 60 : 60
        let key = try PrivateKey.generate()
        let lock = try DriveRunLock(drive: drive)
        let staging = try PartnerRunStaging(drive: drive, partnerFolder: "Schulamt", runID: "slow-run", lock: lock)
        let writer = try staging.csvWriter(header: ["Fall-ID", "Familienname"])
        for i in 0..<1000 { try writer.write(["RSK-2022-\(i)", "Шевченко"]) }
        try staging.add(writer.finish())
        FileHandle.standardOutput.write(Data("STAGING \(staging.stagingPath)\n".utf8))
        usleep(UInt32(wait * 1_000_000))
        let manifest = ExportManifest(runID: "slow-run", partner: "schulamt", purpose: "test", policy: .init(id: "t", version: "1", digest: "sha256:00"),
                                      inputSHA256: "00", createdAt: Date(), files: staging.files, signerKid: key.publicKey.kid,
                                      signerAlgorithm: key.algorithm, auditCheckpoint: nil)
        print("PUBLISHED \(try staging.publish(manifest: manifest, signingKey: key))")
    }

    /// Test helper: holds the run lock of DIR for SECONDS, printing `LOCKED` once it has it.
    static func holdLock(_ args: [String]) throws {
        guard let drive = args.first else { print("usage: export hold-lock DIR [SECONDS]"); exit(2) }
        let lock = try DriveRunLock(drive: drive)
        FileHandle.standardOutput.write(Data("LOCKED \(getpid())\n".utf8))
        usleep(UInt32((args.count > 1 ? Double(args[1]) ?? 5 : 5) * 1_000_000))
        lock.release()
    }
}
