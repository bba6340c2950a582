import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The real name of a database file: symbolic links (of the file itself and of its folders) and `..` resolved.
///
/// Why: an installation may reach its database through a link (`data/consentgate.sqlite` pointing at a file on another
/// disk), and SQLite follows it: the write-ahead log is `<real name>-wal`. Whatever is decided about "the database"
/// by name (the in-use lock a restore must see, the files a backup must never replace, the files a restore moves)
/// must be decided about that real name, or a `serve` started with one name and a restore given the other would not
/// see each other.
enum DatabaseFileName {
    /// `path`'s real name: the file's own when it exists, otherwise its folder's real name and its last component
    /// (the path as given, made absolute, when the folder does not exist either).
    static func resolved(_ path: String) -> String {
        if let real = realpath(path, nil) {
            defer { free(real) }
            return String(cString: real)
        }
        let url = URL(fileURLWithPath: path)
        guard let folder = realpath(url.deletingLastPathComponent().path, nil) else { return url.standardizedFileURL.path }
        defer { free(folder) }
        let name = String(cString: folder)
        return (name == "/" ? "" : name) + "/" + url.lastPathComponent
    }
}
