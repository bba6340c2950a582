/// Short reads and writes of the database that a request waits for (an account, a consent, a login's device cookie,
/// one audit entry, a person's Art. 15 report) run on dispatch threads, not on a thread of Swift's concurrency pool. On
/// two cores that pool has two threads, which serve every request: blocking them stalled every other request (a case
/// manager's referral check, the decisions API). The request awaits the result.
///
/// Work that keeps a CPU busy for seconds (an export run, a pass over the whole audit log) does not belong here but on
/// `LongWork`'s lanes: this is a concurrent queue, and libdispatch runs only as many CPU-bound items of concurrent queues
/// at once as there are cores, so two long ones here held up every short one behind them.
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
