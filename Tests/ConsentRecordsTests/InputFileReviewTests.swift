import ConsentRecords
import Diagnostics
import Foundation
import Testing

/// A file the case manager names that cannot be read (a document for `consent verify`/`import`, the scan for
/// `consent grant --evidence`): the message says why in the user's language, also when a folder was given.
@Suite struct InputFileReviewTests {
    enum Reader: String, CaseIterable, Sendable {
        case document, evidence
        func read(_ path: String) throws {
            switch self {
            case .document: _ = try ConsentExport.readDocument(atPath: path)
            case .evidence: _ = try ConsentDeclaration.evidenceDigest(ofFileAt: path)
            }
        }
    }

    /// (what is at the path, the German reason, the English reason)
    static let cases: [(String, String, String)] = [
        ("missing", "keine solche Datei", "no such file"),
        ("folder", "ist ein Ordner, keine Datei", "is a folder, not a file"),
    ]

    @Test(arguments: Reader.allCases, cases)
    func anUnreadableInputIsExplainedInBothLanguages(reader: Reader, situation: (String, String, String)) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("input-review-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("scan.pdf").path
        if situation.0 == "folder" { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) }
        #expect {
            try reader.read(path)
        } throws: { error in
            guard let e = error as? ConsentError, case .unreadableInput = e else { return false }
            let de = e.message(in: .de), en = e.message(in: .en)
            return e.category == .invalidInput
                && de == "Datei \(path) kann nicht gelesen werden: \(situation.1)"
                && en == "file \(path) cannot be read: \(situation.2)"
        }
    }

    /// A document over the JWS size limit is refused before it is read, with the limit in both languages.
    @Test func anOversizedDocumentNamesTheLimit() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("input-review-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("big.json").path
        try Data(count: (1 << 20) + 1).write(to: URL(fileURLWithPath: path))
        #expect {
            _ = try ConsentExport.readDocument(atPath: path)
        } throws: { error in
            guard let e = error as? ConsentError else { return false }
            return e.message(in: .de).contains("größer als 1048576 Bytes") && e.message(in: .en).contains("larger than 1048576 bytes")
        }
    }
}
