import Foundation
import Signing
import Testing
@testable import DriveExport

@Suite("Read, validate, write, publish: the export path without policy")
struct EndToEndTests {
    @Test("messy list → partner folder: only valid rows go out, and they read back to exactly their cells", arguments: [
        "data/registrations-messy.csv", "data/registrations-sample.csv",
    ])
    func messyToPartnerFolder(relative: String) throws {
        let input = TestSupport.shared.appendingPathComponent(relative).path
        let drive = try TestSupport.tempDir("drive")
        defer { try? FileManager.default.removeItem(atPath: drive) }
        let reader = try RegistrationListReader(path: input, mapping: TestSupport.mapping(), schema: TestSupport.schema, now: TestSupport.now)
        let columns = reader.layout.fields
        let header = columns.map { f in reader.layout.header[reader.layout.columnIndexes[reader.layout.index(of: f)!]] }
        let lock = try DriveRunLock(drive: drive)
        let runID = try RunID.make(now: TestSupport.now)
        #expect(runID.hasPrefix("20261125T100000Z-") && runID.count == 25)
        let staging = try PartnerRunStaging(drive: drive, partnerFolder: "Auslaenderbehoerde", runID: runID, lock: lock)
        let writer = try staging.csvWriter(header: header)
        var sent: [[String]] = [], quarantinedLines: [Int] = []
        while let row = try reader.next() {
            switch row {
            case .valid(let r): try writer.write(r.values); sent.append(r.values)
            case .quarantined(let q): quarantinedLines.append(q.line)
            }
        }
        try staging.add(writer.finish())
        let key = try PrivateKey.generate()
        let manifest = ExportManifest(runID: runID, partner: "auslaenderbehoerde", purpose: "residence-registration",
                                      policy: .init(id: "kim-rhein-sieg", version: "1", digest: "sha256:00"),
                                      inputSHA256: Hex.encode(reader.inputSHA256!), createdAt: TestSupport.now,
                                      files: staging.files, signerKid: key.publicKey.kid, signerAlgorithm: key.algorithm, auditCheckpoint: nil)
        let folder = try staging.publish(manifest: manifest, signingKey: key)

        let back = try CSVRecordReader(path: folder + "/registrations.csv")
        let records = try TestSupport.readAll(back)
        #expect(back.header == header)
        #expect(records.allSatisfy { $0.problems.isEmpty })
        #expect(records.map(\.cells) == sent.map { $0.map(SpreadsheetCell.neutralized) })
        #expect(records.map { $0.cells.map(SpreadsheetCell.unneutralized) } == sent)
        #expect(staging.files.first?.records == sent.count)
        #expect(sent.count + quarantinedLines.count == 300 || relative.hasSuffix("sample.csv"))
        let exportedIDs = Set(sent.map { $0[columns.firstIndex(of: "case.id")!] })
        #expect(exportedIDs.count == sent.count, "no case id is exported twice")
        #expect(!records.contains { $0.cells.contains { $0.hasPrefix("=") || $0.contains("\u{0}") } })
        #expect(records.contains { $0.cells.contains { $0.unicodeScalars.contains { (0x0400...0x04FF).contains($0.value) } } }, "Cyrillic intact")
    }

    @Test("a Windows-1252 list is refused with a hint to save as CSV UTF-8")
    func windows1252() throws {
        let bytes: [UInt8] = Array("Fall-ID;Staatsangeh".utf8) + [0xF6] + Array("rigkeit\r\nRSK-1;ukrainisch\r\n".utf8)
        let error = #expect(throws: DriveExportError.self) { try CSVRecordReader(source: MemoryByteSource(bytes), fileName: "alt.csv") }
        #expect(error?.message(in: .de).contains("CSV UTF-8") == true)
        #expect(error?.category == .invalidInput)
    }
}
