import Diagnostics
import DriveExport
import Foundation

/// The export runs started over the API, so `GET /v1/exports/{id}` can answer how a run is doing.
/// Shared by all requests, hence an actor; bounded: it keeps the last `capacity` runs (the oldest
/// finished run is forgotten first), so a long-lived server does not grow with every run.
public actor ExportRunRegistry {
    /// Where a run stands.
    public enum State: String, Sendable { case running, succeeded, failed }

    /// One run as the registry knows it.
    public struct Run: Sendable {
        /// The handle (`GET /v1/exports/{id}`).
        public let id: String
        public var state: State
        /// The account that started it.
        public let actor: String
        public let startedAt: Date
        public var finishedAt: Date?
        /// The job's summary, once succeeded.
        public var summary: ExportSummary?
        /// Why it failed, in German and English.
        public var error: LocalizedText?
    }

    /// How many runs are remembered.
    public let capacity: Int
    private var runs: [String: Run] = [:]
    private var order: [String] = []

    public init(capacity: Int = 50) { self.capacity = max(1, capacity) }

    /// Registers a new running run and returns it.
    public func start(actor: String, at now: Date = Date()) -> Run {
        let run = Run(id: UUID().uuidString.lowercased(), state: .running, actor: actor, startedAt: now)
        runs[run.id] = run
        order.append(run.id)
        while order.count > capacity {
            let victim = order.firstIndex { runs[$0]?.state != .running } ?? 0
            runs[order.remove(at: victim)] = nil
        }
        return run
    }

    /// Records how run `id` ended.
    public func finish(_ id: String, result: Result<ExportSummary, any Error>, at now: Date = Date()) {
        guard var run = runs[id] else { return }
        run.finishedAt = now
        switch result {
        case let .success(summary): run.state = .succeeded; run.summary = summary
        case let .failure(error): run.state = .failed; run.error = Self.text(of: error)
        }
        runs[id] = run
    }

    /// The run with handle `id`, if still remembered.
    public func run(_ id: String) -> Run? { runs[id] }

    /// The number of remembered runs.
    public var count: Int { runs.count }

    /// An error's message in both languages.
    static func text(of error: any Error) -> LocalizedText {
        if let e = error as? any UserFacingError { return LocalizedText(de: e.message(in: .de), en: e.message(in: .en)) }
        if let e = error as? WebError { return e.message }
        return LocalizedText(de: "Export fehlgeschlagen: \(error)", en: "export failed: \(error)")
    }
}
