import Dispatch
import Foundation
import GRDB
import Testing
@testable import Gate
#if canImport(Glibc)
import Glibc
#endif

/// The lock files beside the database (`DatabaseLockFile`): named after the database's real name, so a symbolic link
/// and its target take one lock; and, made by root, owned like the database, so the service account that owns it can
/// still open them.
@Suite struct DatabaseLockFileTests {
    /// A database file (a real, empty SQLite file) in `dir/db`, and a symbolic link to it in `dir/elsewhere`.
    static func linkedDatabase(in dir: URL) throws -> (real: String, link: String) {
        let real = dir.appendingPathComponent("db/consentgate.sqlite").path
        try FileManager.default.createDirectory(atPath: (real as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let queue = try DatabaseQueue(path: real)
        try queue.write { try $0.execute(sql: "CREATE TABLE t (x)") }
        try queue.close()
        let folder = dir.appendingPathComponent("elsewhere").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let link = folder + "/consentgate.sqlite"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: real)
        return (real, link)
    }

    /// The installation lock held through one name keeps out a process coming through the other until it is given up.
    /// Before, the lock file was `<name given>.lock`: the link's and the file's were two files, and both got the lock.
    @Test(arguments: [true, false])
    func theInstallationLockIsOneForBothNames(heldThroughLink: Bool) throws {
        let inst = try GateTestInstallation()
        let (real, link) = try Self.linkedDatabase(in: inst.dir)
        let held = try InstallationLock(databasePath: heldThroughLink ? link : real)
        let other = heldThroughLink ? real : link
        let taken = DispatchSemaphore(value: 0)
        let thread = Thread {
            do { _ = try InstallationLock(databasePath: other) } catch { Issue.record("\(error)") }
            taken.signal()
        }
        thread.start()

        #expect(taken.wait(timeout: .now() + 0.5) == .timedOut, "the other name waits while the lock is held")
        _ = consume held
        #expect(taken.wait(timeout: .now() + 10) == .success, "and gets it once it is given up")
    }

    /// Run as root (as CI runs the suite) on a database owned by another account (uid/gid 65534): each lock file it
    /// creates, and one root had left before, belongs to the database's owner afterwards.
    @Test(.enabled(if: geteuid() == 0, "needs root to give files away"), arguments: [".lock", ".inuse"], [false, true])
    func aLockFileMadeByRootBelongsToTheDatabasesOwner(suffix: String, leftByRootBefore: Bool) throws {
        let inst = try GateTestInstallation()
        let (real, _) = try Self.linkedDatabase(in: inst.dir)
        #expect(chown(real, 65534, 65534) == 0)
        let lockFile = real + suffix
        if leftByRootBefore {
            #expect(FileManager.default.createFile(atPath: lockFile, contents: nil, attributes: [.posixPermissions: 0o600]))
        }

        do {
            switch suffix {
            case ".lock": _ = try InstallationLock(databasePath: real)
            default: _ = try InstallationUse(databasePath: real, exclusive: false)
            }
        }

        var info = stat()
        #expect(stat(lockFile, &info) == 0)
        #expect(info.st_uid == 65534 && info.st_gid == 65534)
        #expect(info.st_mode & 0o777 == 0o600, "the owner (now the database's) can open it")
    }

    /// The account that owns the database may write its folder: a hard link to a file of root's put at the lock file's
    /// name is locked but never given away; a symbolic link there is not followed at all.
    @Test(.enabled(if: geteuid() == 0, "needs root to give files away"), arguments: ["hard", "symbolic"])
    func aLinkAtTheLockFilesNameIsNotGivenAway(kind: String) throws {
        let inst = try GateTestInstallation()
        let (real, _) = try Self.linkedDatabase(in: inst.dir)
        #expect(chown(real, 65534, 65534) == 0)
        let rootsFile = inst.dir.appendingPathComponent("roots-file").path
        #expect(FileManager.default.createFile(atPath: rootsFile, contents: Data("secret".utf8), attributes: [.posixPermissions: 0o600]))
        if kind == "hard" { #expect(link(rootsFile, real + ".lock") == 0) } else { #expect(symlink(rootsFile, real + ".lock") == 0) }

        if kind == "hard" {
            _ = try InstallationLock(databasePath: real)
        } else {
            #expect(throws: StorageError.self) { _ = try InstallationLock(databasePath: real) }
        }

        var info = stat()
        #expect(stat(rootsFile, &info) == 0)
        #expect(info.st_uid == 0 && info.st_gid == 0)
        #expect(FileManager.default.contents(atPath: rootsFile) == Data("secret".utf8))
    }
}
