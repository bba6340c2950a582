import Diagnostics

/// Everything that stops the export job (or one of its steps) as a whole. Problems of a single row never
/// throw: they become `QuarantineEntry` values and the run goes on.
public enum DriveExportError: UserFacingError, Equatable {
    /// The input file has no header line.
    case emptyInput(file: String)
    /// The input is not UTF-8 (e.g. "Unicode text" from Excel is UTF-16).
    case unsupportedEncoding(file: String, encoding: String)
    /// A header cell holds bytes that are not UTF-8 (1-based line and column, the cell's text with U+FFFD for those
    /// bytes): most likely a list saved by older German Excel as "CSV (Trennzeichen-getrennt)", i.e. Windows-1252.
    case notUTF8(file: String, line: Int, column: HeaderColumn)
    /// The header line itself cannot be read (bad quoting, invalid UTF-8, too large).
    case unreadableHeader(file: String, reason: LocalizedText)
    /// Header columns that map to no field (1-based column numbers and their names).
    case unknownColumns(file: String, columns: [HeaderColumn])
    /// Not one cell of the first line is a known column header: most likely the header line is missing and the first
    /// line is a person's row, so no cell is echoed. `columns`: how many cells the line has; `expected`: the
    /// headers the required fields are known by.
    case noHeaderLine(file: String, columns: Int, expected: [String])
    /// The same header appears twice, or two headers map to the same field: each duplicate with the column it repeats.
    case duplicateColumns(file: String, duplicates: [DuplicateColumn])
    /// Fields the run needs but no header provides (field id, and the header expected for it if known).
    case missingColumns(file: String, fields: [String])
    /// A mapping file line that cannot be used.
    case invalidMappingFile(file: String, line: Int, reason: LocalizedText)
    /// The mapping file is missing or cannot be read (an input error, like a missing list; exit 3).
    case mappingFileUnreadable(file: String, errno: Int32)
    /// The mapping file is no regular file (a pipe or a device: `/dev/zero` was read for good) or is larger than a
    /// mapping can be (exit 3).
    case mappingFileRefused(file: String, reason: LocalizedText)
    /// A partner folder or run id that is not a plain name.
    case invalidName(kind: String, name: String, reason: LocalizedText)
    /// A path on the drive is not what it must be (a symlink, a file where a folder belongs, …).
    case unsafePath(path: String, reason: LocalizedText)
    /// The run folder already exists: a run id is never published twice.
    case runAlreadyPublished(path: String)
    /// Another export run holds the drive lock.
    case runInProgress(lockFile: String, pid: Int32?, host: String?, since: String?)
    /// Another export run holds the database's export lock (`DatabaseRunLock`): it works on the same ledger,
    /// possibly to another drive.
    case databaseRunInProgress(database: String, lockFile: String, pid: Int32?, host: String?, since: String?)
    /// A system call failed on a file or folder.
    case io(path: String, operation: String, errno: Int32)
    /// The manifest does not describe the staged files, or its signer is not the signing key.
    case manifestMismatch(reason: String)
    /// Signing the manifest failed.
    case signingFailed(reason: String)

    /// A header column: 1-based number and its text.
    public struct HeaderColumn: Sendable, Equatable, Hashable {
        /// The column's position in the header row, counting from 1 as a spreadsheet does.
        public var number: Int
        /// The column's header text as the list has it.
        public var name: String
        /// Creates a column reference; `number` is 1-based.
        public init(number: Int, name: String) { self.number = number; self.name = name }
    }

    /// A header column that repeats an earlier one: the same header text twice, or a second column for a field.
    public struct DuplicateColumn: Sendable, Equatable, Hashable {
        /// The later column.
        public var column: HeaderColumn
        /// The earlier column it repeats.
        public var first: HeaderColumn
        /// The field both map to (nil when the header text itself repeats).
        public var field: String?
        /// Where the later column's mapping to `field` comes from, when from a mapping file (`file:line`).
        public var columnMappedAt: String?
        /// Where the earlier column's mapping to `field` comes from, when from a mapping file (`file:line`).
        public var firstMappedAt: String?

