/// Work that holds its thread for long (a pass over the whole audit log: `verify`, statistics, a filter no index
/// answers; an export job) runs on dispatch threads, not on a thread of Swift's concurrency pool. On two cores that
/// pool has two threads, which serve every request: two long reads at once there stalled every other request (a case
/// manager's referral check, the decisions API) until they were done. The request awaits the result.
enum BlockingWork {
    private static let queue = OffPoolQueue(label: "consentgate.blocking-work", concurrent: true)

    /// Whether the calling code runs on `BlockingWork`'s threads (for tests and assertions).
    static var isCurrent: Bool { queue.isCurrent }

    /// Throws unless the calling code runs on `BlockingWork`'s threads: the first line of a function that reads the
    /// database and must never hold a thread of the concurrency pool (the audit entry's "explain again"). A handler
    /// that calls it directly answers 500 (logged) instead of quietly stalling other requests, and a test can tell.
    static func requireCurrent(_ what: StaticString = #function) throws {
        guard isCurrent else { throw OffThePool(what: "\(what)") }
    }

    /// `requireCurrent` found the work on another thread (a programming error: call it inside `run`).
    struct OffThePool: Error, Equatable, CustomStringConvertible {
        /// The function that was called outside `run`.
        let what: String
        var description: String { "\(what) must run inside BlockingWork.run" }
    }

    /// Runs `work` on a dispatch thread and returns (or rethrows) what it did.
    static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T { try await queue.run(work) }
}
