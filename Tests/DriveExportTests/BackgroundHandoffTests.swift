import Foundation
import Synchronization
import Testing
@testable import DriveExport

/// The producer/consumer hand-over the export job reads chunks and builds audit batches with.
@Suite struct BackgroundHandoffTests {
    struct Failure: Error, Equatable { let after: Int }

    @Test("items arrive in order, then the end (repeatedly nil)", arguments: [1, 2, 5])
    func order(depth: Int) throws {
        let handoff = BackgroundHandoff<Int>(label: "test", depth: depth) { put in
            for i in 0..<1000 { guard put(i) else { return } }
        }
        var got: [Int] = []
        while let i = try handoff.next() { got.append(i) }
        #expect(got == Array(0..<1000))
        #expect(try handoff.next() == nil)
    }

    @Test("a producer error arrives after the items made before it")
    func errorAfterItems() throws {
        let handoff = BackgroundHandoff<Int>(label: "test") { put in
            for i in 0..<3 { _ = put(i) }
            throw Failure(after: 3)
        }
        var got: [Int] = []
        #expect(throws: Failure(after: 3)) {
            while let i = try handoff.next() { got.append(i) }
        }
        #expect(got == [0, 1, 2])
        #expect(try handoff.next() == nil)
    }

    /// Shared counters between the test and the producer thread.
    final class Progress: Sendable {
        let produced = Atomic<Int>(0)
        let finished = Atomic<Bool>(false)
    }

    @Test("a consumer that cancels stops the producer instead of leaving it waiting")
    func consumerGoesAway() async throws {
        let progress = Progress()
        do {
            let handoff = BackgroundHandoff<Int>(label: "test") { put in
                defer { progress.finished.store(true, ordering: .relaxed) }
                var i = 0
                while put(i) { i += 1; progress.produced.add(1, ordering: .relaxed) }
            }
            #expect(try handoff.next() == 0)
            #expect(try handoff.next() == 1)
            handoff.cancel()
        }
        for _ in 0..<300 where !progress.finished.load(ordering: .relaxed) { try await Task.sleep(for: .milliseconds(10)) }
        let finished = progress.finished.load(ordering: .relaxed), produced = progress.produced.load(ordering: .relaxed)
        #expect(finished, "the producer returned")
        #expect(produced < 10, "it stopped instead of running on")
    }

    /// An endless sequence whose iterator says when it is made and when it is released (the producer ended).
    struct Endless: Sequence, Sendable {
        let progress: Progress
        final class Iterator: IteratorProtocol {
            let progress: Progress
            init(_ progress: Progress) { self.progress = progress }
            func next() -> [Int]? { [progress.produced.add(1, ordering: .relaxed).newValue] }
            deinit { progress.finished.store(true, ordering: .relaxed) }
        }
        func makeIterator() -> Iterator { Iterator(progress) }
    }

    @Test("Prefetched yields the base sequence in order, and its producer ends when the iterator is dropped")
    func prefetched() async throws {
        let all = Array(Prefetched((0..<500).map { [$0] }, label: "test"))
        #expect(all == (0..<500).map { [$0] })
        let progress = Progress()
        var iterator: AnyIterator<[Int]>? = Prefetched(Endless(progress: progress), label: "test").makeIterator()
        #expect(iterator?.next() == [1])
        #expect(iterator?.next() == [2])
        iterator = nil   // the consumer goes away: the background producer must end, not wait forever
        for _ in 0..<300 where !progress.finished.load(ordering: .relaxed) { try await Task.sleep(for: .milliseconds(10)) }
        let finished = progress.finished.load(ordering: .relaxed), produced = progress.produced.load(ordering: .relaxed)
        #expect(finished, "the producer returned and released the base iterator")
        #expect(produced <= 5, "it made at most a hand-over ahead")
    }
}

