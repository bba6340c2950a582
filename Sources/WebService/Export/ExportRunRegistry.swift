import Diagnostics
import DriveExport
import Foundation
import Gate
import Logging

/// The export runs started over the API, so `GET /v1/exports/{id}` can answer how a run is doing.
/// Shared by all requests, hence an actor. In memory it keeps the last `capacity` runs (the oldest
/// finished run is forgotten first); with a `store`, every run's start and end are also written to
/// the `export_run` table, and a run no longer in memory (an old one, or one from before a restart) is
/// answered from there. A run is `queued` until a lane for long work is free (`LongWork`), then `running`. Runs still
/// `queued` or `running` when the service starts were cut off by the restart:
/// `init(store:)` marks them failed with that reason, unless an export run holds the database's run lock then (another
/// `serve` process on the same database may be running it). When that write fails (a storage fault at start), the service
/// still starts: the failure is logged at error level, and a status read of such a run answers it as interrupted all the
/// same and tries to record that again (`run(_:)`), so a run of a crashed server is never reported as running forever.
public actor ExportRunRegistry {
    /// Where a run stands: `queued` while it waits for a lane for long work (other export runs, verifications or
    /// statistics of the audit log take them all), then `running`, then `succeeded` or `failed`.
    public enum State: String, Sendable { case queued, running, succeeded, failed }

    /// One run as the registry knows it.
    public struct Run: Sendable {
        /// The handle (`GET /v1/exports/{id}`).
        public let id: String
        /// Where the run stands: from `queued` to `running` to `succeeded` or `failed` (a run cut off by a restart while
        /// it waited goes from `queued` to `failed`).
        public var state: State
        /// The account that started it.
        public let actor: String
        /// When the run was started (the request's time).
        public let startedAt: Date
        /// When the job began work (a lane was free); nil while queued.
        public var beganAt: Date?
        /// When the run ended; nil while it is running.
        public var finishedAt: Date?
        /// The job's summary, once succeeded.
        public var summary: ExportSummary?
        /// Why it failed, in German and English.
        public var error: LocalizedText?
        /// The summary as recorded in the store (a run read back from `export_run`).
        var recordedSummary: ExportJSON.Summary?

        /// Whether the run has ended (succeeded or failed).
        public var isFinished: Bool { state == .succeeded || state == .failed }
    }

    /// The reason given to runs cut off by a restart.
    static let interrupted = LocalizedText(de: "abgebrochen: der Dienst wurde neu gestartet, bevor der Lauf endete",
                                           en: "interrupted: the service restarted before the run ended")

    /// How many runs are remembered.
    public let capacity: Int
    private var runs: [String: Run] = [:]
    private var order: [String] = []

    /// The table runs are also written to (nil: memory only).
    let store: ExportRunStore?
    /// When this registry (this serving process) started: a run the store holds as `running` that started before is
    /// an earlier process's, cut off by its end.
    let startedAt: Date
    /// Where a failure to record interrupted runs is logged.
    let logger: Logger

    /// A registry keeping at most `capacity` runs in memory (at least 1); with a `store`, marks runs left `running` by
    /// an earlier process failed as of `now`. A failure to do so is logged at error level (`logger`) and made good run
    /// by run when one is read (`run(_:)`).
    public init(capacity: Int = 50, store: ExportRunStore? = nil, now: Date = Date(),
                logger: Logger = Logger(label: "consentgate.export-runs")) {
        self.capacity = max(1, capacity)
        self.store = store
        self.startedAt = now
        self.logger = logger
        // Not while an export run holds the database's run lock: that run may be another `serve` process's (on the same
        // database), alive and well; the runs left by a crashed process are then marked when they are read.
        if let store, !Self.exportRunInProgress(database: store.database.path) {
            do { try store.markInterrupted(at: now, de: Self.interrupted.de, en: Self.interrupted.en) } catch {
                Self.logInterruptedNotRecorded(error, run: nil, logger: logger)
            }
        }
    }

    /// Whether an export run (of any process, this one included) holds the run lock of the database at `database`
    /// now (`DatabaseRunLock`, held for a whole run): then a run recorded as `running` may really be running. A lock
    /// file that cannot be opened at all says nothing about runs: false.
    static func exportRunInProgress(database: String) -> Bool {
        do {
            _ = try DatabaseRunLock(database: database, timeout: 0)   // released at once
            return false
        } catch DriveExportError.databaseRunInProgress {
            return true
        } catch {
            return false
        }
    }

    /// Logs that runs of an earlier process could not be marked interrupted (`run`: the one run tried, nil for all).
    static func logInterruptedNotRecorded(_ error: any Error, run: String?, logger: Logger) {
        var metadata: Logger.Metadata = ["error": "\(Self.text(of: error).en)"]
        if let run { metadata["run"] = "\(run)" }
        logger.error("export runs of an earlier process not marked interrupted; answered as interrupted when read, recorded again then",
                     metadata: metadata)
    }

    /// Registers a new run, `queued` (recorded in the store first), and returns it.
    public func start(actor: String, at now: Date = Date()) throws -> Run {
        let run = Run(id: UUID().uuidString.lowercased(), state: .queued, actor: actor, startedAt: now)
        try store?.insert(id: run.id, actor: actor, startedAt: now)
        runs[run.id] = run
        order.append(run.id)
        while order.count > capacity {
            let victim = order.firstIndex { runs[$0]?.isFinished ?? true } ?? 0
            runs[order.remove(at: victim)] = nil
        }
        return run
    }

    /// Records that queued run `id` began work (`running`), in memory and in the store (there also for a run memory no
    /// longer holds). If the store cannot record it, the run is still answered as running from memory, and its end is
    /// recorded as usual.
    public func began(_ id: String, at now: Date = Date()) {
        if var run = runs[id] {
            guard run.state == .queued else { return }
            run.state = .running
            run.beganAt = now
            runs[id] = run
        }
        do { try store?.began(id: id, at: now) } catch {
            logger.error("export run begin not recorded", metadata: ["run": "\(id)", "error": "\(Self.text(of: error).en)"])
        }
    }

    /// Records how run `id` ended.
    public func finish(_ id: String, result: Result<ExportSummary, any Error>, at now: Date = Date()) {
        guard var run = runs[id] else { return }
        run.finishedAt = now
        switch result {
        case let .success(summary): run.state = .succeeded; run.summary = summary
        case let .failure(error):
            run.state = .failed; run.error = Self.text(of: error)
            // For the administrator: why the run failed, with what the job said where the answer keeps fixed words.
            let detail = (error as? WebError)?.logDetail ?? run.error?.en ?? "\(error)"
            logger.error("export run failed", metadata: ["run": "\(id)", "error": "\(detail)"])
        }
        runs[id] = run
        // If this write fails, the run's end is still answered from memory until the next restart,
        // which then reports it as interrupted: never as running forever.
        let summaryJSON = run.summary.flatMap { try? JSONEncoder().encode(ExportJSON.Summary($0)) }.map { String(decoding: $0, as: UTF8.self) }
        do {
            try store?.finish(id: id, succeeded: run.state == .succeeded, at: now, summaryJSON: summaryJSON,
                              errorDE: run.error?.de, errorEN: run.error?.en)
        } catch {
            logger.error("export run's end not stored; after a restart it reads as interrupted",
                         metadata: ["run": "\(id)", "state": "\(run.state.rawValue)", "error": "\(Self.text(of: error).en)"])
        }
    }

    /// The run with handle `id`: from memory, else from the store; nil when unknown.
    public func run(_ id: String) throws -> Run? {
        if let run = runs[id] { return run }
        guard let store, let stored = try store.run(id: id), let state = State(rawValue: stored.state) else { return nil }
        var run = Run(id: stored.id, state: state, actor: stored.actor, startedAt: stored.startedAt, beganAt: stored.beganAt,
                      finishedAt: stored.finishedAt)
        run.recordedSummary = stored.summaryJSON.flatMap { try? JSONDecoder().decode(ExportJSON.Summary.self, from: Data($0.utf8)) }
        if let de = stored.errorDE, let en = stored.errorEN { run.error = LocalizedText(de: de, en: en) }
        // Still queued or running, but started before this process (a millisecond's leeway: stored times are to the millisecond),
        // not one of its own, and no run holds the database's run lock (else it may be another live process's run): the
        // start could not mark it. It is interrupted all the same; recorded now if possible.
        if !run.isFinished, stored.startedAt < startedAt.addingTimeInterval(-0.001),
           !Self.exportRunInProgress(database: store.database.path) {
            run.state = .failed
            run.finishedAt = startedAt
            run.error = Self.interrupted
            do {
                try store.finish(id: id, succeeded: false, at: startedAt, summaryJSON: nil,
                                 errorDE: Self.interrupted.de, errorEN: Self.interrupted.en)
            } catch {
                Self.logInterruptedNotRecorded(error, run: id, logger: logger)
            }
        }
        return run
    }

    /// The most recently started runs, newest first, at most `limit` (the exporter page's list): this process's from
    /// memory, and with a store those of earlier processes (and other `serve` processes on the database) as `run(_:)`
    /// answers them (a run cut off by a restart as interrupted).
    public func recent(limit: Int = 20) throws -> [Run] {
        var ids = Array(order.reversed().prefix(max(0, limit)))
        if let store { ids += try store.recentIDs(limit: limit).filter { runs[$0] == nil } }
        let found = try ids.compactMap { try run($0) }
        return Array(found.sorted { ($0.startedAt, $0.id) > ($1.startedAt, $1.id) }.prefix(max(0, limit)))
    }

    /// The number of remembered runs.
    public var count: Int { runs.count }

    /// An error's message in both languages.
    static func text(of error: any Error) -> LocalizedText {
        if let e = error as? any UserFacingError { return LocalizedText(de: e.message(in: .de), en: e.message(in: .en)) }
        if let e = error as? WebError { return e.message }
        return LocalizedText(de: "Export fehlgeschlagen: \(error)", en: "export failed: \(error)")
    }
}
