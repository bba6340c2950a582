import Foundation
import Synchronization
import Testing
@testable import WebService

/// `LongWork`: export runs and passes over the audit log run on lanes of their own, at most `count` at once, and short
/// reads (`BlockingWork`) are served while every lane keeps a CPU busy. (Why the lanes exist: on a concurrent dispatch
/// queue, what `BlockingWork` is and where long work ran before, as many CPU-bound items as there are cores hold up
/// every other item of every concurrent queue; `Benchmarks/web/dispatch-width.swift` shows it in a process of its own:
/// a test here would stall every other test's `BlockingWork` while it ran. With the lanes made concurrent queues,
/// `shortWorkRunsWhileEveryLaneSpins` fails.) Serialized: the spinning lanes take every core for a moment.
@Suite(.serialized) struct LongWorkTests {
    /// Pieces of work that keep a CPU busy until `stop()`.
    final class Spinners: Sendable {
        private let stopped = Atomic<Bool>(false)
        private let startedCount = Atomic<Int>(0)
        var started: Int { startedCount.load(ordering: .acquiring) }

        func spin() {
            startedCount.add(1, ordering: .releasing)
            var x = 0
            while !stopped.load(ordering: .relaxed) { x &+= 1 }
            _ = x
        }

        func stop() { stopped.store(true, ordering: .releasing) }
    }

    /// How long "soon" may take here: 15 minutes where milliseconds are usual. In a full test run the concurrency pool's
    /// two threads are often held by other tests (the command-line tests wait for their child processes on them) for
    /// minutes, and a task of these tests then does not even start: 120 s was once not enough (the one-lane case of
    /// `shortWorkRunsWhileEveryLaneSpins` did not see its spinner start). What a test here tells apart is "soon" from
    /// "not until the lanes are let go", which never comes by itself, so only a broken lane waits this long.
    static let soon: Double = 900

