import Diagnostics
import Foundation
import Testing
@testable import ConsentRecords

/// `consent export` into a folder that cannot be made: the reason in the reader's language (it was Foundation's
/// English text inside German messages) with the step and the error number; the documents written with the one
/// atomic writer of `Signing`.
@Suite struct ExportWriteFailureTests {
    @Test func aFolderThatCannotBeMadeIsExplainedInBothLanguages() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cg-export-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let plain = dir.appendingPathComponent("plain-file")
        try Data("x".utf8).write(to: plain)
        let export = ConsentExport(consentID: "6f1c0000-0000-4000-8000-000000000001", consent: Array("{}".utf8), withdrawals: [])
        let target = plain.appendingPathComponent("out").path
        #expect(throws: ConsentError.file(path: target, reason: LocalizedText(de: "Anlegen des Ordners: ein Teil des Pfades ist kein Ordner (errno 20)",
                                                                         en: "create folder: a part of the path is not a folder (errno 20)"))) {
            try export.write(toDirectory: target)
        }
        // And written where it can be: complete files, nothing left over.
        let out = dir.appendingPathComponent("out").path
        let paths = try export.write(toDirectory: out)
        #expect(paths.map { ($0 as NSString).lastPathComponent } == ["consent-6f1c0000-0000-4000-8000-000000000001.jws.json"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: out) == ["consent-6f1c0000-0000-4000-8000-000000000001.jws.json"])
        #expect(FileManager.default.contents(atPath: paths[0]) == Data("{}".utf8))
    }
}
