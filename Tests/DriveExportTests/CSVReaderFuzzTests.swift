import Foundation
import Testing
import FuzzSupport
@testable import DriveExport

@Suite("CSV reader under random damage")
struct CSVReaderFuzzTests {
    static let sample: [UInt8] = {
        let url = TestSupport.shared.appendingPathComponent("data/registrations-sample.csv")
        return Array((try? Data(contentsOf: url)) ?? Data())
    }()

    @Test("random quotes, separators, line breaks, NUL and invalid bytes: no crash, no line swallowed", arguments: Array(1...40))
    func damage(seed: UInt64) throws {
        var rng = SplitMix64(state: seed)
        var bytes = Self.sample
        let header = bytes.firstIndex(of: 0x0A)! + 1
        for _ in 0..<Int.random(in: 1...25, using: &rng) {
            let at = Int.random(in: header..<bytes.count, using: &rng)
            let junk: [UInt8] = [[0x22, 0x22, 0x3B, 0x0D, 0x0A, 0x00, 0xFF, 0xC3, 0x3D].randomElement(using: &rng)!]
            if Bool.random(using: &rng) { bytes.insert(contentsOf: junk, at: at) } else { bytes.replaceSubrange(at...at, with: junk) }
        }
        let options = CSVReaderOptions(maxCellBytes: 4096, maxRecordBytes: 16_384, maxRecordLines: 20, chunkSize: 257)
        let reader = try CSVRecordReader(source: MemoryByteSource(bytes, maxReadSize: 1000), fileName: "fuzz-\(seed).csv", options: options)
        let records = try TestSupport.readAll(reader)
        // Start lines strictly increase: nothing is reported twice or out of order.
        #expect(zip(records, records.dropFirst()).allSatisfy { $0.line < $1.line })
        // Every non-blank physical line after the header starts a record or lies inside a readable one.
        var covered = Set<Int>()
        for r in records {
            if r.problems.contains(where: \.isStructural) { covered.insert(r.line) } else { covered.formUnion(r.line...r.lastLine) }
        }
        let lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
        for (i, line) in lines.enumerated().dropFirst() {
            let content = line.filter { $0 != 0x0D && $0 != 0x3B }
            if content.isEmpty { continue }
            #expect(covered.contains(i + 1), "seed \(seed): line \(i + 1) swallowed")
        }
        #expect(reader.inputSHA256 != nil && reader.bytesRead == bytes.count)
    }
}
