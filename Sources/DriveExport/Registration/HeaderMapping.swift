import Diagnostics
import Foundation

/// Which policy field each CSV column holds. Built by the caller from the policy's German field labels
/// (which equal the registration list's headers), optionally extended or overridden by a mapping file
/// for spreadsheets with other headings. Header texts are compared by their `HeaderKey` (surrounding and repeated
/// whitespace of any kind ignored, then case when that is unambiguous; see `resolve(_:)`), and as Swift strings
/// compare (canonical equivalence, so NFC and NFD spellings of „ö“ match).
public struct HeaderMapping: Sendable, Equatable {
    /// What a column maps to.
    public enum Target: Sendable, Equatable, Hashable {
        /// The column holds this policy field.
        case field(String)
        /// The column is read but deliberately not used (mapping file value `-`).
        case ignored
    }

    /// Header text → target.
    public private(set) var targets: [String: Target]
    /// Header text → where its entry comes from (`file:line`), for entries read from a mapping file.
    public private(set) var origins: [String: String] = [:]

    /// A mapping from header texts (e.g. policy labels) to field ids.
    public init(fieldsByHeader: [String: String] = [:]) {
        targets = [:]
        for (header, field) in fieldsByHeader { targets[HeaderKey.normalized(header)] = .field(field) }
    }

    /// Maps `header` to `target`, replacing what it mapped to before.
    public mutating func set(_ header: String, to target: Target, origin: String? = nil) {
        targets[HeaderKey.normalized(header)] = target
        origins[HeaderKey.normalized(header)] = origin
    }

    /// This mapping with every entry of `other` added (entries of `other` win).
    public func merging(_ other: HeaderMapping) -> HeaderMapping {
        var copy = self
        for (k, v) in other.targets { copy.targets[k] = v; copy.origins[k] = other.origins[k] }
        return copy
    }

    /// Reads a mapping file: a CSV (`;` or `,`, UTF-8, BOM allowed) whose header line is `column;field`
    /// (or `Spalte;Feld`), then one line per spreadsheet column: its header text and the policy field id,
    /// or `-` to ignore the column. Every problem is an error naming the file and line; with `knownFields`,
    /// a field id the policy (`policyID`) does not define is one. A missing or unreadable file is
    /// `DriveExportError.mappingFileUnreadable` (invalid input, like a missing list).
    public static func load(path: String, knownFields: Set<String>? = nil, policyID: String = "") throws -> HeaderMapping {
        // A pipe or device is refused before it is opened (opening a pipe without a writer blocks; `/dev/zero` never
        // ends a line), and so is a file larger than any mapping: one short line per spreadsheet column.
        var st = stat()
        if stat(path, &st) == 0 {
            if (st.st_mode & S_IFMT) != S_IFREG && (st.st_mode & S_IFMT) != S_IFDIR {
                throw DriveExportError.mappingFileRefused(file: path, reason: LocalizedText(
                    de: "keine gewöhnliche Datei (eine Pipe oder ein Gerät); bitte die Zuordnung als Datei speichern",
                    en: "not a regular file (a pipe or a device); please save the mapping to a file"))
            }
            if Int(st.st_size) > maxFileBytes {
                throw DriveExportError.mappingFileRefused(file: path, reason: LocalizedText(
                    de: "größer als \(maxFileBytes) Bytes (\(st.st_size)); eine Zuordnung hat eine kurze Zeile je Spalte",
                    en: "larger than \(maxFileBytes) bytes (\(st.st_size)); a mapping has one short line per column"))
            }
        }
        do {
            return try read(path: path, knownFields: knownFields, policyID: policyID)
        } catch DriveExportError.io(_, _, let e) {
            throw DriveExportError.mappingFileUnreadable(file: path, errno: e)
        }
    }

    /// The largest mapping file read (1 MiB; a mapping has one line of at most 4 KiB per column).
    public static let maxFileBytes = 1 << 20

    private static func read(path: String, knownFields: Set<String>?, policyID: String) throws -> HeaderMapping {
        let reader = try CSVRecordReader(path: path, options: CSVReaderOptions(maxCellBytes: 1024, maxRecordBytes: 4096, maxColumns: 8))
        let head = reader.header.map { $0.lowercased() }
        guard head == ["column", "field"] || head == ["spalte", "feld"] else {
            throw DriveExportError.invalidMappingFile(file: path, line: 1, reason: LocalizedText(
                de: "Kopfzeile muss „Spalte;Feld“ oder „column;field“ lauten", en: "the header line must be \"column;field\" or \"Spalte;Feld\""))
        }
        var mapping = HeaderMapping()
        var lines: [String: Int] = [:]
        while let record = try reader.next() {
            if let problem = record.problems.first {
                throw DriveExportError.invalidMappingFile(file: path, line: record.line, reason: FileLevelProblemText.text(problem, header: reader.header, isHeader: false))
            }
            let column = HeaderKey.normalized(record.cells[0]), field = record.cells[1].trimmingSpaces
            guard !column.isEmpty else {
                throw DriveExportError.invalidMappingFile(file: path, line: record.line, reason: LocalizedText(de: "Spaltenname leer", en: "empty column name"))
            }
            if let first = lines[column] {
                throw DriveExportError.invalidMappingFile(file: path, line: record.line, reason: LocalizedText(
                    de: "Spalte „\(ShownValue.text(column, language: .de))“ schon in Zeile \(first) zugeordnet",
                    en: "column \"\(ShownValue.text(column, language: .en))\" already mapped in line \(first)"))
            }
            lines[column] = record.line
            let origin = "\(path):\(record.line)"
            if field == "-" {
                mapping.set(column, to: .ignored, origin: origin)
            } else if !FieldID.isValid(field) {
                throw DriveExportError.invalidMappingFile(file: path, line: record.line, reason: LocalizedText(
                    de: "„\(ShownValue.text(field, language: .de))“ ist keine Feld-ID (z. B. name.family) und nicht „-“",
                    en: "\"\(ShownValue.text(field, language: .en))\" is not a field id (e.g. name.family) and not \"-\""))
            } else if let knownFields, !knownFields.contains(field) {
                let policy = policyID.isEmpty ? "" : " " + policyID
                throw DriveExportError.invalidMappingFile(file: path, line: record.line, reason: LocalizedText(
                    de: "„\(field)“ ist kein Feld der Richtlinie\(policy)", en: "\"\(field)\" is not a field of policy\(policy)"))
            } else {
                mapping.set(column, to: .field(field), origin: origin)
            }
        }
        return mapping
    }
}

/// The syntax of policy field ids: dotted lower-case words, e.g. `name.family`, `birth.date`.
enum FieldID {
    static func isValid(_ s: String) -> Bool {
        guard !s.isEmpty, s.utf8.count <= 128 else { return false }
        return s.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { part in
            !part.isEmpty && part.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D || $0 == 0x5F }
        }
    }
}