        /// A duplicate column.
        public init(column: HeaderColumn, first: HeaderColumn, field: String? = nil, columnMappedAt: String? = nil,
                    firstMappedAt: String? = nil) {
            self.column = column; self.first = first; self.field = field
            self.columnMappedAt = columnMappedAt; self.firstMappedAt = firstMappedAt
        }
    }

    /// Input problems exit with 3, signing problems with 4, drive and lock problems with 5 (CONTRACTS §8).
    public var category: ProblemCategory {
        switch self {
        case .emptyInput, .unsupportedEncoding, .notUTF8, .unreadableHeader, .unknownColumns, .noHeaderLine, .duplicateColumns,
             .missingColumns, .invalidMappingFile, .mappingFileUnreadable, .mappingFileRefused, .invalidName:
            return .invalidInput
        case .manifestMismatch, .signingFailed:
            return .integrity
        case .unsafePath, .runAlreadyPublished, .runInProgress, .databaseRunInProgress, .io:
            return .storage
        }
    }

    /// The error in German or English, naming the file, line and columns, or the path.
    public func message(in language: Language) -> String {
        let de = language == .de
        // A header cell as read, its control and direction characters escaped (an ESC or BEL in a list's header reached
        // the operator's terminal: an export probe).
        func col(_ c: HeaderColumn) -> String {
            let name = ShownValue.text(c.name, language: language)
            return de ? "Spalte \(c.number) „\(name)“" : "column \(c.number) \"\(name)\""
        }
        func cols(_ c: [HeaderColumn]) -> String { c.map(col).joined(separator: ", ") }
        func origin(_ at: String?) -> String {
            guard let at else { return de ? " (Feldbezeichnung der Richtlinie)" : " (the policy's field label)" }
            return de ? " (Zuordnungsdatei \(at))" : " (mapping file \(at))"
        }
        func duplicate(_ d: DuplicateColumn) -> String {
            guard let field = d.field else {
                return de ? "\(col(d.column)) wiederholt \(col(d.first))" : "\(col(d.column)) repeats \(col(d.first))"
            }
            return de ? "\(col(d.first))\(origin(d.firstMappedAt)) und \(col(d.column))\(origin(d.columnMappedAt)) ergeben beide das Feld \(field)"
                      : "\(col(d.first))\(origin(d.firstMappedAt)) and \(col(d.column))\(origin(d.columnMappedAt)) both map to the field \(field)"
        }
        switch self {
        case .emptyInput(let f):
            return de ? "\(f): Die Datei ist leer (keine Kopfzeile)." : "\(f): the file is empty (no header line)."
        case .unsupportedEncoding(let f, let enc):
            return de ? "\(f): Zeichenkodierung \(enc) wird nicht unterstützt; bitte in Excel als „CSV UTF-8 (durch Trennzeichen getrennt)“ speichern."
                      : "\(f): character encoding \(enc) is not supported; save it in Excel as \"CSV UTF-8 (Comma delimited)\"."
        case .notUTF8(let f, let l, let c):
            return de ? "\(f):\(l): \(col(c)): keine gültige UTF-8-Zeichenkodierung (wohl in Excel als „CSV (Trennzeichen-getrennt)“ gespeichert, also Windows-1252); bitte in Excel als „CSV UTF-8 (durch Trennzeichen getrennt)“ speichern."
                      : "\(f):\(l): \(col(c)): not valid UTF-8 (probably saved in Excel as \"CSV (Comma delimited)\", i.e. Windows-1252); save it in Excel as \"CSV UTF-8 (Comma delimited)\"."
        case .unreadableHeader(let f, let r):
            return de ? "\(f):1: Kopfzeile nicht lesbar: \(r.de)" : "\(f):1: header line unreadable: \(r.en)"
        case .unknownColumns(let f, let c):
            return de ? "\(f):1: Unbekannte Spalten (keinem Feld zugeordnet): \(cols(c)). Zuordnungsdatei ergänzen oder mit „-“ ausdrücklich ignorieren."
                      : "\(f):1: unknown columns (mapped to no field): \(cols(c)). Add them to a mapping file, or map them to \"-\" to ignore them."
        case .noHeaderLine(let f, let n, let expected):
            let names = expected.map { de ? "„\($0)“" : "\"\($0)\"" }.joined(separator: ", ")
            return de ? "\(f):1: Keine Kopfzeile: keine der \(n) Zellen der ersten Zeile ist eine bekannte Spaltenüberschrift (erwartet u. a. \(names)). Fehlt die Kopfzeile? Sonst die Spalten in einer Zuordnungsdatei zuordnen."
                      : "\(f):1: no header line: none of the \(n) cells of the first line is a known column header (expected, among others, \(names)). Is the header line missing? Otherwise map the columns in a mapping file."
        case .duplicateColumns(let f, let d):
            return de ? "\(f):1: Doppelte Spalten: \(d.map { duplicate($0) }.joined(separator: "; "))."
                      : "\(f):1: duplicate columns: \(d.map { duplicate($0) }.joined(separator: "; "))."
        case .missingColumns(let f, let fields):
            let list = fields.joined(separator: ", ")
            return de ? "\(f):1: Pflichtspalten fehlen für die Felder: \(list)." : "\(f):1: required columns are missing for the fields: \(list)."
        case .invalidMappingFile(let f, let l, let r):
            return de ? "\(f):\(l): Zuordnungsdatei ungültig: \(r.de)" : "\(f):\(l): invalid mapping file: \(r.en)"
        case .mappingFileUnreadable(let f, let e):
            return de ? "Zuordnungsdatei \(f) fehlt oder ist nicht lesbar: \(SystemErrorText.describe(errno: e, in: language))."
                      : "mapping file \(f) is missing or unreadable: \(SystemErrorText.describe(errno: e, in: language))."
        case .mappingFileRefused(let f, let r):
            return de ? "Zuordnungsdatei \(f) nicht verwendbar: \(r.de)." : "mapping file \(f) cannot be used: \(r.en)."
        case .invalidName(let kind, let name, let r):
            let shown = ShownValue.text(name, language: language)
            return de ? "Ungültiger Name für \(kind) „\(shown)“: \(r.de)" : "invalid \(kind) name \"\(shown)\": \(r.en)"
        case .unsafePath(let p, let r):
            return de ? "\(p): \(r.de)" : "\(p): \(r.en)"
        case .runAlreadyPublished(let p):
            return de ? "\(p): Dieser Exportlauf ist bereits veröffentlicht; eine Lauf-ID wird nie zweimal verwendet."
                      : "\(p): this export run is already published; a run id is never used twice."
        case .runInProgress(let file, let pid, let host, let since):
            let p = pid.map { "pid \($0)" } ?? (de ? "pid unbekannt" : "pid unknown")
            let h = host.map { de ? " auf \($0)" : " on \($0)" } ?? ""
            let s = since.map { de ? ", seit \($0)" : ", since \($0)" } ?? ""
            return de ? "Ein anderer Exportlauf ist gerade aktiv (\(p)\(h)\(s); Sperrdatei \(file)); das Laufwerk ist gesperrt."
                      : "another export run is in progress (\(p)\(h)\(s); lock file \(file)); the drive is locked."
        case .databaseRunInProgress(let db, let file, let pid, let host, let since):
            let p = pid.map { "pid \($0)" } ?? (de ? "pid unbekannt" : "pid unknown")
            let h = host.map { de ? " auf \($0)" : " on \($0)" } ?? ""
            let s = since.map { de ? ", seit \($0)" : ", since \($0)" } ?? ""
            return de ? "Ein anderer Exportlauf arbeitet gerade mit der Datenbank \(db) (\(p)\(h)\(s); Sperrdatei \(file)); die Datenbank ist für Exporte gesperrt. Es läuft immer nur ein Export je Datenbank, auch auf verschiedene Laufwerke."
                      : "another export run is using the database \(db) (\(p)\(h)\(s); lock file \(file)); the database is locked for exports. Only one export runs per database at a time, also to different drives."
        case .io(let p, let op, let e):
            let what = SystemErrorText.operation(op)[language], why = SystemErrorText.describe(errno: e, in: language)
            return de ? "\(p): \(what) fehlgeschlagen: \(why)." : "\(p): \(what) failed: \(why)."
        case .manifestMismatch(let r):
            return de ? "Manifest passt nicht zu den Dateien des Laufs: \(r)" : "the manifest does not match the run's files: \(r)"
        case .signingFailed(let r):
            return de ? "Manifest konnte nicht signiert werden: \(r)" : "the manifest could not be signed: \(r)"
        }
    }
}
