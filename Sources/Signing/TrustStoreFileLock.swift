import Diagnostics
import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension TrustStore {
    /// Runs `body` holding an exclusive `flock(2)` on `.<name>.lock` beside the trust file `file`, for a change that
    /// reads, adds to and writes the file: two such changes at once (provisioning scripts, two administrators) would each
    /// read the same store and the second write would drop the first's key, whose files stay unnamed on disk (found in a
    /// key review). The lock file is created when missing (mode 0644, like the trust file); the kernel drops the lock when
    /// the process ends, also when it is killed.
    public static func withFileLock<T>(_ file: String, _ body: () throws -> T) throws -> T {
        let url = URL(fileURLWithPath: file)
        let dir = url.deletingLastPathComponent().path
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let lockPath = dir + "/." + url.lastPathComponent + ".lock"
        let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw AtomicFile.failure(lockPath, "open", errno: errno) }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 {
            if errno == EINTR { continue }
            throw AtomicFile.failure(lockPath, "flock", errno: errno)
        }
        return try body()
    }
}
