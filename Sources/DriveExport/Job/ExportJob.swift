import AuditLog
#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Gate
import PolicyEngine
import Signing

/// The shared-drive export (CONTRACTS §7, docs/export-job.md): from one registration list, per export
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

    /// A job over `gate`'s policy, keys and database.
    public init(gate: Gate) { self.gate = gate }

    /// Runs the export. `progress` is called every 2,000 rows of each pass (1, 2), and after each batch of disclosures
    /// logged for a partner (3: `rows` entries of `totalBytes`).
    ///
    /// Everything that can be checked is checked before the list is read (docs/export.md §6): the list, the
    /// drive, the quarantine folder (never on the drive), the mapping file; in a real run also the database's
    /// and the drive's run locks (taken then and held to the end, so no other run's recovery can touch this
    /// run's pending rows) and the partner folders. The signing keys are decrypted during pass 1 and must be
    /// usable before anything is written (recovery, pass 2). A run that fails after pass 2 began drops the pending
    /// rows of its partners that were not yet being logged, and its quarantine report when it published nothing;
    /// a partner whose logging began keeps its pending rows and its staging folder, which the next run publishes.
    ///
    /// `firstPass` is pass 1 started while the installation opened (`FirstPassInFlight`): its result is taken when it
    /// was started for these options and this policy, and pass 1 is not run again.
    ///
    /// A run that finished or dropped what a killed run left and then fails says so in its error
    /// (`ExportJobError.failedAfterRecovery`): a recovered folder may have been published by it.
    public func run(_ options: ExportOptions, progress: (@Sendable (ExportProgress) -> Void)? = nil,
                    firstPass early: FirstPassInFlight? = nil) throws -> ExportSummary {
        var recovered: [RecoveredRun] = []
        do {
            return try run(options, progress: progress, firstPass: early, recovered: &recovered)
        } catch {
            // Errors the web service answers by their type (503 `audit-log-unavailable`, `signing-key-unavailable`) keep it.
            if recovered.isEmpty || error is AuditSigningUnavailable || error is SigningKeyUnavailable { throw error }
            throw ExportJobError.failedAfterRecovery(recovered: recovered, cause: error)
        }
    }

    /// `run(_:progress:firstPass:)`, which sets `recovered` once the killed runs are finished or dropped.
    private func run(_ options: ExportOptions, progress: (@Sendable (ExportProgress) -> Void)?,
                     firstPass early: FirstPassInFlight?, recovered: inout [RecoveredRun]) throws -> ExportSummary {
        var isDir: ObjCBool = false
        try Self.checkReadable(input: options.input)
        // A dry run checks the drive too: it says what the real run would do, and that run needs the drive.
        guard FileManager.default.fileExists(atPath: options.drive, isDirectory: &isDir), isDir.boolValue else {
            throw ExportJobError.driveMissing(path: options.drive)
        }
        let quarantineDirectory = try Self.quarantineDirectory(options)
        let plan = try ExportPlan(policy: gate.policy)
        // Notices owed to partners whose export profile was removed still go out (to the partner's folder).
        var unprofiled = try ErasureNotices.unprofiled(gate: gate, serving: Set(gate.policy.exports.map(\.partner)))
        let mapping = try plan.mapping(file: options.mappingFile)
        var options = options
        var now = options.now
        let totalBytes = (try? FileManager.default.attributesOfItem(atPath: options.input)[.size] as? Int) ?? 0

        // The run locks: the database's first (its ledger holds every run's pending rows), then the drive's, both
        // within `lockTimeout`; then the partner folders. A dry run writes nothing and takes no lock.
        var lock: DriveLockBox? = nil
        if !options.dryRun {
            let deadline = Date().addingTimeInterval(options.lockTimeout)
            let databaseLock = try DatabaseRunLock(database: gate.database.path, timeout: options.lockTimeout)
            let driveLock = try DriveRunLock(drive: options.drive, timeout: max(0, deadline.timeIntervalSinceNow))
            // A run that waited for another (`--wait`) runs from now: its run id, manifest and log entries say when it read
            // and passed the data, not when it began to wait (up to `--wait` earlier, and before what the other run
            // logged meanwhile: concurrency review, finding 3). Pass 1, if it ran meanwhile, is taken if it was for this day.
            if databaseLock.waited || driveLock.waited {
                options.now = Date()
                now = options.now
            }
            lock = DriveLockBox(database: databaseLock, lock: driveLock)
            try PartnerRunStaging.checkPartnerFolders(drive: options.drive, folders: (plan.partners + unprofiled.plans).map(\.folder))
        }
        defer { withExtendedLifetime(lock) {} }
        // Under the drive's lock: a run started in the same second as the drive's latest run sorts after it.
        var runID = try RunID.make(now: now, after: options.dryRun ? nil
            : RunID.latest(onDrive: options.drive, partnerFolders: (plan.partners + unprofiled.plans).map(\.folder)))

        // The export-signer and audit-log keys (600,000 PBKDF2 rounds each) are awaited on a background queue while
        // pass 1 reads the list: opened with `openForExportRun`, the gate began decrypting both while it opened;
        // otherwise (the web service's runs) they are decrypted there now, on the other core. Pass 1 stops as soon as
        // that failed, and the run waits for the keys before it writes anything.
        let keys = options.dryRun ? nil : BackgroundResult(label: "consentgate.export.keys") { [gate] in
            _ = try gate.auditSigner()   // cached by the gate for the run's appends
            return try exportSigner()
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
        let stopWhenKeysFail = { if let error = keys?.failure { throw error } }
        var firstPass = try early?.result(for: options, policy: gate.policy, stop: stopWhenKeysFail)
            ?? Self.schoolAgeHouseholds(options: options, plan: plan, mapping: mapping, now: now, totalBytes: totalBytes,
                                        progress: progress, stop: stopWhenKeysFail)
        lap("pass 1")
        let signingKey = try keys?.value()
        func exportKey() throws -> PrivateKey { try signingKey ?? exportSigner() }
        // Finish or drop what a killed run left, remove stale staging folders and report files (under both locks).
        var removedReports = 0
        if let lock {
            recovered = try ExportRecovery(gate: gate).finishPending(signingKey: exportKey)
            try PartnerRunStaging.removeStaleStaging(drive: options.drive, lock: lock.lock)
            // A killed run's half-written quarantine report (hidden temporary files with case ids) in the report folder.
            QuarantineReportWriter.removeStale(in: quarantineDirectory)
            // Reports past the retention period the operator set (`--remove-quarantine-reports-after`).
            if let days = options.quarantineRetentionDays {
                removedReports = QuarantineReportFiles.remove(in: quarantineDirectory,
                                                              startedBefore: now.addingTimeInterval(-Double(days) * 86_400), except: runID)
            }
        }
        lap("recovery")

        // The write-ahead log is copied into the database file on a thread of its own, not inside the run's commits.
        let checkpoints = options.dryRun ? nil : BackgroundCheckpoints(database: gate.database, catchUpFrames: Self.walCatchUpFrames)
        defer { checkpoints?.finish() }
        // A larger page cache on the writer connection while the run writes (SQLite allocates it as pages are used).
        let previousCache = options.dryRun || Self.writerCacheKiB <= 0 ? nil : gate.exportLedger.setWriterCache(kibibytes: Self.writerCacheKiB)
        defer { if let previousCache { _ = gate.exportLedger.setWriterCache(pragmaValue: previousCache) } }
        var notices: [String: [DueNotice]] = [:]
        var runs: [PartnerRun] = []
        func plannedRuns() throws {
            notices = try ErasureNotices.due(gate: gate, partners: (plan.partners + unprofiled.plans).map(\.partner))
            runs = try plan.partners.map { p in
                PartnerRun(plan: p, compare: try !options.full && gate.exportLedger.hasCommitted(partner: p.partner),
                           notices: notices[p.partner] ?? [])
            }
        }
        try plannedRuns()
        // Cleaning up after an error from here on (see `dropUnlogged`).
        var writer: ChunkWriter? = nil
        var report: QuarantineReportWriter? = nil
        var logging: Set<Int> = []
        var outcomes: [PartnerOutcome] = []
        var withdrawnDuringRun: Set<String> = []
        var deferred: [DeferredPart] = []

        // Pass 2: validate, record subjects, decide, write. The duplicate rows are those pass 1 found (checked at its
        // end to be of the same bytes), so this pass remembers no case ids.
        func passTwo() throws -> (RegistrationListReader, RunContext) {
            let reader = try RegistrationListReader(path: options.input, mapping: mapping, schema: plan.schema, now: now,
                                                    alsoRequired: plan.requiredColumns, knownDuplicates: firstPass.duplicateLines)
            var context = try RunContext(gate: gate, plan: plan, options: options, runID: runID,
                                         households: firstPass.households, layout: reader.layout)
            writer = context.writer
            // Reading and validating run on a second thread, a chunk ahead of the decisions.
            let chunks = ChunkReader(reader, chunkSize: chunkSize)
            defer { chunks.cancel() }
            var reported = 0
            while true {
                let chunk = try chunks.next()
                if !options.dryRun {
                    for entry in chunk.quarantined {
                        if report == nil {
                            report = try QuarantineReportWriter(directory: quarantineDirectory, baseName: "quarantine-" + runID,
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
            // Before anything is logged or published: pass 2 read the bytes pass 1 did (its duplicates are theirs).
            if let first = firstPass.inputSHA256, first != reader.inputSHA256 {
                throw ExportJobError.inputChanged(path: options.input)
            }
            return (reader, context)
        }

        do {
            // Withdrawals recorded after this mark were not seen by every row's decision (`consentsWithdrawn`).
            var mark = options.dryRun ? 0 : try gate.exportLedger.withdrawalMark()
            var (reader, context) = try passTwo()
            var attempt = 1
            // A consent that records of this run rely on was withdrawn while the run decided: nothing is logged yet, so
            // pass 2 runs again, from now (a withdrawal counts from its time on), with a new run id; what this attempt
            // staged, its staging folders and its quarantine report go. After `decidingAttempts`, the run goes on and
            // each partner's part is checked again before it is logged (below).
            while attempt < Self.decidingAttempts, !options.dryRun {
                let withdrawn = try gate.exportLedger.consentsWithdrawn(after: mark, runID: runID, partners: runs.map(\.plan.partner))
                guard !withdrawn.isEmpty else { break }
                withdrawnDuringRun.formUnion(withdrawn)
                attempt += 1
                for run in runs { run.staging?.discard() }
                // Dropped here, not left to the next run's recovery (which would report a run id no summary named).
                for run in runs where run.context != nil { try gate.exportLedger.drop(runID: runID, partner: run.plan.partner) }
                report?.discard()
                report = nil
                context.households = HouseholdSet()   // one household set at a time, also when pass 1 runs again
                lap("pass 2 (discarded: consents withdrawn meanwhile)")
                let day = CivilDate(berlinDateOf: now)
                options.now = Date()
                now = options.now
                // Notices newly due to partners whose export profile was removed go out in this run too (their folders
                // checked as at the start).
                unprofiled = try ErasureNotices.unprofiled(gate: gate, serving: Set(gate.policy.exports.map(\.partner)))
                let folders = (plan.partners + unprofiled.plans).map(\.folder)
                try PartnerRunStaging.checkPartnerFolders(drive: options.drive, folders: folders)
                runID = try RunID.make(now: now, after: RunID.latest(onDrive: options.drive, partnerFolders: folders))
                if CivilDate(berlinDateOf: now) != day {   // the school-age households are those of the run's day
                    firstPass = FirstPass()
                    firstPass = try Self.schoolAgeHouseholds(options: options, plan: plan, mapping: mapping, now: now,
                                                            totalBytes: totalBytes, progress: progress)
                    lap("pass 1 (again: the run's day changed)")
                }
                try plannedRuns()
                mark = try gate.exportLedger.withdrawalMark()
                (reader, context) = try passTwo()
            }
            // Not needed for logging and publishing: the household set's memory goes back now.
            firstPass.households = HouseholdSet()
            context.households = HouseholdSet()
            try report?.finish()
            lap("pass 2")
            let inputSHA = reader.inputSHA256.map(Hex.encode) ?? ""
            // The notices-only runs (no records: pass 2 decided for the profiles' partners only), for the partners whose
            // notices are still due after recovery (which may have finished an interrupted notices-only run).
            runs += unprofiled.plans.compactMap { p in notices[p.partner].map { PartnerRun(plan: p, compare: false, notices: $0) } }

            var signerKid: String? = nil
            // Per partner: stage, log, publish; then one ledger commit for all published partners (a run killed
            // before it is finished by the next run's recovery: logged and published means committed).
            for i in runs.indices {
                var path: String? = nil
                // Records that rely on a consent withdrawn since they were decided (while the partners before were
                // logged) do not go: the partner's part is dropped, unlogged, and the next run decides it afresh.
                if lock != nil, runs[i].records > 0, !(try gate.exportLedger.consentsWithdrawn(
                    after: mark, runID: runID, partners: [runs[i].plan.partner])).isEmpty {
                    runs[i].staging?.discard()
                    try gate.exportLedger.drop(runID: runID, partner: runs[i].plan.partner)
                    // Nothing exported for it (the table says "deferred"); what was held back is in `deferred`.
                    deferred.append(DeferredPart(partner: runs[i].plan.partner, records: runs[i].records, notices: runs[i].notices.count))
                    let p = runs[i].plan
                    outcomes.append(PartnerOutcome(partner: p.partner, folder: p.folder, purpose: p.purpose, records: 0, notices: 0,
                                                   columns: [], path: nil))
                    continue
                }
                if let lock, runs[i].hasOutput {
                    logging.insert(i)
                    // Logging a long run's disclosures takes a while too: the progress line shows it (pass 3).
                    let (partner, total) = (runs[i].plan.partner, runs[i].records)
                    let logged = progress.map { report in { (n: Int) in
                        report(ExportProgress(pass: 3, rows: n, bytesRead: n, totalBytes: max(1, total), partner: partner))
                    } }
                    let key = try exportKey()
                    signerKid = key.publicKey.kid
                    path = try context.publish(&runs[i], inputSHA256: inputSHA, quarantined: reader.quarantinedCount,
                                               signingKey: key, lock: lock, logged: logged)
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
                do { try gate.exportLedger.commit(runID: runID, partners: published) } catch {
                    throw ExportJobError.ledgerNotCommitted(partners: published, cause: error)
                }
                lap("ledger commit")
            }
            return ExportSummary(runID: runID, dryRun: options.dryRun, rowsRead: reader.validCount + reader.quarantinedCount,
                                 quarantined: reader.quarantinedCount, quarantineReport: report?.csvPath, partners: outcomes,
                                 recoveredRuns: recovered, inputSHA256: inputSHA, phases: phases, checkpoints: checkpoints?.counts,
                                 undeliverableNotices: unprofiled.unknown, notUTF8Rows: reader.notUTF8Count,
                                 earlierQuarantineReports: QuarantineReportFiles.earlier(in: quarantineDirectory, than: runID),
                                 removedQuarantineReports: removedReports, quarantineRetentionDays: options.quarantineRetentionDays,
                                 quarantineDirectory: quarantineDirectory, signerKid: signerKid,
                                 withdrawalsDuringRun: withdrawnDuringRun.count, deferred: deferred)
        } catch {
            if !options.dryRun {
                // A partner whose logging began keeps its staging folder: the next run's recovery publishes it.
                for i in logging { runs[i].staging?.keepForRecovery() }
                dropUnlogged(runID: runID, runs: runs, except: logging, writer: writer)
                if !outcomes.contains(where: { $0.path != nil }) { report?.discard() }
                // Say which partners' data is logged but not yet on the drive, and that the next run delivers it.
                let published = outcomes.filter { $0.path != nil }.map(\.partner)
                let pending = logging.sorted().map { runs[$0].plan.partner }.filter { !published.contains($0) }
                if !pending.isEmpty { throw ExportJobError.deliveryPending(partners: pending, published: published, cause: error) }
            }
            throw error
        }
    }

    /// After an error: the pending rows of this run's partners that were not being logged yet are dropped, so
    /// the next run's recovery has nothing to report about a run that ended with a clean error (their staging
    /// folders remove themselves). A partner whose logging began stays pending: the next run's recovery finishes
    /// it (logged data is always delivered). Waits for the chunk writer first; failures here are left to recovery.
    func dropUnlogged(runID: String, runs: [PartnerRun], except logging: Set<Int>, writer: ChunkWriter?) {
        try? writer?.finish()
        for (i, run) in runs.enumerated() where !logging.contains(i) && run.context != nil {
            try? gate.exportLedger.drop(runID: runID, partner: run.plan.partner)
        }
    }

    /// The run locks, the database's and the drive's, held (in a class, as a lock cannot be copied) until the run ends.
    final class DriveLockBox {
        let database: DatabaseRunLock
        let lock: DriveRunLock
        init(database: consuming DatabaseRunLock, lock: consuming DriveRunLock) { self.database = database; self.lock = lock }
    }

    /// How often pass 2 decides at most when consents its records rely on are withdrawn meanwhile (`run`).
    static let decidingAttempts = 3

    /// The `export-signer` key (decrypted while the installation opened, when it was opened for an export run).
    func exportSigner() throws -> PrivateKey { try gate.currentSigningKey(for: .exportSigner).privateKey }
}
