import Dispatch

/// A dispatch queue for work that must not hold a thread of Swift's concurrency pool (on two cores that pool has two
/// threads, and they serve every request), and the means to tell whether code runs on it. `BlockingWork` and
/// `PasswordWork` use one each, `LongWork` one per lane.
struct OffPoolQueue: @unchecked Sendable {
    // `DispatchQueue` is thread-safe; the key is only read after initialisation.
    private let queue: DispatchQueue
    private let key = DispatchSpecificKey<Bool>()

    /// A queue named `label`; `concurrent` lets several pieces of work run at once, else one at a time in order.
    init(label: String, concurrent: Bool) {
        queue = DispatchQueue(label: label, qos: .userInitiated, attributes: concurrent ? .concurrent : [])
        queue.setSpecific(key: key, value: true)
    }

    /// Whether the calling code runs on this queue (for tests and assertions).
    var isCurrent: Bool { DispatchQueue.getSpecific(key: key) == true }

    /// Runs `work` on the queue and returns (or rethrows) what it did; the caller's task waits without holding a thread.
    func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try work() }) }
        }
    }
}
