import Diagnostics
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes files so that no half-written file is ever visible: a temporary file in the same folder, created
/// with its final mode (so a private key is never readable by others, not even for a moment), written,
/// `fsync`ed, renamed over the target, and the folder `fsync`ed so the rename survives a crash.
public enum AtomicFile {
    /// Writes `bytes` to `path` with permissions `mode`. With `overwrite: false` an existing file is an error
    /// and is left untouched (the final step is `link`, which fails instead of replacing).
    public static func write(_ bytes: [UInt8], to path: String, mode: mode_t = 0o644, overwrite: Bool = true) throws {
        try writeAll([(bytes: bytes, path: path)], mode: mode, overwrite: overwrite)
    }

    /// Writes several files as one: every file's temporary copy is written and `fsync`ed before the first is given its
    /// name, so a failure while writing (a full disk, a quota) leaves none of them; the names are then given in order. A
    /// failure while naming (rare: names take no file space) removes the files this call named before it when
    /// `overwrite` is false (they did not exist before), so the set is never left in part. For documents that are only
    /// meaningful together (a consent and its withdrawals: the consent alone would read as still granted).
    public static func writeAll(_ files: [(bytes: [UInt8], path: String)], mode: mode_t = 0o644, overwrite: Bool = true) throws {
        var temps: [String] = []
        var placed: [String] = []
        var done = false
        defer {
            if !done {
                for t in temps { unlink(t) }
                if !overwrite { for p in placed { unlink(p) } }
            }
        }
        // What the name holds must be a file to replace: a device, a named pipe or a socket is never swapped for a
        // regular file (a black-box review: `audit report --output /dev/full --force` run as root turned the device into
        // a file holding a person's report, mode 0640). A symbolic link is replaced by the file, as before.
        for file in files { try refuseSpecialFile(file.path) }
        for file in files {
            let temp = temporaryName(for: file.path)
            let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
            guard fd >= 0 else { throw failure(file.path, "create") }
            temps.append(temp)
            // The umask may have removed bits from `mode`; set exactly what was asked.
            guard fchmod(fd, mode) == 0 else { let e = failure(file.path, "chmod"); close(fd); throw e }
            var offset = 0
            while offset < file.bytes.count {
                let n = file.bytes.withUnsafeBytes { buf in Glibc.write(fd, buf.baseAddress! + offset, buf.count - offset) }
                if n < 0 {
                    if errno == EINTR { continue }
                    let e = failure(file.path, "write"); close(fd); throw e
                }
                offset += n
            }
            guard fsync(fd) == 0 else { let e = failure(file.path, "fsync"); close(fd); throw e }
            guard close(fd) == 0 else { throw failure(file.path, "close") }
        }
        for (file, temp) in zip(files, temps) {
            try place(temp, at: file.path, overwrite: overwrite)
            placed.append(file.path)
        }
        temps = []
        done = true
    }

    /// Throws `SigningError.io` naming `path` when something other than a regular file or a symbolic link has that name.
    /// Checked for every file of a set before the first is written, so a folder in the way (which the rename would refuse
    /// only after earlier files of the set were named) leaves none of them either.
    static func refuseSpecialFile(_ path: String) throws {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        var type = info.st_mode & S_IFMT
        // A link is replaced by the file, unless it leads to a device, pipe or socket (`/dev/stdout`).
        if type == S_IFLNK, stat(path, &info) == 0, [S_IFCHR, S_IFBLK, S_IFIFO, S_IFSOCK].contains(info.st_mode & S_IFMT) {
            type = info.st_mode & S_IFMT
        }
        if type == S_IFDIR {
            throw SigningError.io(path: path, reason: LocalizedText(de: "ist ein Ordner und wird nicht ersetzt; eine Datei als Ziel angeben",
                                                                    en: "is a folder and is not replaced; name a file as the target"))
        }
        guard [S_IFCHR, S_IFBLK, S_IFIFO, S_IFSOCK].contains(type) else { return }
        throw SigningError.io(path: path, reason: LocalizedText(
            de: "ist keine gewöhnliche Datei (ein Gerät, eine benannte Pipe oder ein Socket) und wird nicht ersetzt; eine Datei als Ziel angeben",
            en: "is not a regular file (a device, a named pipe or a socket) and is not replaced; name a file as the target"))
    }

    /// A temporary name in `path`'s folder for a file that will become `path` (hidden, random suffix): write it there,
    /// then `place` it. Being in the same folder, the final step is a rename within one file system.
    public static func temporaryName(for path: String) -> String {
        let url = URL(fileURLWithPath: path)
        let suffix = Hex.encode((try? SecureRandom.bytes(6)) ?? [0])
        return url.deletingLastPathComponent().path + "/." + url.lastPathComponent + ".tmp-" + suffix
    }

