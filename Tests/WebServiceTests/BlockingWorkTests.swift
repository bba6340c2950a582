import Foundation
import Testing
@testable import WebService

/// `BlockingWork`: long reads of the audit log (verify, statistics, unindexed filters) and export jobs run on
/// dispatch threads, so more of them at once than there are cores leave the request threads free.
@Suite struct BlockingWorkTests {
    @Test func moreLongReadsThanCoresLeaveTheRequestThreadsFree() async throws {
        let events = AuditPageVerificationTests.Events()
        let readers = max(4, 2 * ProcessInfo.processInfo.activeProcessorCount)
        try await withThrowingTaskGroup(of: Int.self) { group in
            for i in 0..<readers {
                group.addTask {
                    try await BlockingWork.run {
                        Thread.sleep(forTimeInterval: 2)
                        events.add("read \(i)")
                        return i
                    }
                }
            }
            try await Task.sleep(for: .milliseconds(300))
            group.addTask { events.add("probe"); return -1 }
            var results: [Int] = []
            for try await r in group { results.append(r) }
            #expect(results.sorted() == [-1] + Array(0..<readers))
        }
        #expect(events.all.first == "probe", "\(events.all)")
    }

    struct Refused: Error, Equatable {}

    @Test func anErrorReachesTheCaller() async {
        await #expect(throws: Refused.self) { try await BlockingWork.run { () throws -> Int in throw Refused() } }
    }
}