    /// Whether `condition` holds within `seconds`, looking every 10 ms.
    static func eventually(within seconds: Double, _ condition: () -> Bool) async throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            try await Task.sleep(for: .milliseconds(10))
        }
        return condition()
    }

    /// Starts `work` in a task of its own and returns a flag that turns true when it has returned: a stalled piece of
    /// work stalls only that task, never the test.
    static func started(_ work: @escaping @Sendable () async throws -> Void) -> (done: Box, task: Task<Void, any Error>) {
        let done = Box()
        let task = Task { try await work(); done.flag.store(true, ordering: .releasing) }
        return (done, task)
    }

    final class Box: Sendable {
        let flag = Atomic<Bool>(false)
        var value: Bool { flag.load(ordering: .acquiring) }
    }

    @Test(arguments: [1, 2, 4])
    func shortWorkRunsWhileEveryLaneSpins(lanes: Int) async throws {
        let longWork = LongWork(lanes: lanes)
        let spinners = Spinners()
        let spinning = (0..<lanes).map { _ in Task { try await longWork.run { spinners.spin() } } }
        defer { spinners.stop() }
        #expect(try await Self.eventually(within: Self.soon) { spinners.started == lanes }, "every lane runs at once, on a thread of its own")
        let read = Self.started { try await BlockingWork.run { Thread.sleep(forTimeInterval: 0.01) } }
        #expect(try await Self.eventually(within: Self.soon) { read.done.value },
                "a short read waited behind \(lanes) spinning lanes")
        spinners.stop()
        for s in spinning { try await s.value }
        try await read.task.value
    }

    /// What the pieces of `atMostCountRunAtOnceTheRestInOrder` saw.
    final class Seen: Sendable {
        let order = Mutex<[Int]>([])
        let running = Atomic<Int>(0), most = Atomic<Int>(0)
        var started: [Int] { order.withLock { $0 } }

        func begin(_ i: Int) {
            order.withLock { $0.append(i) }
            most.max(running.add(1, ordering: .sequentiallyConsistent).newValue, ordering: .sequentiallyConsistent)
        }

        func end() { running.subtract(1, ordering: .sequentiallyConsistent) }
    }

    @Test func atMostCountRunAtOnceTheRestInOrder() async throws {
        let longWork = LongWork(lanes: 2)
        #expect(longWork.count == 2)
        let release = DispatchSemaphore(value: 0)
        let seen = Seen()
        var tasks: [Task<Int, any Error>] = []
        for i in 0..<6 {
            tasks.append(Task {
                try await longWork.run {
                    seen.begin(i)
                    release.wait()
                    seen.end()
                    return i
                }
            })
            // One after the other, so the order they queue in is known: the first two run, the others wait.
            #expect(try await Self.eventually(within: Self.soon) { i < 2 ? seen.started.count == i + 1 : longWork.waiting == i - 1 })
        }
        try await Task.sleep(for: .milliseconds(200))
        #expect(seen.started == [0, 1], "two lanes: two pieces run, four wait")
        // Let one piece finish at a time: each time the one waiting longest gets the lane.
        for k in 0..<4 {
            release.signal()
            #expect(try await Self.eventually(within: Self.soon) { seen.started.count == 3 + k })
        }
        for _ in 0..<2 { release.signal() }
        for (i, t) in tasks.enumerated() { #expect(try await t.value == i) }
        #expect(seen.started == [0, 1, 2, 3, 4, 5], "the waiting ones ran in the order they came")
        #expect(seen.most.load(ordering: .sequentiallyConsistent) == 2)
        #expect(longWork.waiting == 0)
    }

    struct Refused: Error, Equatable {}

    @Test func runsOnALaneAndHandsBackErrors() async throws {
        let longWork = LongWork(lanes: 2)
        #expect(!longWork.isCurrent)
        #expect(try await longWork.run { longWork.isCurrent && !BlockingWork.isCurrent })
        await #expect(throws: Refused.self) { try await longWork.run { () throws -> Int in throw Refused() } }
        // After an error the lane is free again: both lanes still take work.
        async let a = longWork.run { Thread.sleep(forTimeInterval: 0.05); return 1 }
        async let b = longWork.run { Thread.sleep(forTimeInterval: 0.05); return 2 }
        #expect(try await a + b == 3)
        #expect(LongWork(lanes: 0).count == 1, "at least one lane")
    }

    /// The queue is bounded: with every lane taken and `waitingLimit` callers waiting, one more is refused at once with
    /// 503 `busy` and `Retry-After` (the request was in order; nothing ran), and the places come back when work ends,
    /// whether it returned or threw, or when a place taken for work that will not run is given back.
    @Test func aFullQueueIsRefusedAtOnceAndPlacesComeBack() async throws {
        let longWork = LongWork(lanes: 1, waitingLimit: 2)
        #expect(longWork.waitingLimit == 2)
        let held = DispatchSemaphore(value: 0), holding = Box()
        let holder = Task { try await longWork.run { holding.flag.store(true, ordering: .releasing); held.wait() } }
        #expect(try await Self.eventually(within: Self.soon) { holding.value })
        let waiters = (0..<2).map { i in Task { try await longWork.run { i } } }
        #expect(try await Self.eventually(within: Self.soon) { longWork.waiting == 2 })

        // A third caller: in a task of its own, so that a queue without bound (it would wait) fails the test, not hangs it.
        let ran = Box()
        let ended = Box()
        let third = Task {
            defer { ended.flag.store(true, ordering: .releasing) }
            _ = try await longWork.run { ran.flag.store(true, ordering: .releasing) }
        }
        #expect(try await Self.eventually(within: Self.soon) { ended.value || longWork.waiting > 2 })
        #expect(longWork.waiting == 2, "the third caller queued instead of being refused")
        #expect(throws: WebError.self) { try longWork.admit() }

        held.signal()
        try await holder.value
        for (i, w) in waiters.enumerated() { #expect(try await w.value == i) }
        do {
            try await third.value
            Issue.record("the third caller was not refused")
        } catch let e as WebError {
            #expect(e.status == .serviceUnavailable && e.code == "busy" && e.retryAfterSeconds == 30)
            #expect(e.message.en.contains("1 running, 2 waiting") && e.message.de.contains("1 laufen, 2 warten"), "\(e.message)")
        }
        #expect(!ran.value)
        await #expect(throws: Refused.self) { try await longWork.run { () throws -> Int in throw Refused() } }
        // Every place is free again: one lane and two waiting.
        let places = try (0..<3).map { _ in try longWork.admit() }
        #expect(throws: WebError.self) { try longWork.admit() }
        longWork.withdraw(places[0])
        let another = try longWork.admit()
        for p in [places[1], places[2], another] { #expect(try await longWork.run(p) { 7 } == 7) }
        #expect(longWork.running == 0 && longWork.waiting == 0)
        _ = try (0..<3).map { _ in try longWork.admit() }   // all three again
    }

    /// `onStart` runs once the lane is there, before the work, and not while the caller waits (an export run is
    /// `queued` until then).
    @Test func onStartRunsWhenTheLaneIsThere() async throws {
        let longWork = LongWork(lanes: 1)
        let held = DispatchSemaphore(value: 0), holding = Box()
        let holder = Task { try await longWork.run { holding.flag.store(true, ordering: .releasing); held.wait() } }
        #expect(try await Self.eventually(within: Self.soon) { holding.value })
        let events = Mutex<[String]>([])
        let place = try longWork.admit()
        let waiter = Task {
            try await longWork.run(place, onStart: { events.withLock { $0.append("start") } }) { events.withLock { $0.append("work") } }
        }
        #expect(try await Self.eventually(within: Self.soon) { longWork.waiting == 1 })
        try await Task.sleep(for: .milliseconds(100))
        #expect(events.withLock { $0 }.isEmpty, "started while waiting")
        held.signal()
        try await holder.value
        try await waiter.value
        #expect(events.withLock { $0 } == ["start", "work"])
    }
}
