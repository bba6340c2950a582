import Foundation
import Testing
@testable import Signing

/// `SecureRandom.bytes` takes counts from 0 to `Int32.max` (what `RAND_bytes` takes): within that range it returns that
/// many bytes; outside it stops the process with a message naming the count, instead of Swift's anonymous trap in the
/// array initializer (negative) or a silently truncated `Int32` conversion trap (too large).
@Suite struct SecureRandomCountTests {
    @Test(arguments: [0, 1, 16, 32, 4096])
    func countsInRangeGiveThatManyBytes(count: Int) throws {
        #expect(try SecureRandom.bytes(count).count == count)
    }

    @Test func twoDrawsDiffer() throws {
        #expect(try SecureRandom.bytes(32) != SecureRandom.bytes(32))
    }

    @Test func aNegativeCountStops() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = try? SecureRandom.bytes(-1)
        }
        let message = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(message.contains("SecureRandom.bytes: count -1 out of range"), "\(message)")
    }

    @Test func aCountAboveInt32MaxStops() async {
        await #expect(processExitsWith: .failure) {
            _ = try? SecureRandom.bytes(Int(Int32.max) + 1)
        }
    }
}
