import Diagnostics
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a file the user named (a key, a passphrase file, a file to sign, a document to verify or import, the
/// scan of a signed form) cannot be read, in German and English: missing, a folder, no permission, too large. Foundation's own texts are English only
/// ("The operation could not be completed") and said "no such file" for a folder.
public enum InputFileProblem {
    /// The problem with reading `path` as a regular file of at most `limit` bytes, or nil when there is none.
    public static func reason(_ path: String, limit: Int? = nil) -> LocalizedText? {
        var info = stat()
        guard stat(path, &info) == 0 else {
            return errno == ENOENT || errno == ENOTDIR
                ? LocalizedText(de: "keine solche Datei", en: "no such file")
                : systemReason(errno)
        }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            return LocalizedText(de: "ist ein Ordner, keine Datei", en: "is a folder, not a file")
        }
        if let limit, Int(info.st_size) > limit {
            return LocalizedText(de: "größer als \(limit) Bytes (\(info.st_size))", en: "larger than \(limit) bytes (\(info.st_size))")
        }
        guard access(path, R_OK) == 0 else { return systemReason(errno) }
        return nil
    }

    /// The bytes of `path`, at most `limit`, or why not. Read in chunks through the file descriptor, so a pipe
    /// (`<(cat doc.jws)`, `/dev/stdin`) is read as a file is, and one without end (`/dev/zero`, `yes |`) is refused
    /// once it passes `limit` instead of filling memory. Foundation's `contents(atPath:)` gave nil for a pipe with
    /// errno 0 ("read: Success") and read a device whole (input review, findings 3, 5 and 6).
    public static func read(_ path: String, limit: Int) -> Outcome {
        if let reason = reason(path, limit: limit) { return .refused(reason) }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return .refused(systemReason(errno)) }
        defer { close(fd) }
        return read(fileDescriptor: fd, limit: limit)
    }

    /// The bytes of the open `fd` from where it stands, at most `limit`, or why not: standard input (`-`) is read
    /// through its descriptor, never reopened by a path (`/dev/stdin` of a pipe made by another user, as under `sudo -u`,
    /// cannot be opened again, and a socket not at all).
    public static func read(fileDescriptor fd: Int32, limit: Int) -> Outcome {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                return .refused(systemReason(errno))
            }
            if n == 0 { return .read(bytes) }
            guard bytes.count + n <= limit else {
                return .refused(LocalizedText(de: "größer als \(limit) Bytes", en: "larger than \(limit) bytes"))
            }
            bytes.append(contentsOf: chunk[0..<n])
        }
    }

    /// What `read` gives: the file's bytes, or why they could not be read.
    public enum Outcome: Sendable {
        /// The whole file.
        case read([UInt8])
        /// Why not, in German and English.
        case refused(LocalizedText)
    }

    /// The reason for a failure with `code` (`errno`) while opening or reading.
    public static func systemReason(_ code: Int32) -> LocalizedText {
        switch code {
        case EACCES, EPERM: LocalizedText(de: "keine Leseberechtigung", en: "no permission to read it")
        case EISDIR: LocalizedText(de: "ist ein Ordner, keine Datei", en: "is a folder, not a file")
        default: SystemErrorText.failure("read", errno: code)
        }
    }
}
