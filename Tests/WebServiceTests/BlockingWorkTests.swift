import Foundation
import Testing
@testable import WebService

/// `BlockingWork`: short reads and writes a request waits for (an account, a consent, one audit entry) run on dispatch
/// threads, not on the concurrency pool's threads that serve requests, and several that wait (here: sleep) run side by
/// side. Long, CPU-bound work has `LongWork` (`LongWorkTests`).
@Suite struct BlockingWorkTests {
    @Test func workRunsOnItsOwnThreadsNotTheCallers() async throws {
        #expect(!BlockingWork.isCurrent)
        let readers = max(4, 2 * ProcessInfo.processInfo.activeProcessorCount)
        let onOwnThreads = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<readers {
                group.addTask { try await BlockingWork.run { Thread.sleep(forTimeInterval: 0.2); return BlockingWork.isCurrent } }
            }
            var all: [Bool] = []
            for try await r in group { all.append(r) }
            return all
        }
        #expect(onOwnThreads == Array(repeating: true, count: readers))
    }

    struct Refused: Error, Equatable {}

    @Test func anErrorReachesTheCaller() async {
        await #expect(throws: Refused.self) { try await BlockingWork.run { () throws -> Int in throw Refused() } }
    }
}
