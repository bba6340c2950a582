import Foundation
import Testing
@testable import Gate

/// `--keep-dir` on another file system (a USB disk, `/dev/shm`): the replaced files cannot be renamed into it. The
/// restore made the folder, failed to move the database with "Systemfehler (errno 18)", and left the empty folder,
/// so the same command run again failed with "already exists". Now a failed move puts back what was moved, removes
/// the folder it made, and says why in words.
@Suite struct RestoreKeepFolderElsewhereTests {
    /// A folder on a file system other than the test installations' (tmpfs at /dev/shm), when there is one.
    static let otherFileSystem: String? = {
        var a = stat(), b = stat()
        guard stat("/dev/shm", &a) == 0, stat(FileManager.default.temporaryDirectory.path, &b) == 0, a.st_dev != b.st_dev,
              access("/dev/shm", W_OK) == 0 else { return nil }
        return "/dev/shm"
    }()

    @Test(.enabled(if: otherFileSystem != nil, "needs /dev/shm on another file system"))
    func aKeepFolderOnAnotherFileSystemChangesNothing() throws {
        let inst = try GateTestInstallation()
        let backup: DatabaseBackup
        do {
            let gate = try inst.open()
            backup = try DatabaseBackup.write(gate.database, to: inst.dir.appendingPathComponent("b.sqlite").path, overwrite: false)
        }
        let keep = Self.otherFileSystem! + "/consentgate-keep-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: keep) }
        let folder = (inst.databasePath as NSString).deletingLastPathComponent
        try inst.waitUntilClosed()
        let before = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()

        do {
            _ = try DatabaseRestore.run(backup: backup.path, database: inst.databasePath, keepFolder: keep)
            Issue.record("restored with a keep folder on another file system")
        } catch let error as RestoreError {
            #expect(error.category == .storage)
            #expect(error.message(in: .en).contains("another file system"))
            #expect(error.message(in: .de).contains("anderen Dateisystem"))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == before, "nothing moved")
        #expect(!FileManager.default.fileExists(atPath: keep), "the folder it made is gone, so the command can be run again")
        _ = try inst.open()
    }
}
