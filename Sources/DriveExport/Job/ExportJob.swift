import AuditLog
import Foundation
import Gate
import PolicyEngine
import Signing

/// The shared-drive export (CONTRACTS §7, docs/export.md §11): from one registration list, per export
/// profile of the policy, the records and cells each partner may receive, signed and published
/// atomically, every disclosure in the audit log, nothing exported twice.
///
/// Two streaming passes over the list: the first collects the households with a school-age child (a
/// set of household ids), the second validates, records subjects, decides and writes. Memory holds two
/// chunks of rows (with their ledger fingerprints), the household set and the run's few disclosure shapes.
public struct ExportJob: Sendable {
    /// The installation.
    public let gate: Gate
    /// Rows per batch of subject writes and ledger staging.
    public var chunkSize = 4000

    public init(gate: Gate) { self.gate = gate }

    /// Runs the export. `progress` is called every 2,000 rows of each pass.
    public func run(_ options: ExportOptions, progress: (@Sendable (ExportProgress) -> Void)? = nil) throws -> ExportSummary {
        var isDir: ObjCBool = false
        guard FileManager.default.isReadableFile(atPath: options.input),
              FileManager.default.fileExists(atPath: options.input, isDirectory: &isDir), !isDir.boolValue else {
            throw ExportJobError.inputMissing(path: options.input)
        }
        if !options.dryRun {
            guard FileManager.default.fileExists(atPath: options.drive, isDirectory: &isDir), isDir.boolValue else {
                throw ExportJobError.driveMissing(path: options.drive)
            }
        }
        let plan = try ExportPlan(policy: gate.policy)
        let mapping = try plan.mapping(file: options.mappingFile)
        let now = options.now
        let runID = try RunID.make(now: now)
        let totalBytes = (try? FileManager.default.attributesOfItem(atPath: options.input)[.size] as? Int) ?? 0
        // The export-signer and audit-log keys are decrypted (600,000 PBKDF2 rounds each) on a background queue
        // while pass 1 reads the list on the other core; an error surfaces where the key is first used.
        let exportKey = options.dryRun ? nil : BackgroundResult(label: "consentgate.export.keys") { [gate] in
            _ = try? gate.auditSigner()   // cached by the gate; a failure is reported by the first append
            return try gate.keyRing.signingKey(for: .exportSigner).privateKey
        }
        func signingKey() throws -> PrivateKey {
            guard let exportKey else { return try exportSigner() }
            return try exportKey.value()
        }
        var phases: [PhaseTime] = []
        var clock = Date(), cpu = PhaseTime.processCPU()
        func lap(_ name: String) {
            Self.returnFreedMemory()
            let t = Date(), c = PhaseTime.processCPU()
            phases.append(PhaseTime(name: name, seconds: t.timeIntervalSince(clock), cpuSeconds: c - cpu))
            clock = t; cpu = c
        }

        // Pass 1: households with a child aged 6 to 18 on the run's day, and the duplicate rows.
        var firstPass = try Self.schoolAgeHouseholds(options: options, plan: plan, mapping: mapping, now: now,
                                                      totalBytes: totalBytes, progress: progress)
        lap("pass 1")
        // The drive: lock, finish or drop what a killed run left, remove stale staging folders.
        var lock: DriveLockBox? = nil
        var recovered: [String] = []
        if !options.dryRun {
            let box = DriveLockBox(lock: try DriveRunLock(drive: options.drive, timeout: options.lockTimeout))
            recovered = try ExportRecovery(gate: gate).finishPending(signingKey: signingKey)
            try PartnerRunStaging.removeStaleStaging(drive: options.drive, lock: box.lock)
            lock = box
        }
        lap("recovery")
        defer { withExtendedLifetime(lock) {} }

        // The write-ahead log is copied into the database file on a thread of its own, not inside the run's commits.
        let checkpoints = options.dryRun ? nil : BackgroundCheckpoints(database: gate.database, catchUpFrames: Self.walCatchUpFrames)
        defer { checkpoints?.finish() }
        // A larger page cache on the writer connection while the run writes (SQLite allocates it as pages are used).
        let previousCache = options.dryRun || Self.writerCacheKiB <= 0 ? nil : gate.exportLedger.setWriterCache(kibibytes: Self.writerCacheKiB)
        defer { if let previousCache { _ = gate.exportLedger.setWriterCache(pragmaValue: previousCache) } }
        let notices = try ErasureNotices.due(gate: gate, partners: plan.partners.map(\.partner))
        var runs = try plan.partners.map { p in
            PartnerRun(plan: p, compare: try !options.full && gate.exportLedger.hasCommitted(partner: p.partner),
                       notices: notices[p.partner] ?? [])
        }

        // Pass 2: validate, record subjects, decide, write. The duplicate rows are those pass 1 found (checked below
        // to be of the same bytes), so this pass remembers no case ids.
        let reader = try RegistrationListReader(path: options.input, mapping: mapping, schema: plan.schema, now: now,
                                                alsoRequired: plan.requiredColumns, knownDuplicates: firstPass.duplicateLines)
        var report: QuarantineReportWriter? = nil
        var context = try RunContext(gate: gate, plan: plan, options: options, runID: runID,
                                     households: firstPass.households, layout: reader.layout)
        firstPass.households = HouseholdSet()   // the context holds the one copy, dropped when pass 2 ends
        // Reading and validating run on a second thread, a chunk ahead of the decisions.
        let chunks = ChunkReader(reader, chunkSize: chunkSize)
        defer { chunks.cancel() }
        var reported = 0
        while true {
            let chunk = try chunks.next()
            if !options.dryRun {
                for entry in chunk.quarantined {
                    if report == nil {
                        let dir = options.quarantineDirectory ?? Self.folder(of: options.input)
                        report = try QuarantineReportWriter(directory: dir, baseName: "quarantine-" + runID,
                                                            inputName: (options.input as NSString).lastPathComponent)
                    }
                    try report?.add(entry)
                }
            }
            try context.process(chunk.records, runs: &runs, lock: lock)
            if chunk.rows / 2000 > reported / 2000 || chunk.last {
                reported = chunk.rows
                progress?(ExportProgress(pass: 2, rows: chunk.rows, bytesRead: chunk.bytesRead, totalBytes: totalBytes))
            }
            if chunk.last { break }
        }
        try context.writer.finish()
        context.households = HouseholdSet()   // not needed for logging and publishing: its memory goes back now
        // Before anything is logged or published: pass 2 read the bytes pass 1 did (its duplicates are theirs).
        if let first = firstPass.inputSHA256, first != reader.inputSHA256 {
            throw ExportJobError.inputChanged(path: options.input)
        }
        try report?.finish()
        lap("pass 2")
        let inputSHA = reader.inputSHA256.map(Hex.encode) ?? ""

        // Per partner: stage, log, publish; then one ledger commit for all published partners (a run killed
        // before it is finished by the next run's recovery: logged and published means committed).
        var outcomes: [PartnerOutcome] = []
        for i in runs.indices {
            var path: String? = nil
            if let lock, runs[i].hasOutput {
                path = try context.publish(&runs[i], inputSHA256: inputSHA, quarantined: reader.quarantinedCount,
                                           signingKey: try signingKey(), lock: lock)
                lap("log+publish " + runs[i].plan.partner)
            }
            let p = runs[i].plan
            outcomes.append(PartnerOutcome(partner: p.partner, folder: p.folder, purpose: p.purpose, records: runs[i].records,
                                           notices: runs[i].notices.count,
                                           columns: p.columns.indices.filter { runs[i].releasedColumns[$0] }.map { p.columns[$0] },
                                           path: path))
        }
        let published = outcomes.filter { $0.path != nil }.map(\.partner)
        if !published.isEmpty {
            try gate.exportLedger.commit(runID: runID, partners: published)
            lap("ledger commit")
        }
        return ExportSummary(runID: runID, dryRun: options.dryRun, rowsRead: reader.validCount + reader.quarantinedCount,
                             quarantined: reader.quarantinedCount, quarantineReport: report?.csvPath, partners: outcomes,
                             recovered: recovered, inputSHA256: inputSHA, phases: phases, checkpoints: checkpoints?.counts)
    }

