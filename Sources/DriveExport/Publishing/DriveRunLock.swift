#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Signing

/// The export run lock of one drive: an exclusive `flock(2)` on `<drive>/.consentgate-export.lock`, so two
/// export runs on the same drive cannot interleave. The holder writes its pid, host and start time into
/// the file so a second run can say who holds it. The kernel drops the lock when the holder's descriptor
/// closes, also when the process is killed, so a crashed run never leaves the drive locked.
///
/// Non-copyable: exactly one owner; the lock is released when it goes away (or on `release()`).
public struct DriveRunLock: ~Copyable, Sendable {
    /// The lock file's name inside the drive folder.
    public static let fileName = ".consentgate-export.lock"
    /// The lock file's path.
    public var path: String { file.path }
    private let file: RunLockFile
    /// Whether the run waited for another run to release the lock (`--wait`).
    public var waited: Bool { file.waited }

    /// Takes the lock on `drive`. With `timeout` 0 it fails at once when another run holds it; otherwise
    /// it retries every 100 ms until `timeout` seconds have passed. The error names the holder:
    /// `DriveExportError.runInProgress` ("pid 4711 on host x, since 2026-11-25T10:00:00Z").
    public init(drive: String, timeout: Double = 0, now: @Sendable () -> Date = { Date() }) throws {
        let path = drive.hasSuffix("/") ? drive + Self.fileName : drive + "/" + Self.fileName
        file = try RunLockFile(path: path, timeout: timeout, now: now) { holder in
            DriveExportError.runInProgress(lockFile: path, pid: holder.pid, host: holder.host, since: holder.since)
        }
    }

    /// Releases the lock (clearing the holder text first).
    public consuming func release() {}
}
