import ChildProcess
import Foundation
import Testing

/// Many short launches in a row, the pattern that made Foundation's `Process.run()` crash now and then
/// (swift-corelibs-foundation PR #5472): each must start, capture and reap cleanly.
@Suite struct StabilityTests {
    @Test("200 short launches: every exit status and both captured streams exactly right")
    func manyLaunches() throws {
        for i in 0..<200 {
            let result = try Spawn.run("/bin/sh", ["-c", "echo out $0; echo err $0 >&2; exit $(( $0 % 4 ))", "\(i)"],
                                       stdin: i % 2 == 0 ? .null : .text("x"), timeout: 60)
            try #require(result.termination == .exited(Int32(i % 4)), "launch \(i): \(result)")
            try #require(result.stdoutText == "out \(i)\n" && result.stderrText == "err \(i)\n", "launch \(i): \(result)")
        }
    }
}
