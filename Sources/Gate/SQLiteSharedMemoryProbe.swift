import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Whether another process has the database open through SQLite, seen from the lock every SQLite connection in WAL
/// mode holds on its `-shm` file (a read lock on the "dead man switch" byte, offset 128) for as long as it is open.
///
/// Why: the in-use lock (`InstallationUse`) is taken only by releases since 2026-12-05. A `serve` of an older release
/// still running during an upgrade holds none, and a `restore` went ahead under it; the old service then wrote its
/// decisions into the replaced file (found in a review of upgrades). This probe sees any SQLite user, whatever its
/// version (the `sqlite3` shell too).
///
/// Only for a process that has no connection of its own to the database (a `restore` holding the exclusive in-use lock):
/// closing a descriptor of a file drops every POSIX lock this process holds on it, SQLite's included.
enum SQLiteSharedMemoryProbe {
    /// The byte of the `-shm` file every connection read-locks while it is open (`WALINDEX_LOCK_OFFSET` 120 + 8).
    static let deadManSwitchOffset: off_t = 128

    /// True when a process other than this one holds a lock on the `-shm` file's dead man switch byte.
    static func openElsewhere(database path: String) -> Bool {
        let fd = open(path + "-shm", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }   // no `-shm`: no connection in WAL mode
        defer { close(fd) }
        var probe = flock()
        probe.l_type = Int16(F_WRLCK)
        probe.l_whence = Int16(SEEK_SET)
        probe.l_start = deadManSwitchOffset
        probe.l_len = 1
        guard fcntl(fd, F_GETLK, &probe) == 0 else { return false }
        return probe.l_type != Int16(F_UNLCK)
    }
}
