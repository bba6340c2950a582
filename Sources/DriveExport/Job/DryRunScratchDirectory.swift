#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The scratch folder of an export dry run on an installation that has no database yet
/// (`<temp>/consentgate-dry-run-<UUID>`): the dry run decides against an empty database in it (everything counts as
/// new) and removes it at the end. Its scratch database holds the list's case ids, so a folder that a killed dry run
/// (SIGKILL, power loss) left behind must not stay: every dry run first removes those of earlier dry runs
/// (`removeStale(in:)`).
///
/// To tell a killed dry run's folder from a live one's, each dry run holds an exclusive `flock(2)` on `dry-run.lock`
/// in its folder for as long as it runs (`AbandonedLockFile`): the kernel drops it when the process ends.
public final class DryRunScratchDirectory: Sendable {
    /// The start of a scratch folder's name; a canonical `UUID` follows.
    public static let namePrefix = "consentgate-dry-run-"
    /// The lock file inside the folder.
    static let lockName = "dry-run.lock"

    /// The folder.
    public let path: String
    /// The scratch database's file inside it.
    public var databasePath: String { path + "/db.sqlite" }
    private let lockFD: Int32

    /// Creates a new scratch folder (only the current user may enter it) in `temporaryDirectory` and takes its lock,
    /// which this object holds until it goes away.
    public init(temporaryDirectory: String = FileManager.default.temporaryDirectory.path) throws {
        let path = (temporaryDirectory as NSString).appendingPathComponent(Self.namePrefix + UUID().uuidString)
        guard mkdir(path, 0o700) == 0 else { throw DriveExportError.io(path: path, operation: "mkdir", errno: errno) }
        let lock = path + "/" + Self.lockName
        let fd = open(lock, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            let e = errno
            rmdir(path)
            throw DriveExportError.io(path: lock, operation: "create", errno: e)
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {   // a new file: only a broken flock fails here
            let e = errno
            close(fd)
            try? FileManager.default.removeItem(atPath: path)
            throw DriveExportError.io(path: lock, operation: "flock", errno: e)
        }
        self.path = path
        lockFD = fd
    }

    /// Removes the folder and everything in it (the scratch database); the lock goes when this object does.
    public func remove() { try? FileManager.default.removeItem(atPath: path) }

    deinit { close(lockFD) }

    /// Whether `name` is a scratch folder's name: the prefix and a canonical UUID, nothing else.
    static func isScratchName(_ name: String) -> Bool {
        guard name.hasPrefix(namePrefix) else { return false }
        let rest = String(name.dropFirst(namePrefix.count))
        return UUID(uuidString: rest)?.uuidString == rest
    }

    /// Removes the scratch folders in `temporaryDirectory` that dry runs no longer running left behind, and returns
    /// their paths. Safe to run beside other dry runs: a folder is removed only when its name matches exactly
    /// (`consentgate-dry-run-<UUID>`), it is a real folder (a symbolic link is never followed), it belongs to the
    /// current user, and its lock file exists and its lock can be taken without waiting (no live dry run holds it);
    /// the lock is held while the folder is removed. A folder without a lock file (a dry run between creating its
    /// folder and its lock, or one of a version before the lock) is kept. Best effort: what cannot be removed stays.
    @discardableResult
    public static func removeStale(in temporaryDirectory: String = FileManager.default.temporaryDirectory.path) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: temporaryDirectory)) ?? []
        var removed: [String] = []
        for name in names.sorted() where isScratchName(name) {
            let path = (temporaryDirectory as NSString).appendingPathComponent(name)
            let fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)   // a symbolic link fails (ELOOP)
            guard fd >= 0 else { continue }
            defer { close(fd) }
            var info = stat()
            guard fstat(fd, &info) == 0, info.st_uid == geteuid() else { continue }
            _ = AbandonedLockFile.whileHeld(lockName, in: fd) {
                // `removeItem` does not follow symbolic links inside the folder; it removes the links themselves.
                if (try? FileManager.default.removeItem(atPath: path)) != nil { removed.append(path) }
            }
        }
        return removed
    }
}
