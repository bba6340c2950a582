import Foundation
import Testing
@testable import WebService

/// `BlockingWork`: long reads of the audit log (verify, statistics, unindexed filters) and export jobs run on
/// dispatch threads of their own, not on the concurrency pool's threads that serve requests, and several at once
/// run side by side.
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
