import Foundation
import Glibc
import Testing
@testable import Signing

/// `AtomicFile.write(overwrite: false)` names the written file with `link`, which refuses a taken name. FAT and exFAT
/// (a USB stick, where `consent export --out` moves consents between installations) have no hard links: `link` fails
/// with `EPERM`, and the write failed with exit 5 although the name was free. Such a file system now gets `rename`
/// after a check that the name is free; a taken name is still refused. (No FAT file system can be mounted here, so
/// the file system's `link` is stood in for by one failing as FAT's does; the rest runs on real files.)
@Suite struct NoReplaceWithoutHardLinksTests {
    /// `link` as a file system without hard links answers it.
    static func noHardLinks(_ errorCode: Int32) -> (String, String) -> Int32 {
        { _, _ in errno = errorCode; return -1 }
    }

    static func folder() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cg-nolink-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test(arguments: [EPERM, EOPNOTSUPP, ENOSYS])
    func aFreeNameIsTakenByRename(errorCode: Int32) throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let temp = dir.appendingPathComponent(".out.tmp").path, target = dir.appendingPathComponent("out.json").path
        try Data("new".utf8).write(to: URL(fileURLWithPath: temp))
        #expect(AtomicFile.placeWithoutReplacing(temp, at: target, link: Self.noHardLinks(errorCode)))
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "new")
        #expect(!FileManager.default.fileExists(atPath: temp), "moved, not copied")
    }

    @Test(arguments: [EPERM, EOPNOTSUPP])
    func aTakenNameIsStillRefused(errorCode: Int32) throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let temp = dir.appendingPathComponent(".out.tmp").path, target = dir.appendingPathComponent("out.json").path
        try Data("new".utf8).write(to: URL(fileURLWithPath: temp))
        try Data("old".utf8).write(to: URL(fileURLWithPath: target))
        #expect(!AtomicFile.placeWithoutReplacing(temp, at: target, link: Self.noHardLinks(errorCode)))
        #expect(errno == EEXIST)
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "old")
    }

    /// Any other failure of `link` (a real one) is not papered over by a rename.
    @Test func anotherLinkFailureStaysAFailure() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let temp = dir.appendingPathComponent(".out.tmp").path, target = dir.appendingPathComponent("out.json").path
        try Data("new".utf8).write(to: URL(fileURLWithPath: temp))
        #expect(!AtomicFile.placeWithoutReplacing(temp, at: target, link: Self.noHardLinks(EIO)))
        #expect(!FileManager.default.fileExists(atPath: target))
    }

    /// On this machine's file system the real `link` does the work, and refuses a taken name.
    @Test func theRealLinkRefusesATakenName() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let target = dir.appendingPathComponent("out.json").path
        try AtomicFile.write(Array("first".utf8), to: target, overwrite: false)
        #expect(throws: SigningError.self) { try AtomicFile.write(Array("second".utf8), to: target, overwrite: false) }
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "first")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["out.json"], "no temporary file left")
    }
}
