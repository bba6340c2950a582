#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// The checks of a run's inputs before anything is read or written: the list, and the quarantine report's folder.
extension ExportJob {
    /// The list must exist (`inputMissing`), be a regular file (`inputNotRegularFile`: not a pipe or device) and open
    /// for reading (`inputUnreadable` with the cause: no permission, a folder, …), so the operator of an unattended run
    /// learns which of them it is.
    static func checkReadable(input: String) throws {
        var st = stat()
        guard stat(input, &st) == 0 else {
            throw errno == ENOENT || errno == ENOTDIR ? ExportJobError.inputMissing(path: input)
                                                      : ExportJobError.inputUnreadable(path: input, errno: errno)
        }
        guard (st.st_mode & S_IFMT) != S_IFDIR else { throw ExportJobError.inputUnreadable(path: input, errno: EISDIR) }
        // A pipe (`--input /dev/stdin` fed by `cat`) would be read to its end by pass 1 and found empty by pass 2 ("the
        // file is empty"), and opening one without a writer blocks: only a regular file (or a link to one) is a list.
        guard (st.st_mode & S_IFMT) == S_IFREG else { throw ExportJobError.inputNotRegularFile(path: input) }
        let fd = open(input, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ExportJobError.inputUnreadable(path: input, errno: errno) }
        close(fd)
    }

    /// The quarantine report's folder: `--quarantine-dir`, else the input's folder. It must exist, be writable,
    /// and not be the drive or inside it (compared as real paths, so no symlink or `..` gets around it).
    static func quarantineDirectory(_ options: ExportOptions) throws -> String {
        let dir = options.quarantineDirectory ?? folder(of: options.input)
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDir), isDir.boolValue else {
            throw ExportJobError.quarantineDirectoryMissing(path: dir)
        }
        if let real = realPath(dir), let drive = realPath(options.drive),
           real == drive || real.hasPrefix(drive == "/" ? "/" : drive + "/") {
            throw ExportJobError.quarantineDirectoryOnDrive(path: dir, drive: options.drive, defaulted: options.quarantineDirectory == nil)
        }
        guard access(dir, W_OK | X_OK) == 0 else {
            throw ExportJobError.quarantineDirectoryNotWritable(path: dir, errno: errno, defaulted: options.quarantineDirectory == nil)
        }
        return dir
    }

    /// `path` with every symbolic link and `.`/`..` resolved (nil when it does not exist).
    static func realPath(_ path: String) -> String? {
        guard let p = realpath(path, nil) else { return nil }
        defer { free(p) }
        return String(cString: p)
    }

    /// The folder a path lies in (`.` for a bare file name): the default folder of the quarantine report.
    static func folder(of path: String) -> String {
        let dir = (path as NSString).deletingLastPathComponent
        return dir.isEmpty ? "." : dir
    }
}
