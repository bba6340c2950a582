import Foundation
import Testing
@testable import DriveExport

/// The bounded-memory duplicate check of the export's first pass gives exactly what a hash table of every
/// case id gives: for each later occurrence of a hash, the line of the first.
@Suite struct DuplicateCaseIDFinderTests {
    /// What a table of every id gives (the reference).
    static func reference(_ rows: [(hash: UInt64, line: UInt32)]) -> [UInt32: UInt32] {
        var first: [UInt64: UInt32] = [:], out: [UInt32: UInt32] = [:]
        for r in rows {
            if let f = first[r.hash] { out[r.line] = f } else { first[r.hash] = r.line }
        }
        return out
    }

    @Test("same duplicates as a table of every id, in memory or spilled to sorted runs",
          arguments: [(rows: 0, buffer: 4), (rows: 1, buffer: 4), (rows: 50, buffer: 1 << 17), (rows: 5_000, buffer: 7), (rows: 20_000, buffer: 1_000)])
    func sameAsTable(rows: Int, buffer: Int) throws {
        var rng = SystemRandomNumberGenerator()
        // Few distinct hashes, so that many rows repeat one; lines strictly increasing, as in a file.
        let distinct = UInt64(max(1, rows / 3))
        var line: UInt32 = 1
        let input: [(hash: UInt64, line: UInt32)] = (0..<rows).map { _ in
            line += UInt32.random(in: 1...3, using: &rng)
            return (UInt64.random(in: 0..<distinct, using: &rng) &* 0x9E37_79B9_7F4A_7C15, line)
        }
        let finder = DuplicateCaseIDFinder(bufferEntries: buffer)
        for r in input { finder.note(hash: r.hash, line: r.line) }
        #expect(finder.runCount == rows / max(2, buffer))
        let found = try finder.finish()
        #expect(found == Self.reference(input))
        #expect(rows < 3 || !found.isEmpty)
    }

    @Test("a directory where the temporary file cannot be made: a clear error from finish()")
    func unwritableDirectory() throws {
        let finder = DuplicateCaseIDFinder(bufferEntries: 2, directory: "/nonexistent-consentgate-dir")
        for i in 0..<5 { finder.note(hash: UInt64(i % 2), line: UInt32(i + 2)) }
        #expect {
            _ = try finder.finish()
        } throws: { error in
            guard case .io(let path, let operation, _)? = error as? DriveExportError else { return false }
            return path.hasPrefix("/nonexistent-consentgate-dir/") && operation == "create temporary file"
        }
    }
}
