import Diagnostics
import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension TrustStore {
    /// Runs `body` holding an exclusive `flock(2)` on the folder of the trust file `file`, for a change that reads, adds
    /// to and writes the file: two such changes at once (provisioning scripts, two administrators) would each read the
    /// same store and the second write would drop the first's key, whose files stay unnamed on disk (found in a key
    /// review). The folder, not a lock file beside it, so that nothing is left in the keys folder; it is created when
    /// missing. The kernel drops the lock when the process ends, also when it is killed.
    ///
    /// A folder that does not exist yet is not created here (a mistyped `--trust` would leave it behind): there is no
    /// store in it to lose an entry of. A file system that does not lock folders (`EBADF`, `ENOLCK`, `EOPNOTSUPP` on some
    /// network file systems) runs `body` without the lock, as before the lock existed.
    public static func withFileLock<T>(_ file: String, _ body: () throws -> T) throws -> T {
        let dir = URL(fileURLWithPath: file).deletingLastPathComponent().path
        let fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT { return try body() }
            throw AtomicFile.failure(file, "open", errno: errno)
        }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 {
            if errno == EINTR { continue }
            if [EBADF, ENOLCK, EOPNOTSUPP].contains(errno) { break }
            throw AtomicFile.failure(file, "flock", errno: errno)
        }
        return try body()
    }
}
