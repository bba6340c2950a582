/// Limits and choices for reading a registration list. The limits keep memory bounded whatever the
/// input: a hostile or broken file costs at most about `maxRecordBytes + chunkSize` bytes of buffer.
public struct CSVReaderOptions: Sendable, Equatable {
    /// Largest cell in bytes. 64 KiB holds any Excel cell (32,767 characters) of Latin or Cyrillic text.
    public var maxCellBytes: Int
    /// Largest record (all its cells and separators) in bytes.
    public var maxRecordBytes: Int
    /// Most columns a record (or the header) may have.
    public var maxColumns: Int
    /// Most physical lines one record may span (quoted cells with line breaks). A quote left open is
    /// found after at most this many lines, and the lines after the record's first are read again.
    public var maxRecordLines: Int
    /// Bytes asked from the source per read.
    public var chunkSize: Int
    /// The separator; `nil` detects `;` or `,` from the header line (whichever occurs more outside quotes).
    public var separator: UInt8?

    /// The defaults used by the export job.
    public init(maxCellBytes: Int = 65_536, maxRecordBytes: Int = 1 << 20, maxColumns: Int = 512,
                maxRecordLines: Int = 100, chunkSize: Int = 1 << 18, separator: UInt8? = nil) {
        self.maxCellBytes = maxCellBytes
        self.maxRecordBytes = max(maxRecordBytes, maxCellBytes)
        self.maxColumns = maxColumns
        self.maxRecordLines = maxRecordLines
        self.chunkSize = max(chunkSize, 16)
        self.separator = separator
    }
}

/// What is wrong with one record as text (before any field is looked at).
public enum CSVRecordProblem: Sendable, Equatable, Hashable {
    /// A quoted cell (1-based column) is never closed properly: the record is reported at its first line
    /// and reading resumes at the next physical line, so no later row is swallowed.
    case unterminatedQuote(column: Int)
    /// A quote where RFC 4180 allows none: text after a closing quote, or a quote inside an unquoted cell.
    case malformedQuote(column: Int)
    /// The record is larger than `maxRecordBytes`.
    case recordTooLarge(limit: Int)
    /// A cell is larger than `maxCellBytes` (its content is not kept).
    case cellTooLarge(column: Int, limit: Int)
    /// The record has another number of cells than the header.
    case wrongColumnCount(found: Int, expected: Int)
    /// A cell is not valid UTF-8 (its text is kept with U+FFFD replacements, for reporting only).
    case invalidUTF8(column: Int)
    /// A quoted cell (1-based column, starting on physical `line`) holds a line break in a column where none
    /// belongs (`CSVRecordReader.multilineColumns`): most likely a stray quote that swallowed the following
    /// line(s). The record is reported at its first line and reading resumes at the next physical line, as for
    /// an unterminated quote, so a swallowed row is read (and checked) on its own.
    case lineBreakInCell(column: Int, line: Int)

    /// The column the problem is in, when it is in one.
    public var column: Int? {
        switch self {
        case .unterminatedQuote(let c), .malformedQuote(let c), .cellTooLarge(let c, _), .invalidUTF8(let c),
             .lineBreakInCell(let c, _): return c
        case .recordTooLarge, .wrongColumnCount: return nil
        }
    }

    /// Whether the reader lost track of the record's structure (and resumed at the next line).
    public var isStructural: Bool {
        switch self {
        case .unterminatedQuote, .malformedQuote, .recordTooLarge, .lineBreakInCell: return true
        case .cellTooLarge, .wrongColumnCount, .invalidUTF8: return false
        }
    }
}

/// One record as read from the file: where it starts, its cells, and what is wrong with it.
public struct CSVRawRecord: Sendable, Equatable {
    /// The physical line (1-based, the header is line 1) the record starts on.
    public var line: Int
    /// The physical line the record ends on (greater than `line` for quoted line breaks).
    public var lastLine: Int
    /// The cells read. For a record with a structural problem, the cells read before it.
    public var cells: [String]
    /// Everything wrong with the record; empty for a good one.
    public var problems: [CSVRecordProblem]

    /// A record as read.
    public init(line: Int, lastLine: Int, cells: [String], problems: [CSVRecordProblem]) {
        self.line = line; self.lastLine = lastLine; self.cells = cells; self.problems = problems
    }
}
