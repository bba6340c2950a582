import Dispatch
import Synchronization

/// Lanes for work that keeps a CPU busy for seconds or minutes: an export run or dry run (the whole list), the audit
/// log's verification, statistics, a listing a filter scans for, a proof over the whole tree. Each lane is a serial
/// dispatch queue, so it gets a thread of its own whenever it has work; at most `count` such pieces run at once, and
/// the ones after wait (without holding a thread) in the order they came, at most `waitingLimit` of them: a request
/// beyond that is answered 503 with `Retry-After` at once, rather than held for as long as all before it take.
///
/// Why not `BlockingWork`: that is a concurrent queue, and libdispatch runs only as many CPU-bound items of concurrent
/// queues at once as the machine has cores. On two cores an export run and a DPO's statistics, side by side, held both,
/// and every short read queued behind them (a login's device-cookie check, a consent page, the referral-check page's
/// list of persons) until one was done, for as long as an export of a million rows takes. Serial queues are not
/// limited that way (`Benchmarks/web/dispatch-width.swift` shows both; `LongWorkTests` that short reads run while
/// every lane spins).
final class LongWork: Sendable {
    private let lanes: [OffPoolQueue]
    private let state: Mutex<State>
    /// How many callers may wait for a lane at once (besides the `count` running); one more is refused with 503
    /// (`WebError.longWorkBusy`), so that no account can pile up work without end.
    let waitingLimit: Int

    private struct State {
        /// Lanes without work, the lowest first.
        var free: [Int]
        /// Callers waiting for a lane, the first to come first.
        var waiting: [CheckedContinuation<Int, Never>] = []
        /// Callers admitted (`admit()`) and not yet done: running, waiting, or about to ask for a lane.
        var admitted = 0
    }

    /// A place taken by `admit()`: room for one piece of work, running or waiting. Give it to `run(_:onStart:_:)`
    /// exactly once, or back with `withdraw(_:)`.
    struct Admission: Sendable {
        fileprivate init() {}
    }

    /// `count` lanes (at least one): as many pieces of long work run at once, each on a thread of its own; at most
    /// `waitingLimit` more wait (at least none).
    init(lanes count: Int, waitingLimit: Int = 32) {
        let count = max(1, count)
        lanes = (0..<count).map { OffPoolQueue(label: "consentgate.long-work.\($0)", concurrent: false) }
        state = Mutex(State(free: Array((0..<count).reversed())))
        self.waitingLimit = max(0, waitingLimit)
    }

    /// How many pieces may run at once.
    var count: Int { lanes.count }

    /// How many pieces run now.
    var running: Int { lanes.count - state.withLock { $0.free.count } }

    /// How many callers wait for a lane now.
    var waiting: Int { state.withLock { $0.waiting.count } }

    /// Whether the calling code runs on one of the lanes (for tests and assertions).
    var isCurrent: Bool { lanes.contains { $0.isCurrent } }

    /// Runs `work` on a free lane, once one is free, and returns (or rethrows) what it did; 503 at once
    /// (`WebError.longWorkBusy`) when `waitingLimit` callers wait already.
    func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await run(try admit(), work)
    }

    /// Takes a place for one piece of work, or throws 503 (`WebError.longWorkBusy`) when every lane is taken and
    /// `waitingLimit` callers wait. An export run takes its place before it is registered, so a refused run leaves no
    /// trace, and then runs in the background.
    func admit() throws -> Admission {
        let refused = state.withLock { s -> (running: Int, waiting: Int)? in
            guard s.admitted < lanes.count + waitingLimit else { return (lanes.count - s.free.count, s.waiting.count) }
            s.admitted += 1
            return nil
        }
        if let refused { throw WebError.longWorkBusy(running: refused.running, waiting: refused.waiting) }
        return Admission()
    }

    /// Gives back a place `admit()` took, for work that will not run after all.
    func withdraw(_ admission: Admission) {
        state.withLock { $0.admitted -= 1 }
    }

    /// Runs `work` in the place `admission` took: on a free lane, once one is free; `onStart` first, when the lane is
    /// there (an export run is `queued` until then).
    func run<T: Sendable>(_ admission: Admission, onStart: @Sendable () async -> Void = {},
                          _ work: @escaping @Sendable () throws -> T) async throws -> T {
        let lane = await acquire()
        defer { release(lane) }
        await onStart()
        return try await lanes[lane].run(work)
    }

    private func acquire() async -> Int {
        await withCheckedContinuation { (continuation: CheckedContinuation<Int, Never>) in
            let lane = state.withLock { s -> Int? in
                if let lane = s.free.popLast() { return lane }
                s.waiting.append(continuation)
                return nil
            }
            if let lane { continuation.resume(returning: lane) }
        }
    }

    /// Hands `lane` to the first caller waiting, or marks it free; the caller that had it is done.
    private func release(_ lane: Int) {
        let next = state.withLock { s -> CheckedContinuation<Int, Never>? in
            s.admitted -= 1
            guard !s.waiting.isEmpty else { s.free.append(lane); return nil }
            return s.waiting.removeFirst()
        }
        next?.resume(returning: lane)
    }
}
