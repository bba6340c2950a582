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
    public let path: String
    private let fd: Int32

    /// Takes the lock on `drive`. With `timeout` 0 it fails at once when another run holds it; otherwise
    /// it retries every 100 ms until `timeout` seconds have passed. The error names the holder:
    /// `DriveExportError.runInProgress` ("pid 4711 on host x, since 2026-11-25T10:00:00Z").
    public init(drive: String, timeout: Double = 0, now: @Sendable () -> Date = { Date() }) throws {
        let path = drive.hasSuffix("/") ? drive + Self.fileName : drive + "/" + Self.fileName
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { throw DriveExportError.io(path: path, operation: "open lock file", errno: errno) }
        let deadline = Date().addingTimeInterval(timeout)
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
                throw DriveExportError.runInProgress(lockFile: path, pid: holder.pid, host: holder.host, since: holder.since)
            }
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
    }

    /// What the current holder wrote into the lock file (`pid=`, `host=`, `since=` lines); all `nil`
    /// when it wrote nothing, e.g. a lock taken by another tool with `flock(1)`.
    static func readHolder(fd: Int32) -> (pid: Int32?, host: String?, since: String?) {
        var buf = [UInt8](repeating: 0, count: 512)
        let n = buf.withUnsafeMutableBytes { pread(fd, $0.baseAddress, 511, 0) }
        var values: [String: String] = [:]
        for line in String(decoding: buf.prefix(max(0, n)), as: UTF8.self).split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1)
            if parts.count == 2 { values[String(parts[0])] = String(parts[1]) }
        }
        return (values["pid"].flatMap { Int32($0) }, values["host"], values["since"])
    }

    /// Releases the lock (clearing the holder text first).
    public consuming func release() {}

    deinit {
        _ = ftruncate(fd, 0)
        flock(fd, LOCK_UN)
        close(fd)
    }
}
