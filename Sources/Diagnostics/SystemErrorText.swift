#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The one place where system errors of files and folders become text for people, in German and English: the
/// `errno` values a run meets in practice, and the operations that failed. A German message never carries the C
/// library's English text (`strerror`); an errno not listed here reads "Systemfehler" in German, and the
/// `strerror` text only in English. Every message also gives the number (`errno 2`), for whoever looks it up.
public enum SystemErrorText {
    /// What `errno` means, in German and English (without the number).
    public static func text(errno e: Int32) -> LocalizedText {
        switch e {
        case ENOENT: return LocalizedText(de: "Datei oder Ordner nicht vorhanden", en: "no such file or folder")
        case EACCES: return LocalizedText(de: "keine Berechtigung", en: "permission denied")
        case EPERM: return LocalizedText(de: "Vorgang nicht erlaubt", en: "operation not permitted")
        case ENOSPC: return LocalizedText(de: "kein Platz mehr auf dem Datenträger", en: "no space left on the device")
        case EDQUOT: return LocalizedText(de: "Speicherkontingent erschöpft", en: "disk quota exceeded")
        case EROFS: return LocalizedText(de: "Datenträger ist schreibgeschützt", en: "read-only file system")
        case EISDIR: return LocalizedText(de: "ist ein Ordner, keine Datei", en: "is a folder, not a file")
        case ENOTDIR: return LocalizedText(de: "ein Teil des Pfades ist kein Ordner", en: "a part of the path is not a folder")
        case EEXIST: return LocalizedText(de: "ist bereits vorhanden", en: "already exists")
        case ELOOP: return LocalizedText(de: "ist ein symbolischer Link (wird aus Sicherheitsgründen nicht verfolgt)",
                                         en: "is a symbolic link (not followed, for safety)")
        case EIO: return LocalizedText(de: "Ein-/Ausgabefehler des Datenträgers", en: "input/output error of the device")
        case ENAMETOOLONG: return LocalizedText(de: "Name zu lang", en: "name too long")
        case ENOTEMPTY: return LocalizedText(de: "Ordner ist nicht leer", en: "folder is not empty")
        case EMFILE, ENFILE: return LocalizedText(de: "zu viele offene Dateien", en: "too many open files")
        case EBUSY: return LocalizedText(de: "Datei oder Gerät ist belegt", en: "file or device is busy")
        case EXDEV: return LocalizedText(de: "liegt auf einem anderen Dateisystem (Umbenennen geht nur innerhalb eines Dateisystems)",
                                         en: "is on another file system (a rename works only within one file system)")
        default: return LocalizedText(de: "Systemfehler", en: String(cString: strerror(e)))
        }
    }

    /// "`operation`: `text(errno:)` (errno N)" in both languages: why writing or reading a file failed.
    public static func failure(_ operation: String, errno e: Int32) -> LocalizedText {
        let op = Self.operation(operation), why = text(errno: e)
        return LocalizedText(de: "\(op.de): \(why.de) (errno \(e))", en: "\(op.en): \(why.en) (errno \(e))")
    }

    /// Why the folder `path` could not be made (after `FileManager.createDirectory` failed, whose error carries no
    /// `errno` on Linux): asks `mkdir` once more and explains its `errno`.
    public static func mkdirFailure(_ path: String) -> LocalizedText {
        let e: Int32 = mkdir(path, 0o755) == 0 ? EIO : errno
        return failure("mkdir", errno: e)
    }

    /// `text(errno:)` with the number: "keine Berechtigung (errno 13)".
    public static func describe(errno e: Int32, in language: Language) -> String {
        "\(text(errno: e)[language]) (errno \(e))"
    }

    /// The name of a failed operation (as `DriveExportError.io` and `SigningError.io` give it) in German and English.
    public static func operation(_ op: String) -> LocalizedText {
        switch op {
        case "open": return LocalizedText(de: "Öffnen", en: "open")
        case "read": return LocalizedText(de: "Lesen", en: "read")
        case "write": return LocalizedText(de: "Schreiben", en: "write")
        case "create": return LocalizedText(de: "Anlegen", en: "create")
        case "close": return LocalizedText(de: "Schließen", en: "close")
        case "chmod": return LocalizedText(de: "Setzen der Zugriffsrechte", en: "set permissions")
        case "link": return LocalizedText(de: "Anlegen (ohne Überschreiben)", en: "create (without replacing)")
        case "rename": return LocalizedText(de: "Umbenennen", en: "rename")
        case "mkdir": return LocalizedText(de: "Anlegen des Ordners", en: "create folder")
        case "fsync": return LocalizedText(de: "Sichern auf den Datenträger (fsync)", en: "flush to disk (fsync)")
        case "fsync directory": return LocalizedText(de: "Sichern des Ordners auf den Datenträger (fsync)", en: "flush folder to disk (fsync)")
        case "lstat": return LocalizedText(de: "Prüfen", en: "inspect")
        case "open directory": return LocalizedText(de: "Öffnen des Ordners", en: "open folder")
        case "open lock file": return LocalizedText(de: "Öffnen der Sperrdatei", en: "open lock file")
        case "flock": return LocalizedText(de: "Sperren", en: "lock")
        case "remove stale staging folder": return LocalizedText(de: "Entfernen eines alten Zwischenordners", en: "remove stale staging folder")
        case "create temporary file": return LocalizedText(de: "Anlegen einer temporären Datei", en: "create temporary file")
        case "read temporary file (duplicate case-id check)":
            return LocalizedText(de: "Lesen der temporären Datei (Prüfung auf doppelte Fall-IDs)", en: op)
        case "write temporary file (duplicate case-id check)":
            return LocalizedText(de: "Schreiben der temporären Datei (Prüfung auf doppelte Fall-IDs)", en: op)
        default: return LocalizedText(de: "Vorgang „\(op)“", en: op)
        }
    }
}
