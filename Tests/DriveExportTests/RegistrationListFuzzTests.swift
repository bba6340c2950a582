import Foundation
import Testing
import FuzzSupport
@testable import DriveExport

/// Registration lists and header mapping files under mutation (BOM, CRLF, quotes, separators, NUL, invalid
/// UTF-8, huge cells, many columns): the list reader returns rows (valid or quarantined) or throws
/// `DriveExportError` for a file-level problem, the mapping reader a mapping or `DriveExportError` naming file
/// and line; neither traps nor hangs. Run long with
/// `CONSENTGATE_FUZZ_ITERATIONS=100000 swift test --skip-build --filter RegistrationListFuzzTests` (see `FuzzSupport.swift`).
@Suite struct RegistrationListFuzzTests {
    static func isDriveExportError(_ error: any Error) -> Bool { error is DriveExportError }

    /// The shared sample lists and the test lists, each cut to its first 40 lines (mutations do the rest).
    static let lists: [[UInt8]] = {
        let files = Fuzz.files(under: TestSupport.shared.appendingPathComponent("data"), suffixes: [".csv"])
            + Fuzz.files(under: TestSupport.fixtures.appendingPathComponent("csv"), suffixes: [".csv"])
            + Fuzz.files(under: TestSupport.fixtures.appendingPathComponent("lists"), suffixes: [".csv"])
        return files.map { bytes in
            var lines = 0
            let end = bytes.firstIndex { b in if b == 0x0A { lines += 1 }; return lines == 40 } ?? bytes.count
            return Array(bytes[..<end])
        }
    }()

    @Test func registrationList() throws {
        let mapping = try TestSupport.mapping()
        var rng = SplitMix64(state: 7)
        Fuzz.run("registration-list", corpus: Self.lists, seed: 0x5EED_0501, iterations: 400, accepts: Self.isDriveExportError) { bytes in
            // Small and odd read and chunk sizes put every boundary somewhere else.
            let options = CSVReaderOptions(maxCellBytes: 2_048, maxRecordBytes: 8_192, maxRecordLines: 20,
                                           chunkSize: Int.random(in: 1...700, using: &rng))
            let csv = try CSVRecordReader(source: MemoryByteSource(bytes, maxReadSize: Int.random(in: 1...900, using: &rng)),
                                          fileName: "fuzz.csv", options: options)
            let reader = try RegistrationListReader(csv: csv, mapping: mapping, schema: TestSupport.schema, now: TestSupport.now)
            while try reader.next() != nil {}
            #expect(csv.bytesRead == bytes.count)
        }
    }

    @Test func headerMappingFile() throws {
        let folder = try TestSupport.tempDir("fuzz-mapping")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/mapping.csv"
        let corpus = [try #require(Fuzz.bytes(URL(fileURLWithPath: TestSupport.fixture("mapping-rhein-sieg.csv"))))]
        let known = Set(TestSupport.schema.requiredFields).union(["name.family", "name.given", "contact.phone"])
        Fuzz.run("header-mapping", corpus: corpus, seed: 0x5EED_0502, iterations: 200, accepts: Self.isDriveExportError) { bytes in
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            _ = try HeaderMapping.load(path: path, knownFields: known, policyID: "kim-rhein-sieg")
        }
    }
}
