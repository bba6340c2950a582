import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Telling a killed backup's hidden temporary copy from one still being written: a backup holds an exclusive
/// `flock(2)` on `<temporary copy>.lock` for as long as it writes, and the kernel drops that lock when the process ends,
/// also by `kill -9` or a power loss. The next backup into the same folder removes the temporary copies whose lock can
/// be taken (`removeStale`): they hold the whole installation's personal data and nothing else would ever remove them.
///
/// Why a lock file of its own and not a lock on the copy: SQLite writes the copy with its own (POSIX) locks, and on a
/// network file system (NFS, where the backup folder may well be) `flock` is emulated with POSIX locks, so a lock on
/// the copy itself would conflict with SQLite's.
final class BackupWriterLock {
    /// The lock file.
    let path: String
    private let fd: Int32

    /// Creates and locks `<temp>.lock` (owner-only, a new file: no one else can hold it). Throws `BackupError.cannotCreate`
    /// naming `target` when it cannot be made (the folder is missing or not writable).
    init(temp: String, target: String) throws {
        path = temp + ".lock"
        let fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw BackupError.cannotCreate(path: target, errno: errno) }
        while flock(fd, LOCK_EX) != 0 {
            if errno == EINTR { continue }
            let e = errno
            close(fd)
            unlink(path)
            throw BackupError.cannotCreate(path: target, errno: e)
        }
        self.fd = fd
    }

    /// Removes the lock file, then gives up the lock (call once the temporary copy has its name or is removed).
    deinit {
        unlink(path)
        close(fd)
    }

    /// Removes, in `folder`, every backup's temporary copy (`.NAME.tmp-<12 hex digits>`, as `AtomicFile.temporaryName`
    /// makes them) whose lock file no live writer holds, with SQLite's journal files of it and the lock file. A
    /// temporary file without a lock file beside it (another writer's, or a backup's from before these locks) is left
    /// alone. Best effort: what cannot be removed stays. Returns the removed copies.
    @discardableResult
    static func removeStale(in folder: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        var removed: [String] = []
        for lockName in names.sorted() where lockName.hasSuffix(".lock") {
            let copy = String(lockName.dropLast(".lock".count))
            guard isTemporaryCopyName(copy) else { continue }
            let fd = open(folder + "/" + lockName, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
            guard fd >= 0 else { continue }
            defer { close(fd) }
            var locked = flock(fd, LOCK_EX | LOCK_NB) == 0
            while !locked && errno == EINTR { locked = flock(fd, LOCK_EX | LOCK_NB) == 0 }
            guard locked else { continue }   // EWOULDBLOCK: a live backup's
            // Held by us now, so no writer can appear for it: its files go, the lock file last.
            for suffix in ["", "-journal", "-wal", "-shm"] { unlink(folder + "/" + copy + suffix) }
            unlink(folder + "/" + lockName)
            removed.append(folder + "/" + copy)
        }
        return removed
    }

    /// Whether `name` is a temporary name `AtomicFile.temporaryName` gives: `.` + name + `.tmp-` + 12 lowercase hex digits.
    static func isTemporaryCopyName(_ name: String) -> Bool {
        guard name.hasPrefix("."), let marker = name.range(of: ".tmp-", options: .backwards), marker.lowerBound > name.index(after: name.startIndex) else {
            return false
        }
        let suffix = name[marker.upperBound...]
        return suffix.count == 12 && suffix.allSatisfy { ("0"..."9").contains($0) || ("a"..."f").contains($0) }
    }
}
