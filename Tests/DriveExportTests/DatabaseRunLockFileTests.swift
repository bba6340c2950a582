import Foundation
import Testing
@testable import DriveExport
#if canImport(Glibc)
import Glibc
#endif

/// The export run lock of a database (`<database>.export.lock`): beside the database's real name, so a run given a
/// symbolic link to the database and one given the file itself exclude each other; made by root, owned like the
/// database, so the service account owning it can take it later.
@Suite struct DatabaseRunLockFileTests {
    /// A folder with a database file in `db/` (its content does not matter to the lock) and a symbolic link to it in
    /// `elsewhere/`; removed by the caller.
    static func linkedDatabase() throws -> (dir: String, real: String, link: String) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("run-lock-" + UUID().uuidString).path
        try FileManager.default.createDirectory(atPath: dir + "/db", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: dir + "/elsewhere", withIntermediateDirectories: true)
        let real = dir + "/db/consentgate.sqlite", link = dir + "/elsewhere/consentgate.sqlite"
        #expect(FileManager.default.createFile(atPath: real, contents: Data()))
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: real)
        return (dir, real, link)
    }

    /// Before, the lock file was `<name given>.export.lock`: through the link and through the file, two runs each got
    /// "their" lock and the second's recovery could drop the first's pending rows.
    @Test(arguments: [true, false])
    func aRunThroughTheOtherNameIsKeptOut(heldThroughLink: Bool) throws {
        let (dir, real, link) = try Self.linkedDatabase()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let held = try DatabaseRunLock(database: heldThroughLink ? link : real)
        #expect(held.path == real + DatabaseRunLock.suffix)

        #expect {
            _ = try DatabaseRunLock(database: heldThroughLink ? real : link)
        } throws: { error in
            guard case DriveExportError.databaseRunInProgress(_, let lockFile, let pid, _, _) = error else { return false }
            return lockFile == real + DatabaseRunLock.suffix && pid == getpid()
        }
        held.release()
        _ = try DatabaseRunLock(database: heldThroughLink ? real : link)
    }

    /// Run as root (as CI runs the suite) for a database owned by uid/gid 65534: the lock file is that account's.
    @Test(.enabled(if: geteuid() == 0, "needs root to give files away"))
    func aLockFileMadeByRootBelongsToTheDatabasesOwner() throws {
        let (dir, real, _) = try Self.linkedDatabase()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(chown(real, 65534, 65534) == 0)

        do { _ = try DatabaseRunLock(database: real) }

        var info = stat()
        #expect(stat(real + DatabaseRunLock.suffix, &info) == 0)
        #expect(info.st_uid == 65534 && info.st_gid == 65534)
        #expect(info.st_mode & 0o777 == 0o600)
    }
}
