import Diagnostics
import Signing

/// Reads a German-Excel CSV registration list as a stream of records: UTF-8 with or without BOM, `;` or
/// `,` (detected from the header line), CRLF or LF, RFC 4180 quoting with separators, quotes and line
/// breaks inside quoted cells.
///
/// Memory is bounded by the options (about `maxRecordBytes + chunkSize`), never by the file. Only the
/// header can make `init` throw (file-level errors); after that a broken record is returned with its
/// `problems` and reading goes on. After a structural problem (a quote left open, a record too large) the
/// reader resumes at the physical line after the record's first line, so a broken row never swallows the
/// rows after it. While reading, the input's SHA-256 is computed (`inputSHA256` after the last record).
///
/// Not `Sendable`: a reader owns a position in its source and is used by one task.
public final class CSVRecordReader {
    /// The file name used in error messages.
    public let fileName: String
    /// The options in force.
    public let options: CSVReaderOptions
    /// The separator in use (detected or given).
    public private(set) var separator: UInt8 = UInt8(ascii: ";")
    /// Whether the file started with a UTF-8 byte-order mark.
    public private(set) var hadByteOrderMark = false
    /// The header cells (trimmed of surrounding spaces).
    public private(set) var header: [String] = []
    /// Empty lines and rows whose cells are all empty: skipped, and counted here.
    public private(set) var blankRecords = 0
    /// Records returned by `next()` (good and broken).
    public private(set) var recordsRead = 0
    /// Bytes read from the source so far.
    public private(set) var bytesRead = 0
    /// The SHA-256 of every byte of the input, once `next()` has returned `nil`.
    public private(set) var inputSHA256: [UInt8]?
    /// The columns (0-based) whose quoted cells may hold line breaks; `nil` (the default): every column may, as
    /// RFC 4180 allows. With a set, a line break in a quoted cell of any other column makes the record a
    /// `CSVRecordProblem.lineBreakInCell` and reading resumes at the line after the record's first, so a stray
    /// quote never carries the following rows into one cell. Set it after the header is read (the registration
    /// list reader sets it from the fields' layout).
    public var multilineColumns: Set<Int>?

    let source: any ByteSource
    let hasher = SHA256Hasher()
    let buffer: UnsafeMutablePointer<UInt8>
    let capacity: Int
    /// Record start, scan position, end of valid bytes (indices into `buffer`).
    var start = 0, pos = 0, end = 0
    /// A cell's first byte (unquoted cells are cut out of the buffer directly).
    var mark = 0
    var atEOF = false
    /// The physical line `pos` is on.
    var line = 1
    var scratch: [UInt8] = []
    var expectedColumns: Int?

    /// Opens the stream and reads the header line. Throws `DriveExportError` for an empty file, a
    /// UTF-16 file, or a header that cannot be read.
    public init(source: any ByteSource, fileName: String, options: CSVReaderOptions = CSVReaderOptions()) throws {
        self.source = source
        self.fileName = fileName
        self.options = options
        self.capacity = options.maxRecordBytes + options.chunkSize + 4
        self.buffer = .allocate(capacity: capacity)
        scratch.reserveCapacity(4096)
        try readPreamble()
    }

    /// Opens the file at `path` (streamed, never loaded whole) and reads its header.
    public convenience init(path: String, options: CSVReaderOptions = CSVReaderOptions()) throws {
        try self.init(source: FileByteSource(path: path), fileName: path, options: options)
    }

    deinit { buffer.deallocate() }

    /// The next record, or `nil` at the end of the input. Throws only when the source cannot be read.
    public func next() throws -> CSVRawRecord? {
        while true {
            guard let record = try scanRecord() else {
                if inputSHA256 == nil { inputSHA256 = hasher.finalize() }
                return nil
            }
            if isBlank(record) { blankRecords += 1; continue }
            recordsRead += 1
            return record
        }
    }

    func isBlank(_ r: CSVRawRecord) -> Bool {
        guard r.problems.isEmpty || r.problems.allSatisfy({ if case .wrongColumnCount = $0 { return r.cells.count == 1 } else { return false } }) else { return false }
        return r.cells.allSatisfy(\.isEmpty) && (r.cells.count == 1 || r.cells.count == expectedColumns)
    }

    // MARK: - Buffer

    /// Makes more bytes available after `end`, keeping `[start, end)`. Returns false at the end of input.
    func fill() throws -> Bool {
        if atEOF { return false }
        if start > 0 {
            let kept = end - start
            if kept > 0 { buffer.update(from: buffer + start, count: kept) }
            pos -= start; mark -= start; end = kept; start = 0
        }
        let room = min(options.chunkSize, capacity - end)
        guard room > 0 else { return false }
        let n = try source.read(into: UnsafeMutableRawBufferPointer(start: buffer + end, count: room))
        if n == 0 { atEOF = true; return false }
        hasher.update(UnsafeRawBufferPointer(start: buffer + end, count: n))
        bytesRead += n
        end += n
        return true
    }