    /// Gives the complete file `temp` (written by someone else, e.g. SQLite's backup) the name `path`, after an
    /// `fsync` of its content: with `overwrite` by `rename` (an existing file is replaced in one step), otherwise
    /// without ever replacing (`placeWithoutReplacing`; an existing file is an error and `temp` stays for the caller
    /// to remove). The folder is `fsync`ed afterwards so the new name survives a crash.
    public static func place(_ temp: String, at path: String, overwrite: Bool) throws {
        try refuseSpecialFile(path)   // also for a file written by someone else (SQLite's backup)
        let fd = open(temp, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw failure(path, "open") }
        guard fsync(fd) == 0 else { let e = failure(path, "fsync"); close(fd); throw e }
        close(fd)
        if overwrite {
            guard rename(temp, path) == 0 else { throw failure(path, "rename") }
        } else {
            guard placeWithoutReplacing(temp, at: path) else {
                throw errno == EEXIST ? SigningError.nameTaken(path: path) : failure(path, "link")
            }
            unlink(temp)
        }
        syncDirectory(URL(fileURLWithPath: path).deletingLastPathComponent().path)
    }

    /// Gives the written file `temp` the name `path` unless something has that name: `link`, which fails instead of
    /// replacing. A file system without hard links (FAT and exFAT on a USB stick: `EPERM`; others: `EOPNOTSUPP`,
    /// `ENOSYS`) gets `rename` after checking that the name is free, which replaces only a file created in the
    /// instant between check and rename. False with `errno` set when it fails (`EEXIST` for a taken name).
    static func placeWithoutReplacing(_ temp: String, at path: String,
                                      link makeLink: (String, String) -> Int32 = { Glibc.link($0, $1) }) -> Bool {
        if makeLink(temp, path) == 0 { return true }
        guard [EPERM, EOPNOTSUPP, ENOSYS].contains(errno) else { return false }
        var info = stat()
        if lstat(path, &info) == 0 { errno = EEXIST; return false }
        // Moved rather than linked: the caller's `unlink(temp)` afterwards finds nothing to remove.
        return rename(temp, path) == 0
    }

    /// `fsync` on the folder, so the new directory entry is durable.
    private static func syncDirectory(_ dir: String) {
        let fd = open(dir.isEmpty ? "." : dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        close(fd)
    }

    private static func failure(_ path: String, _ step: String) -> SigningError { failure(path, step, errno: errno) }

    /// The error of `step` failing with `e`. `SigningError.io` says "write failed" already, so the writing step itself
    /// adds only why (the full-disk review read "Schreiben fehlgeschlagen: Schreiben: kein Platz …"); the others name
    /// themselves ("write failed: create: …").
    static func failure(_ path: String, _ step: String, errno e: Int32) -> SigningError {
        guard step != "write" else {
            return .io(path: path, reason: LocalizedText(de: SystemErrorText.describe(errno: e, in: .de),
                                                         en: SystemErrorText.describe(errno: e, in: .en)))
        }
        return .io(path: path, reason: SystemErrorText.failure(step, errno: e))
    }
}

/// Reading whole files with errors that name the file.
enum FileBytes {
    /// The file's bytes, refusing files over `limit` bytes (key and trust files are small).
    static func read(_ path: String, limit: Int = 1 << 20) throws -> [UInt8] {
        switch InputFileProblem.read(path, limit: limit) {
        case .read(let bytes): return bytes
        case .refused(let reason): throw SigningError.unreadableFile(path: path, reason: reason)
        }
    }

    /// The file as UTF-8 text.
    static func readText(_ path: String, limit: Int = 1 << 20) throws -> String {
        let bytes = try read(path, limit: limit)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            // Binary starting with a DER SEQUENCE is most likely a key saved as DER, not PEM: say so (a review found a DER
            // public key reported only as "not UTF-8 text").
            // A SEQUENCE whose length byte says the rest of the file (short or long form), not just any text starting "0".
            let derLength: Int? = bytes.count < 2 ? nil
                : bytes[1] < 0x80 ? Int(bytes[1]) + 2
                : bytes[1] == 0x81 && bytes.count > 2 ? Int(bytes[2]) + 3
                : bytes[1] == 0x82 && bytes.count > 3 ? (Int(bytes[2]) << 8 | Int(bytes[3])) + 4 : nil
            if bytes.first == 0x30, derLength == bytes.count {
                throw SigningError.unreadableFile(path: path, reason: LocalizedText(
                    de: "kein UTF-8-Text, sondern binär (wohl ein Schlüssel im DER-Format; erwartet wird PEM-Text, umwandeln z. B. mit openssl pkey -inform DER)",
                    en: "not UTF-8 text but binary (likely a key in DER form; PEM text is expected, convert e.g. with openssl pkey -inform DER)"))
            }
            throw SigningError.unreadableFile(path: path, reason: LocalizedText(de: "kein UTF-8-Text", en: "not UTF-8 text"))
        }
        return text
    }
}
