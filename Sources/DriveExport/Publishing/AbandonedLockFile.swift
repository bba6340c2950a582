#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Telling what a killed run left behind from what a live run is using: a live run holds an exclusive `flock(2)` on a
/// lock file of its own for as long as it runs, and the kernel drops that lock when the process ends, also by SIGKILL
/// or a power loss. A lock that can be taken without waiting therefore has no live holder any more.
///
/// Shared by the quarantine report's stale temporary files (`QuarantineReportWriter.removeStale`) and the stale scratch
/// folders of export dry runs (`DryRunScratchDirectory.removeStale`), so both decide "abandoned" the same way.
enum AbandonedLockFile {
    /// Opens the lock file `name` in the folder open as `directoryFD` (`AT_FDCWD`: `name` is a path), never following
    /// a symbolic link, and tries to take its exclusive lock without waiting. When it can, runs `body` while holding
    /// it (so no new holder can appear meanwhile) and returns `true`; `false` when the lock is held by a live process,
    /// or the file is missing, a symbolic link or cannot be opened.
    static func whileHeld(_ name: String, in directoryFD: Int32 = AT_FDCWD, _ body: () -> Void) -> Bool {
        let fd = openat(directoryFD, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            if errno != EINTR { return false }   // EWOULDBLOCK: a live holder's
        }
        body()
        return true
    }
}
