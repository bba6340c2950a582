#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Gate
import Signing

/// An exclusive `flock(2)` on one lock file, with the holder's pid, host and start time written into it so
/// that a second run can say who holds it. The kernel drops the lock when the descriptor closes, also when the
/// process is killed, so a crashed run never leaves anything locked. `flock` locks belong to the open file
/// description: two opens in one process exclude each other just as two processes do.
///
/// Shared by `DriveRunLock` (the drive) and `DatabaseRunLock` (the installation's database). Non-copyable:
/// one owner; released when it goes away.
struct RunLockFile: ~Copyable, Sendable {
    /// What a lock file said about its holder when the lock could not be taken.
    struct Holder: Sendable, Equatable {
        var pid: Int32?
        var host: String?
        var since: String?
    }

    /// The lock file's path.
    let path: String
    private let fd: Int32
    /// Whether another holder had the lock when it was first asked for (the run waited for it).
    let waited: Bool

    /// Takes the lock on `path` (creating the file, never following a symlink). With `timeout` 0 it fails at
    /// once when another holder has it; otherwise it retries every 100 ms until `timeout` seconds have passed.
    /// `busy` makes the error for a held lock from what the holder wrote. `database`: the database file whose lock
    /// this is; run as root, the lock file gets that file's owner (`DatabaseLockFile`), so that the service account
    /// owning the database can still open it.
    init(path: String, database: String? = nil, timeout: Double, now: () -> Date, busy: (Holder) -> any Error) throws {
        let fd = database.map { DatabaseLockFile.open(path, database: $0) } ?? open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { throw DriveExportError.io(path: path, operation: "open lock file", errno: errno) }
        let deadline = Date().addingTimeInterval(timeout)
        var waited = false
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let e = errno
            if e == EINTR { continue }
            guard e == EWOULDBLOCK else {
                close(fd)
                throw DriveExportError.io(path: path, operation: "flock", errno: e)
            }
            if Date() >= deadline {
                let holder = Self.readHolder(fd: fd)
                close(fd)
                throw busy(holder)
            }
            waited = true
            usleep(100_000)
        }
        var host = [CChar](repeating: 0, count: 256)
        gethostname(&host, host.count - 1)
        let hostName = String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let text = "pid=\(getpid())\nhost=\(hostName)\nsince=\(RFC3339.format(now()))\n"
        _ = ftruncate(fd, 0)
        _ = Array(text.utf8).withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        _ = fsync(fd)
        self.fd = fd
        self.path = path
        self.waited = waited
    }

    /// What the current holder wrote into the lock file (`pid=`, `host=`, `since=` lines); all `nil`
    /// when it wrote nothing, e.g. a lock taken by another tool with `flock(1)`.
    static func readHolder(fd: Int32) -> Holder {
        var buf = [UInt8](repeating: 0, count: 512)
        let n = buf.withUnsafeMutableBytes { pread(fd, $0.baseAddress, 511, 0) }
        var values: [String: String] = [:]
        for line in String(decoding: buf.prefix(max(0, n)), as: UTF8.self).split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1)
            if parts.count == 2 { values[String(parts[0])] = String(parts[1]) }
        }
        return Holder(pid: values["pid"].flatMap { Int32($0) }, host: values["host"], since: values["since"])
    }

    deinit {
        _ = ftruncate(fd, 0)
        flock(fd, LOCK_UN)
        close(fd)
    }
}

/// The export run lock of one installation's database: an exclusive `flock(2)` on `<database>.export.lock` (beside
/// the database's real name, so that a run given a symbolic link to the database and one given the file exclude each
/// other; owned like the database: `DatabaseLockFile`), held for a whole run, from before pass 1 and recovery to the end. The ledger's pending runs live in the
/// database, and a run's recovery finishes or drops every pending run it finds: without this lock a second run
/// on the same database (to another drive) would drop the rows of a run that is still going on, leaving
/// published data unlogged (docs/export.md §6). The drive's own lock (`DriveRunLock`) is taken after this one.
public struct DatabaseRunLock: ~Copyable, Sendable {
    /// What is appended to the database's path to name the lock file.
    public static let suffix = ".export.lock"
    /// The database file the lock is for.
    public let database: String
    private let file: RunLockFile
    /// Whether the run waited for another run to release the lock (`--wait`).
    public var waited: Bool { file.waited }

    /// The lock file's path.
    public var path: String { file.path }

    /// Takes the lock for `database` (see `DriveRunLock.init` for `timeout`). A held lock throws
    /// `DriveExportError.databaseRunInProgress`, naming the database and the holder.
    public init(database: String, timeout: Double = 0, now: @Sendable () -> Date = { Date() }) throws {
        let path = DatabaseLockFile.path(database: database, suffix: Self.suffix)
        file = try RunLockFile(path: path, database: database, timeout: timeout, now: now) { holder in
            DriveExportError.databaseRunInProgress(database: database, lockFile: path, pid: holder.pid, host: holder.host,
                                                   since: holder.since)
        }
        self.database = database
    }

    /// Releases the lock.
    public consuming func release() {}
}
