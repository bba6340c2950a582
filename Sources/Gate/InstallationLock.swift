import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An exclusive `flock(2)` on `<database>.lock` (beside the database's real name, owned like the database:
/// `DatabaseLockFile`), held while an installation is opened: creating the file,
/// switching it to WAL, migrating, and recording a policy change. SQLite refuses a journal-mode change on a
/// new file without waiting for its busy timeout, and "is this policy new?" must be read and recorded by one
/// process at a time, or parallel first opens would fail or log the same policy twice. The kernel drops
/// the lock when the process exits, also when it is killed.
struct InstallationLock: ~Copyable {
    private let fd: Int32

    /// Blocks until the lock on `databasePath` is held.
    init(databasePath: String) throws {
        // The folder first: the real name of a database in a folder that does not exist yet is only known once it does.
        let dir = (databasePath as NSString).deletingLastPathComponent
        if !dir.isEmpty { try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
        let file = DatabaseLockFile.path(database: databasePath, suffix: ".lock")
        let fd = DatabaseLockFile.open(file, database: databasePath)
        guard fd >= 0 else { throw StorageError.lockFile(database: databasePath, file: file, operation: "open lock file", errno: errno) }
        while flock(fd, LOCK_EX) != 0 {
            if errno == EINTR { continue }
            let e = errno
            close(fd)
            throw StorageError.lockFile(database: databasePath, file: file, operation: "flock", errno: e)
        }
        self.fd = fd
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