    /// Skips to the physical line after `startLine`, searching raw bytes from `from` (quotes ignored). A lone CR ends a
    /// line as LF and CRLF do (as the scanner reads it outside quotes): skipping to the next LF instead took the row
    /// after a broken one ending in a lone CR with it, unnamed (a review).
    func resync(startLine: Int, from: Int) throws {
        var i = from
        while true {
            while i < end {
                let b = buffer[i]
                if b == 0x0A { pos = i + 1; line = startLine + 1; start = pos; return }
                if b == 0x0D {
                    if i + 1 == end {
                        // Keep the CR to look at the byte after it.
                        start = i; pos = i; mark = i
                        guard try fill() else { start = end; pos = end; mark = end; line = startLine + 1; return }
                        i = pos
                    }
                    if buffer[i + 1] != 0x0A { pos = i + 1; line = startLine + 1; start = pos; return }
                }
                i += 1
            }
            start = end; pos = end; mark = end
            guard try fill() else { line = startLine + 1; return }
            i = pos
        }
    }

    // MARK: - Header

    func readPreamble() throws {
        while end < 4, try fill() {}
        if end >= 2, (buffer[0] == 0xFF && buffer[1] == 0xFE) || (buffer[0] == 0xFE && buffer[1] == 0xFF) {
            throw DriveExportError.unsupportedEncoding(file: fileName, encoding: "UTF-16")
        }
        // UTF-16 without a byte-order mark: a header starts with Latin letters, so every other byte of the first ones is
        // NUL, which no UTF-8 list holds (an export probe's file was said to "end in CR only").
        if end >= 4, buffer[0] != 0, buffer[1] == 0, buffer[2] != 0, buffer[3] == 0 {
            throw DriveExportError.unsupportedEncoding(file: fileName, encoding: "UTF-16LE")
        }
        if end >= 4, buffer[0] == 0, buffer[1] != 0, buffer[2] == 0, buffer[3] != 0 {
            throw DriveExportError.unsupportedEncoding(file: fileName, encoding: "UTF-16BE")
        }
        if end >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF {
            hadByteOrderMark = true
            start = 3; pos = 3
        }
        if lineEndsInCROnly() {
            throw DriveExportError.unreadableHeader(file: fileName, reason: LocalizedText(
                de: "die Zeilen enden nur mit CR (Excel „CSV (Macintosh)“); bitte in Excel als „CSV UTF-8 (durch Trennzeichen getrennt)“ speichern",
                en: "the lines end in CR only (Excel \"CSV (Macintosh)\"); save it in Excel as \"CSV UTF-8 (Comma delimited)\""))
        }
        let hinted = consumeSeparatorHint()   // Excel's `sep=;` line, not counted (see `SeparatorHintLine.swift`)
        separator = try options.separator ?? hinted ?? detectSeparator()
        guard let record = try scanRecord() else { throw DriveExportError.emptyInput(file: fileName) }
        for case .invalidUTF8(let column) in record.problems {
            let name = column >= 1 && column <= record.cells.count ? record.cells[column - 1].trimmingSpaces : ""
            throw DriveExportError.notUTF8(file: fileName, line: record.line,
                                           column: DriveExportError.HeaderColumn(number: column, name: name))
        }
        if let problem = record.problems.first {
            throw DriveExportError.unreadableHeader(file: fileName, reason: FileLevelProblemText.text(problem, header: [], isHeader: true))
        }
        let cells = record.cells.map { $0.trimmingSpaces }
        if cells.allSatisfy(\.isEmpty) { throw DriveExportError.emptyInput(file: fileName) }
        header = cells
        expectedColumns = cells.count
    }

    /// Whether the first line ends in a lone CR (outside quotes) before any LF: a list saved as Excel's "CSV
    /// (Macintosh)", which would otherwise be read as one header line holding every cell of the file. Looks only at
    /// the bytes already read (the first chunk); when they hold no line end, it answers false.
    func lineEndsInCROnly() -> Bool {
        var inQuotes = false
        var i = pos
        while i < end {
            let b = buffer[i]
            if b == 0x22 { inQuotes.toggle() }
            else if !inQuotes {
                if b == 0x0A { return false }
                if b == 0x0D { return i + 1 < end && buffer[i + 1] != 0x0A }
            }
            i += 1
        }
        return false
    }

    /// `;` or `,`: whichever occurs more often outside quotes in the header line (`;` on a tie).
    func detectSeparator() throws -> UInt8 {
        var semicolons = 0, commas = 0, inQuotes = false
        var i = pos
        scan: while true {
            while i < end {
                let b = buffer[i]
                if b == 0x22 { inQuotes.toggle() }
                else if !inQuotes {
                    if b == 0x0A { break scan }
                    if b == UInt8(ascii: ";") { semicolons += 1 } else if b == UInt8(ascii: ",") { commas += 1 }
                }
                i += 1
            }
            if end - start >= options.maxRecordBytes { break }
            let before = start
            guard try fill() else { break }
            i -= before
        }
        return commas > semicolons ? UInt8(ascii: ",") : UInt8(ascii: ";")
    }
}

extension String {
    /// The string without leading and trailing spaces and tabs.
    var trimmingSpaces: String {
        let u = utf8
        guard let f = u.first, let l = u.last else { return self }
        if f != 0x20 && f != 0x09 && l != 0x20 && l != 0x09 { return self }
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { $0 != " " && $0 != "\t" }) else { return "" }
        let last = scalars.lastIndex(where: { $0 != " " && $0 != "\t" })!
        return String(scalars[first...last])
    }
}
