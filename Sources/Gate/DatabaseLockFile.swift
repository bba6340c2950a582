import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The lock files an installation keeps beside its database (`.lock`: `InstallationLock`, `.inuse`: `InstallationUse`,
/// `.export.lock`: the export run's `DatabaseRunLock`): where they are and how they are opened.
///
/// Why one place for both:
/// - Where: beside the database's real name (`DatabaseFileName`), so that a process reaching the database through a
///   symbolic link and one given the file itself lock the same file and exclude each other.
/// - How: a lock file first made by root (an administrator's `consentgate restore` or `check`) would be root's, mode
///   0600, and the service account that owns the database could never open it again: every later `serve` would fail
///   on the lock file. So a process running as root gives the lock file the database file's owner and group. Safely:
///   the folder may be writable by that account, who could put a link to a file of root's at the lock file's name, so
///   the name is opened without following a symbolic link and changed through that descriptor only while it is a
///   regular file with one name (as `DatabaseRestore.giveOwner` does for the restored copy).
public enum DatabaseLockFile {
    /// The lock file `suffix` (e.g. `.lock`) of the database at `database`: beside its real name.
    public static func path(database: String, suffix: String) -> String {
        DatabaseFileName.resolved(database) + suffix
    }

    /// Opens the lock file at `path` for reading and writing, creating it (mode 0600) when missing and never following
    /// a symbolic link; run as root, gives it the owner and group of the file at `database` (when there is one and the
    /// lock file's differ). Returns the descriptor, or -1 with `errno` set.
    public static func open(_ path: String, database: String) -> Int32 {
        var fd: Int32 = -1
        // Created here or opened as it is; a file removed between the two tries is created on the next round.
        for _ in 0..<8 {
            fd = Glibc.open(path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
            if fd >= 0 || errno != EEXIST { break }
            fd = Glibc.open(path, O_RDWR | O_NOFOLLOW | O_CLOEXEC)
            if fd >= 0 || errno != ENOENT { break }
        }
        guard fd >= 0 else { return -1 }
        if geteuid() == 0 { giveDatabaseOwner(fd: fd, database: database) }
        return fd
    }

    /// Gives the lock file open at `fd` the owner and group of the file at `database` (its real name), unless it is
    /// not a regular file with one name or has them already. Best effort: a lock file that stays root's is no worse
    /// than before.
    static func giveDatabaseOwner(fd: Int32, database: String) {
        var db = stat(), lock = stat()
        guard stat(DatabaseFileName.resolved(database), &db) == 0, db.st_mode & S_IFMT == S_IFREG,
              fstat(fd, &lock) == 0, lock.st_mode & S_IFMT == S_IFREG, lock.st_nlink == 1,
              lock.st_uid != db.st_uid || lock.st_gid != db.st_gid else { return }
        _ = fchown(fd, db.st_uid, db.st_gid)
    }
}
