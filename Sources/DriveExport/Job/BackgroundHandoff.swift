import Dispatch
import Synchronization

/// Runs a producer on its own queue and hands its items to one consumer in order, at most `depth` of them
/// waiting while the producer makes the next: the second core does the producing (reading, building) while
/// the caller consumes, and memory stays bounded. A producer error reaches the consumer after the items made
/// before it. `cancel()` (or the consumer going away, see `Prefetched`) stops a producer waiting to hand over.
final class BackgroundHandoff<Item: Sendable>: @unchecked Sendable {
    /// Hands one item over, waiting while `depth` items wait; false when the consumer is gone (stop producing).
    typealias Put = (Item) -> Bool

    private let queue: DispatchQueue
    private let filled = DispatchSemaphore(value: 0)
    /// Created at 0 and raised to `depth`: libdispatch traps when a semaphore is freed below its initial
    /// value, which happens here when the consumer stops before taking the end.
    private let free = DispatchSemaphore(value: 0)
    /// Items, then nil for the end or a failure.
    private let buffer = Mutex<[Result<Item?, any Error>]>([])
    private let stopped = Atomic<Bool>(false)
    /// Consumer side only: the end was taken.
    private var ended = false

    /// Starts `produce` at once; it calls `put` for each item and returns (or throws) when done.
    init(label: String, depth: Int = 1, produce: @escaping @Sendable (_ put: Put) throws -> Void) {
        queue = DispatchQueue(label: label)
        for _ in 0..<max(1, depth) { free.signal() }
        queue.async { [self] in
            do {
                try produce { item in self.put(.success(item)) }
                _ = put(.success(nil))
            } catch {
                _ = put(.failure(error))
            }
        }
    }

    /// Stops the producer at its next hand-over (it may finish the item in hand).
    func cancel() { stopped.store(true, ordering: .relaxed) }

    private func put(_ item: Result<Item?, any Error>) -> Bool {
        while free.wait(timeout: .now() + .milliseconds(200)) == .timedOut {
            if stopped.load(ordering: .relaxed) { return false }
        }
        if stopped.load(ordering: .relaxed) { return false }
        buffer.withLock { $0.append(item) }
        filled.signal()
        return true
    }

    /// The next item in order, nil after the last; rethrows the producer's error (once, then nil).
    func next() throws -> Item? {
        guard !ended else { return nil }
        filled.wait()
        let item = buffer.withLock { $0.removeFirst() }
        free.signal()
        switch item {
        case .success(let value?): return value
        case .success(nil): ended = true; return nil
        case .failure(let error): ended = true; throw error
        }
    }
}

/// A sequence whose elements are made one ahead on a background queue (`BackgroundHandoff`): the base
/// sequence's iterator runs only there. Iterating ends early when the consumer drops the iterator.
/// Errors must be kept by the base sequence itself (its elements are not throwing).
struct Prefetched<Base: Sequence & Sendable>: Sequence, Sendable where Base.Element: Sendable {
    let base: Base
    let label: String

    init(_ base: Base, label: String) { self.base = base; self.label = label }

    func makeIterator() -> AnyIterator<Base.Element> {
        let box = CancelOnDeinit(BackgroundHandoff<Base.Element>(label: label) { [base] put in
            var iterator = base.makeIterator()
            while let element = iterator.next() { guard put(element) else { return } }
        })
        return AnyIterator { try? box.handoff.next() }
    }

    /// Stops the producer when the last iterator goes away.
    private final class CancelOnDeinit: @unchecked Sendable {
        let handoff: BackgroundHandoff<Base.Element>
        init(_ handoff: BackgroundHandoff<Base.Element>) { self.handoff = handoff }
        deinit { handoff.cancel() }
    }
}
