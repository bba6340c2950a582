import Foundation
import Testing
import TestFolders
@testable import Gate

/// `PolicyArchive.unpack` removes its folder again when an entry makes it fail partway, instead of leaving an
/// `consentgate-policy-<UUID>` folder with some of the files behind in the temporary directory.
@Suite struct PolicyArchiveUnpackCleanupTests {
    /// The folders named like `unpack`'s in `parent`.
    static func unpackFolders(in parent: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: parent.path).filter { $0.hasPrefix(PolicyArchive.unpackPrefix) }
    }

    static func blob(_ files: [String: String]) throws -> Data { try JSONEncoder().encode(files) }
    static let text = Data("apiVersion: x\n".utf8).base64EncodedString()

    /// Each blob has good entries written before the bad one (entries are written in name order).
    @Test(arguments: [
        ["a.yaml": text, "b/c.yaml": text, "z.yaml": "not base64 !"],  // undecodable content after two files written
        ["a.yaml": text, "b/c.yaml": text, "z/../../escape.yaml": text],  // a path leaving the folder
        ["a.yaml": text, "a.yaml/c.yaml": text],  // a file where a folder is needed: fails when writing
    ])
    func aFailingUnpackLeavesNoFolderBehind(files: [String: String]) throws {
        let parent = try TemporaryDirectory("unpack-cleanup-test")
        #expect(try Self.unpackFolders(in: parent.url).isEmpty)
        #expect(throws: (any Error).self) { try PolicyArchive.unpack(try Self.blob(files), in: parent.url) }
        let left = try Self.unpackFolders(in: parent.url)
        #expect(left.isEmpty, "left behind: \(left)")
    }

    /// In the system's temporary directory too (the default): no folder of this unpack is left there. Other tests and
    /// processes unpack into the same directory meanwhile, so this unpack's folder is told apart by a file of a name
    /// only this test writes (written before the failing entry: entries are written in name order). Before, the test
    /// compared the number of such folders before and after, and failed when another test's unpack was in progress.
    @Test func theDefaultTemporaryDirectoryKeepsNoFolder() throws {
        let temp = FileManager.default.temporaryDirectory
        let marker = "marker-\(UUID().uuidString).yaml"
        #expect(marker < "z.yaml")
        #expect(throws: (any Error).self) { try PolicyArchive.unpack(try Self.blob([marker: Self.text, "z.yaml": "not base64 !"])) }
        let left = try Self.unpackFolders(in: temp).filter {
            FileManager.default.fileExists(atPath: temp.appendingPathComponent($0).appendingPathComponent(marker).path)
        }
        #expect(left.isEmpty, "left behind: \(left)")
    }

    @Test func aGoodUnpackWritesEveryFile() throws {
        let parent = try TemporaryDirectory("unpack-cleanup-test")
        let dir = try PolicyArchive.unpack(try Self.blob(["a.yaml": Self.text, "b/c.yaml": Self.text]), in: parent.url)
        #expect(FileManager.default.fileExists(atPath: dir + "/a.yaml") && FileManager.default.fileExists(atPath: dir + "/b/c.yaml"))
        #expect(try Self.unpackFolders(in: parent.url).count == 1)
    }
}
