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

    /// The reason for a failure with `code` (`errno`) while opening or reading.
    public static func systemReason(_ code: Int32) -> LocalizedText {
        switch code {
        case EACCES, EPERM: LocalizedText(de: "keine Leseberechtigung", en: "no permission to read it")
        case EISDIR: LocalizedText(de: "ist ein Ordner, keine Datei", en: "is a folder, not a file")
        default: SystemErrorText.failure("read", errno: code)
        }
    }
}