    /// The drive's run lock, held (in a class, as the lock cannot be copied) until the run ends.
    final class DriveLockBox {
        let lock: DriveRunLock
        init(lock: consuming DriveRunLock) { self.lock = lock }
    }

    /// WAL frames after which the background checkpoints catch up on the writer so that the WAL restarts
    /// (`BackgroundCheckpoints`; 4,096 frames are 64 MiB with the database's 16 KiB pages).
    static let walCatchUpFrames = ProcessInfo.processInfo.environment["CONSENTGATE_EXPORT_WAL_FRAMES"].flatMap { Int($0) } ?? 4096
    /// KiB of page cache for the writer connection during a run (`CONSENTGATE_EXPORT_CACHE_KIB`; 0: SQLite's default).
    static let writerCacheKiB = ProcessInfo.processInfo.environment["CONSENTGATE_EXPORT_CACHE_KIB"].flatMap { Int($0) } ?? 0

    /// Hands memory that the phase just ended freed back to the system. glibc keeps freed blocks in its
    /// per-thread heaps, and the phases allocate on different threads (pass 1's case-id table, the audit
    /// batches built on one thread and freed on another), so without this the process's resident memory
    /// ratchets up phase by phase on long lists. Cheap: once per phase.
    static func returnFreedMemory() {
        #if canImport(Glibc)
        if let trim = mallocTrim { _ = trim(0) }
        #endif
    }

