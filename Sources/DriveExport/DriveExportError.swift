import Diagnostics

/// Everything that stops the export job (or one of its steps) as a whole. Problems of a single row never
/// throw: they become `QuarantineEntry` values and the run goes on.
public enum DriveExportError: UserFacingError, Equatable {
    /// The input file has no header line.
    case emptyInput(file: String)
    /// The input is not UTF-8 (e.g. "Unicode text" from Excel is UTF-16).
    case unsupportedEncoding(file: String, encoding: String)
    /// The header line itself cannot be read (bad quoting, invalid UTF-8, too large).
    case unreadableHeader(file: String, reason: LocalizedText)
    /// Header columns that map to no field (1-based column numbers and their names).
    case unknownColumns(file: String, columns: [HeaderColumn])
    /// The same header appears twice, or two headers map to the same field.
    case duplicateColumns(file: String, columns: [HeaderColumn])
    /// Fields the run needs but no header provides (field id, and the header expected for it if known).
    case missingColumns(file: String, fields: [String])
    /// A mapping file line that cannot be used.
    case invalidMappingFile(file: String, line: Int, reason: LocalizedText)
    /// A partner folder or run id that is not a plain name.
    case invalidName(kind: String, name: String, reason: LocalizedText)
    /// A path on the drive is not what it must be (a symlink, a file where a folder belongs, …).
    case unsafePath(path: String, reason: LocalizedText)
    /// The run folder already exists: a run id is never published twice.
    case runAlreadyPublished(path: String)
    /// Another export run holds the drive lock.
    case runInProgress(lockFile: String, pid: Int32?, host: String?, since: String?)
    /// A system call failed on a file or folder.
    case io(path: String, operation: String, errno: Int32)
    /// The manifest does not describe the staged files, or its signer is not the signing key.
    case manifestMismatch(reason: String)
    /// Signing the manifest failed.
    case signingFailed(reason: String)

    /// A header column: 1-based number and its text.
    public struct HeaderColumn: Sendable, Equatable, Hashable {
        public var number: Int
        public var name: String
        public init(number: Int, name: String) { self.number = number; self.name = name }
    }

    /// Input problems exit with 3, signing problems with 4, drive and lock problems with 5 (CONTRACTS §8).
    public var category: ProblemCategory {
        switch self {
        case .emptyInput, .unsupportedEncoding, .unreadableHeader, .unknownColumns, .duplicateColumns,
             .missingColumns, .invalidMappingFile, .invalidName:
            return .invalidInput
        case .manifestMismatch, .signingFailed:
            return .integrity
        case .unsafePath, .runAlreadyPublished, .runInProgress, .io:
            return .storage
        }
    }

    /// The error in German or English, naming the file, line and columns, or the path.
    public func message(in language: Language) -> String {
        let de = language == .de
        func cols(_ c: [HeaderColumn]) -> String {
            c.map { de ? "Spalte \($0.number) „\($0.name)“" : "column \($0.number) \"\($0.name)\"" }.joined(separator: ", ")
        }
        switch self {
        case .emptyInput(let f):
            return de ? "\(f): Die Datei ist leer (keine Kopfzeile)." : "\(f): the file is empty (no header line)."
        case .unsupportedEncoding(let f, let enc):
            return de ? "\(f): Zeichenkodierung \(enc) wird nicht unterstützt; bitte in Excel als „CSV UTF-8 (durch Trennzeichen getrennt)“ speichern."
                      : "\(f): character encoding \(enc) is not supported; save it in Excel as \"CSV UTF-8 (Comma delimited)\"."
        case .unreadableHeader(let f, let r):
            return de ? "\(f):1: Kopfzeile nicht lesbar: \(r.de)" : "\(f):1: header line unreadable: \(r.en)"
        case .unknownColumns(let f, let c):
            return de ? "\(f):1: Unbekannte Spalten (keinem Feld zugeordnet): \(cols(c)). Zuordnungsdatei ergänzen oder mit „-“ ausdrücklich ignorieren."
                      : "\(f):1: unknown columns (mapped to no field): \(cols(c)). Add them to a mapping file, or map them to \"-\" to ignore them."
        case .duplicateColumns(let f, let c):
            return de ? "\(f):1: Doppelte Spalten: \(cols(c))." : "\(f):1: duplicate columns: \(cols(c))."
        case .missingColumns(let f, let fields):
            let list = fields.joined(separator: ", ")
            return de ? "\(f):1: Pflichtspalten fehlen für die Felder: \(list)." : "\(f):1: required columns are missing for the fields: \(list)."
        case .invalidMappingFile(let f, let l, let r):
            return de ? "\(f):\(l): Zuordnungsdatei ungültig: \(r.de)" : "\(f):\(l): invalid mapping file: \(r.en)"
        case .invalidName(let kind, let name, let r):
            return de ? "Ungültiger Name für \(kind) „\(name)“: \(r.de)" : "invalid \(kind) name \"\(name)\": \(r.en)"
        case .unsafePath(let p, let r):
            return de ? "\(p): \(r.de)" : "\(p): \(r.en)"
        case .runAlreadyPublished(let p):
            return de ? "\(p): Dieser Exportlauf ist bereits veröffentlicht; eine Lauf-ID wird nie zweimal verwendet."
                      : "\(p): this export run is already published; a run id is never used twice."
        case .runInProgress(let file, let pid, let host, let since):
            let p = pid.map { "pid \($0)" } ?? (de ? "pid unbekannt" : "pid unknown")
            let h = host.map { de ? " auf \($0)" : " on \($0)" } ?? ""
            let s = since.map { de ? ", seit \($0)" : ", since \($0)" } ?? ""
            return de ? "Ein anderer Exportlauf ist gerade aktiv (\(p)\(h)\(s); Sperrdatei \(file))."
                      : "another export run is in progress (\(p)\(h)\(s); lock file \(file))."
        case .io(let p, let op, let e):
            let text = String(cString: strerror(e))
            return de ? "\(p): \(op) fehlgeschlagen: \(text) (errno \(e))." : "\(p): \(op) failed: \(text) (errno \(e))."
        case .manifestMismatch(let r):
            return de ? "Manifest passt nicht zu den Dateien des Laufs: \(r)" : "the manifest does not match the run's files: \(r)"
        case .signingFailed(let r):
            return de ? "Manifest konnte nicht signiert werden: \(r)" : "the manifest could not be signed: \(r)"
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
