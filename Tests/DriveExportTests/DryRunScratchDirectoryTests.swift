#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Testing
@testable import DriveExport

/// A dry run killed with SIGKILL left its scratch folder (`consentgate-dry-run-<UUID>`, with a scratch database holding
/// case ids) in the temporary folder; no later run removed it. Now each dry run holds a lock in its folder, and the
/// next one removes the folders whose lock nobody holds, and nothing else.
@Suite struct DryRunScratchDirectoryTests {
    static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    /// A folder as a killed dry run leaves it: the lock file (no longer locked) and a scratch database.
    static func makeStale(_ path: String) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        try Data().write(to: URL(fileURLWithPath: path + "/" + DryRunScratchDirectory.lockName))
        try Data("RSK-2099-000001".utf8).write(to: URL(fileURLWithPath: path + "/db.sqlite"))
    }

    @Test func onlyAbandonedScratchFoldersOfTheCurrentUserGo() throws {
        let tmp = try TestSupport.tempDir("dry-run-scratch")
        defer { try? FileManager.default.removeItem(atPath: tmp) }
        let prefix = tmp + "/" + DryRunScratchDirectory.namePrefix
        let stale = prefix + UUID().uuidString
        try Self.makeStale(stale)
        // A symbolic link inside a stale folder: removed as a link, its target stays.
        let outside = tmp + "/outside.txt"
        try Data("keep".utf8).write(to: URL(fileURLWithPath: outside))
        #expect(symlink(outside, stale + "/link") == 0)

        // A live dry run's folder (this process holds its lock).
        let live = try DryRunScratchDirectory(temporaryDirectory: tmp)
        #expect(live.path.hasPrefix(prefix) && Self.exists(live.path + "/" + DryRunScratchDirectory.lockName))

        // Names that are not exactly the pattern, a symbolic link to an abandoned-looking folder, no lock file.
        let kept = [prefix + "not-a-uuid", prefix + UUID().uuidString.lowercased(), tmp + "/consentgate-dry-run" + UUID().uuidString,
                    tmp + "/other-" + UUID().uuidString]
        for path in kept { try Self.makeStale(path) }
        let target = tmp + "/target"
        try Self.makeStale(target)
        let link = prefix + UUID().uuidString
        #expect(symlink(target, link) == 0)
        let noLock = prefix + UUID().uuidString
        try FileManager.default.createDirectory(atPath: noLock, withIntermediateDirectories: false)

        let removed = DryRunScratchDirectory.removeStale(in: tmp)
        #expect(removed == [stale])
        #expect(!Self.exists(stale))
        #expect(try String(contentsOfFile: outside, encoding: .utf8) == "keep")
        for path in kept + [target, target + "/db.sqlite", link, noLock, live.path] {
            #expect(Self.exists(path), "\(path)")
        }

        // Once the live dry run is gone without removing its folder (as if killed), the next one removes it.
        let livePath = live.path
        _ = consume live
        #expect(DryRunScratchDirectory.removeStale(in: tmp) == [livePath])
        #expect(!Self.exists(livePath))
    }

    @Test func aFolderOfAnotherUserStays() throws {
        guard geteuid() == 0 else { return }   // only root can give a folder away
        let tmp = try TestSupport.tempDir("dry-run-scratch-owner")
        defer { try? FileManager.default.removeItem(atPath: tmp) }
        let foreign = tmp + "/" + DryRunScratchDirectory.namePrefix + UUID().uuidString
        try Self.makeStale(foreign)
        #expect(chown(foreign, 54321, 54321) == 0)
        #expect(DryRunScratchDirectory.removeStale(in: tmp).isEmpty)
        #expect(Self.exists(foreign + "/db.sqlite"))
    }

    @Test func removeTakesTheFolderAndItsDatabase() throws {
        let tmp = try TestSupport.tempDir("dry-run-scratch-remove")
        defer { try? FileManager.default.removeItem(atPath: tmp) }
        let scratch = try DryRunScratchDirectory(temporaryDirectory: tmp)
        try Data("x".utf8).write(to: URL(fileURLWithPath: scratch.databasePath))
        var info = stat()
        #expect(stat(scratch.path, &info) == 0 && info.st_mode & 0o777 == 0o700)
        scratch.remove()
        #expect(!Self.exists(scratch.path))
    }
}