    #if canImport(Glibc)
    /// glibc's `malloc_trim` (declared in `malloc.h`, which Swift's Glibc module does not export), looked up once;
    /// nil with another C library.
    static let mallocTrim: (@convention(c) (Int) -> Int32)? = dlsym(nil, "malloc_trim").map {
        unsafeBitCast($0, to: (@convention(c) (Int) -> Int32).self)
    }
    #endif

    /// The `export-signer` key.
    func exportSigner() throws -> PrivateKey { try gate.keyRing.signingKey(for: .exportSigner).privateKey }

    static func folder(of path: String) -> String {
        let dir = (path as NSString).deletingLastPathComponent
        return dir.isEmpty ? "." : dir
    }

    /// What pass 1 found: the ids of households with a valid row of a child aged 6 to 18 (school age) on `now`'s
    /// day, and, when it read the whole list, the duplicate rows and the SHA-256 of the bytes they are of.
    struct FirstPass {
        var households = HouseholdSet()
        var duplicateLines: [UInt32: UInt32]? = nil
        var inputSHA256: [UInt8]? = nil
    }

    /// Pass 1 (see `FirstPass`). The case ids are collected in bounded memory (`DuplicateCaseIDFinder`), so the
    /// duplicate rows are known only at the end: a duplicate row of a school-age child counted its household
    /// while being read. In the rare list where that happened, the households are read once more with the
    /// duplicates known, so the set is exactly that of rows pass 2 accepts.
    static func schoolAgeHouseholds(options: ExportOptions, plan: ExportPlan, mapping: HeaderMapping, now: Date,
                                    totalBytes: Int, progress: (@Sendable (ExportProgress) -> Void)?) throws -> FirstPass {
        let first = try households(options: options, plan: plan, mapping: mapping, now: now, totalBytes: totalBytes,
                                   knownDuplicates: nil, progress: progress)
        guard let counted = first.countedLines, let duplicates = first.pass.duplicateLines,
              duplicates.keys.contains(where: counted.contains) else { return first.pass }
        var again = try households(options: options, plan: plan, mapping: mapping, now: now, totalBytes: totalBytes,
                                   knownDuplicates: duplicates, progress: nil).pass
        guard again.inputSHA256 == first.pass.inputSHA256 else { throw ExportJobError.inputChanged(path: options.input) }
        again.duplicateLines = duplicates
        return again
    }

    /// One read of the list for `schoolAgeHouseholds`: the households, the duplicate rows (collected, or
    /// `knownDuplicates`), the input's SHA-256, and the lines whose row added a household (one bit per line).
    static func households(options: ExportOptions, plan: ExportPlan, mapping: HeaderMapping, now: Date, totalBytes: Int,
                           knownDuplicates: [UInt32: UInt32]?,
                           progress: (@Sendable (ExportProgress) -> Void)?) throws -> (pass: FirstPass, countedLines: LineSet?) {
        let reader = try RegistrationListReader(path: options.input, mapping: mapping, schema: plan.schema, now: now,
                                                alsoRequired: plan.requiredColumns, knownDuplicates: knownDuplicates,
                                                collectingDuplicates: knownDuplicates == nil)
        guard let household = reader.layout.index(of: ExportPlan.householdField) else { return (FirstPass(), nil) }
        let householdColumn = reader.layout.columnIndexes[household]
        let birthColumn = plan.schema.birthDateField.flatMap(reader.layout.index(of:)).map { reader.layout.columnIndexes[$0] }
        let today = CivilDate(utcDateOf: now)
        func schoolAge(_ birth: CivilDate?) -> Bool { birth.map { (6...18).contains($0.years(until: today)) } ?? false }
        var set = HouseholdSet()
        var counted = LineSet()
        var rows = 0
        // Only a school-age child's row with a household can add to the set: the others are read (their case
        // ids still count for the duplicate check) but not validated.
        try reader.forEach(validatingOnly: { raw in
            guard let birthColumn, raw.cells.count > max(householdColumn, birthColumn),
                  !ExportPlan.trimmed(raw.cells[householdColumn]).isEmpty else { return false }
            return schoolAge(CivilDate(parsing: raw.cells[birthColumn]))
        }) { row, bytesRead in
            rows += 1
            if rows % 2000 == 0 {
                progress?(ExportProgress(pass: 1, rows: rows, bytesRead: bytesRead, totalBytes: totalBytes))
            }
            guard case .valid(let r)? = row, schoolAge(r.birthDate) else { return }
            let id = ExportPlan.trimmed(r.values[household])
            if !id.isEmpty {
                set.insert(id)
                counted.insert(UInt32(clamping: r.line))
            }
        }
        let duplicates = try reader.finishDuplicates()
        return (FirstPass(households: set, duplicateLines: duplicates, inputSHA256: reader.inputSHA256), counted)
    }
}
