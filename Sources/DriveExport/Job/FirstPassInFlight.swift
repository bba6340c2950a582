import Foundation
import Gate
import PolicyEngine
import Synchronization

/// Pass 1 of an export run (the school-age households and the duplicate rows, `ExportJob.FirstPass`), started
/// on a background thread as soon as the policy is loaded, before the installation's database is opened
/// (`Gate.openForExportRun(policyLoaded:)`). Pass 1 reads only the list and the policy, so it runs while a new
/// database is created and migrated and its `policy-loaded` entry is made durable, time that is mostly spent
/// waiting for the disk.
///
/// The run takes the result instead of reading the list a first time, if it is for the same list, mapping file,
/// run time and policy, and the list's file is still the one the head start began with (same inode, size and
/// modification time: a run that waited for another run's lock may find a new list saved in its place meanwhile);
/// otherwise it runs pass 1 itself (`ExportJob.run(_:progress:firstPass:)`).
///
/// Nothing is written by pass 1, so starting it before the run's locks are taken is safe: pass 2 still checks that
/// it reads the same bytes (the list's SHA-256), and an error of pass 1 (a missing list, a header that cannot be
/// read) is reported when the run reaches pass 1, after the checks that come before it, exactly as without the head
/// start.
public final class FirstPassInFlight: Sendable {
    private let options: ExportOptions
    private let policyDigest: String
    private let listFile: FileIdentity?
    private let result: BackgroundResult<ExportJob.FirstPass>
    private let stopped = Flag()
    private let taken = Flag()

    /// Starts pass 1 of a run with `options` under `policy`. `progress` gets pass 1's progress (every 2,000 rows).
    public init(options: ExportOptions, policy: CompiledPolicy, progress: (@Sendable (ExportProgress) -> Void)? = nil) {
        self.options = options
        policyDigest = policy.digest
        listFile = FileIdentity(path: options.input)
        let stopped = self.stopped
        result = BackgroundResult(label: "consentgate.export.first-pass") {
            try ExportJob.checkReadable(input: options.input)
            let plan = try ExportPlan(policy: policy)
            let mapping = try plan.mapping(file: options.mappingFile)
            let totalBytes = (try? FileManager.default.attributesOfItem(atPath: options.input)[.size] as? Int) ?? 0
            return try ExportJob.schoolAgeHouseholds(options: options, plan: plan, mapping: mapping, now: options.now,
                                                     totalBytes: totalBytes, progress: progress,
                                                     stop: { if stopped.isSet { throw CancellationError() } })
        }
    }

    /// Stops the reading at its next 2,000-row mark (the run did not start, e.g. the database could not be opened).
    public func cancel() { stopped.set() }

    /// Whether pass 1 has ended (with a result or an error), without waiting.
    var isFinished: Bool { result.isFinished(waitingAtMost: 0) }

    /// Whether this head start was taken by a run (for tests).
    var wasTaken: Bool { taken.isSet }

    /// Pass 1's result for a run with `options` under `policy`, waiting for it; nil when it was started for another
    /// list, mapping file, run day (in Germany) or policy, or the list's file is not the one it began with (the run then reads the
    /// list itself, and the head start is stopped so that it neither competes for the cores nor shows its progress).
    /// Rethrows pass 1's error.
    func result(for options: ExportOptions, policy: CompiledPolicy, stop: () throws -> Void) throws -> ExportJob.FirstPass? {
        // Pass 1 depends on the run's time only through its day in Germany (ages, birth dates in the future): a run that
        // waited for another's lock runs from a later time (`ExportJob.run`) and still takes a head start of the same day.
        guard options.input == self.options.input, options.mappingFile == self.options.mappingFile,
              CivilDate(berlinDateOf: options.now) == CivilDate(berlinDateOf: self.options.now),
              policy.digest == policyDigest else { cancel(); return nil }
        guard let listFile, listFile == FileIdentity(path: options.input) else { cancel(); return nil }
        // While waiting, the run's own stop condition (its keys failed) still ends the wait, as it would end its own pass 1.
        while !result.isFinished(waitingAtMost: 0.05) {
            do { try stop() } catch { cancel(); throw error }
        }
        // Saved again while the head start read it: read by the run itself.
        guard listFile == FileIdentity(path: options.input) else { return nil }
        taken.set()
        return try result.value()
    }
}

/// A flag set once, shared between threads.
private final class Flag: Sendable {
    private let value = Atomic<Bool>(false)
    var isSet: Bool { value.load(ordering: .relaxed) }
    func set() { value.store(true, ordering: .relaxed) }
}
