import Diagnostics
import Foundation
import Signing

/// A file a command writes where the user says (`--out`, `--output`): never replaced unseen. Something already at that
/// name (a file, a folder, even a dangling symlink) is refused unless the command was given `--force`; the write itself
/// is `Signing.AtomicFile` (temporary file in the same folder, fsync, rename, fsync of the folder), so no half-written
/// file is ever visible. Without `--force` the final step is `link`, which also refuses a file that appeared meanwhile.
enum OutputFile {
    /// Throws `OutputFileExistsError` (exit 2) when something has the name `path` and `force` is false; an empty `path`,
    /// or one naming a folder, is a usage error (exit 2) with or without `--force` (`--out ""` was a storage failure,
    /// exit 5, "cannot write : create …"; a folder was "exists already", then with `--force` exit 5: a review).
    static func refuseExisting(_ path: String, force: Bool, option: String) throws {
        try requireNamed(path, option: option, folder: false)
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
            throw UsageError(de: "\(option): \(path) ist ein Ordner; bitte eine Datei angeben (z. B. \((path as NSString).appendingPathComponent("…")))",
                             en: "\(option): \(path) is a folder; please give a file (e.g. \((path as NSString).appendingPathComponent("…")))")
        }
        guard !force, KeysGenerateCommand.isTaken(path) else { return }
        throw OutputFileExistsError(path: path, option: option)
    }

    /// A usage error (exit 2) for an empty path given to `option`, which names a `folder` or a file.
    static func requireNamed(_ path: String, option: String, folder: Bool) throws {
        guard path.isEmpty else { return }
        throw folder ? UsageError(de: "\(option) ist leer: bitte einen Ordner angeben", en: "\(option) is empty: please give a folder")
                     : UsageError(de: "\(option) ist leer: bitte eine Datei angeben", en: "\(option) is empty: please give a file")
    }

    /// A usage error (exit 2) unless `path` names a folder or nothing yet (it is made): a file there is named as such
    /// (it was "create folder: already exists (errno 17)", exit 5).
    static func requireFolder(_ path: String, option: String) throws {
        try requireNamed(path, option: option, folder: true)
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue {
            throw UsageError(de: "\(option): \(path) ist eine Datei, kein Ordner", en: "\(option): \(path) is a file, not a folder")
        }
    }

    /// Writes `bytes` to `path` atomically with permissions `mode`, refusing an existing file unless `force`.
    /// A failing write is `SigningError.io`, which names the file (exit 5); callers may map it to their own error.
    static func write(_ bytes: [UInt8], to path: String, mode: mode_t, force: Bool, option: String) throws {
        try refuseExisting(path, force: force, option: option)
        try nameTakenAsExisting(option: option) { try AtomicFile.write(bytes, to: path, mode: mode, overwrite: force) }
    }

    /// Runs `body`, which writes a file without replacing one; a name taken meanwhile (another process, e.g. a second
    /// `backup` to the same `--out`) is `OutputFileExistsError` (exit 2), as when it was taken before the write began.
    static func nameTakenAsExisting<T>(option: String, _ body: () throws -> T) throws -> T {
        do { return try body() } catch SigningError.nameTaken(let path) {
            throw OutputFileExistsError(path: path, option: option)
        }
    }
}

/// An output file (or what a command would write into an output folder) exists already and `--force` was not given
/// (exit 2: the command line asked for something the user may not have meant).
struct OutputFileExistsError: UserFacingError, Equatable {
    /// The file that exists.
    let path: String
    /// The option that named it (or its folder), e.g. `--out`.
    let option: String

    /// Always a usage error (exit 2).
    var category: ProblemCategory { .usage }

    /// The option and the path in `language`, with the two ways on: `--force` or another target.
    func message(in language: Language) -> String {
        language == .de
            ? "\(option): \(path) gibt es schon; es wird nur mit --force ersetzt (oder ein anderes Ziel angeben)"
            : "\(option): \(path) exists already; it is only replaced with --force (or give another target)"
    }
}
