import Foundation
import Hummingbird
import Testing
@testable import WebService

/// Found by fuzzing (`RequestBodyFuzzTests`, then a scaling probe): the decision body's fast reader checked each new
/// member name against every earlier one, so an object of n members cost n²/2 string comparisons. The 213 KB body in
/// `Fixtures/fuzz/decision-16000-members.json` (four right members, 16,000 unknown ones; within the 256 KiB limit)
/// took 6 s of a core in `FastJSON` before the strict decoder refused it in 0.16 s. Objects of more than
/// `FastJSON.maxMembers` members now go to the strict decoder at once.
@Suite struct DecisionBodyMemberCountTests {
    static let manyMembers: [UInt8] = {
        let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.appendingPathComponent("fuzz/decision-16000-members.json")
        return Array((try? Data(contentsOf: url)) ?? Data())
    }()

    @Test func manyMembersAreRefusedQuicklyNamingTheFirstUnknownField() throws {
        #expect(Self.manyMembers.count > 200_000)
        // The fast reader gives up at its 17th member (`theFastPathStopsAfterMaxMembers`) instead of comparing 16,000
        // names with each other; no wall-clock limit here (a timed test fails on a busy machine, not on the defect).
        #expect(Self.manyMembers.withUnsafeBytes { FastJSON.parse($0) } == nil)
        let error = try #require(throws: WebError.self) {
            try RequestBodyReader.decodeJSON(DecisionRoutes.RequestJSON.self, body: ByteBuffer(bytes: Self.manyMembers),
                                             fastPath: DecisionRoutes.fastRequest)
        }
        #expect(error.status == .badRequest)
        #expect(error.code == "unknown-field")
        #expect(error.message.en.contains("unknown field \"m0\""), "\(error.message.en.prefix(200))")
    }

    /// The bound is on members per object: 16 are still read on the fast path, 17 are not (nor, then, the whole body).
    @Test func theFastPathStopsAfterMaxMembers() {
        func object(_ n: Int) -> [UInt8] { Array(("{" + (0..<n).map { "\"k\($0)\":true" }.joined(separator: ",") + "}").utf8) }
        #expect(object(FastJSON.maxMembers).withUnsafeBytes { FastJSON.parse($0) }?.members?.count == FastJSON.maxMembers)
        #expect(object(FastJSON.maxMembers + 1).withUnsafeBytes { FastJSON.parse($0) } == nil)
        let nested = Array(#"{"a":{"#.utf8) + object(FastJSON.maxMembers + 1).dropFirst() + Array("}".utf8)
        #expect(nested.withUnsafeBytes { FastJSON.parse($0) } == nil)
        // A full decision body is far below the bound.
        #expect(Array(FastJSONTests.bodies[1].utf8).withUnsafeBytes { DecisionRoutes.fastRequest($0) } != nil)
    }
}
