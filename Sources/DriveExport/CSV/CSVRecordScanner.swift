/// The RFC 4180 state machine of `CSVRecordReader`: one record per call, straight over the byte buffer.
/// Unquoted cells are cut out of the buffer; quoted cells are unescaped into a scratch buffer.
extension CSVRecordReader {
    enum CellState { case fieldStart, unquoted, quoted, afterQuote }

    /// Per-record state, reset by `scanRecord`.
    struct RecordState {
        var cells: [String] = []
        var problems: [CSVRecordProblem] = []
        var column = 1
        var startLine = 1
        var cellOversized = false
        var quotedStartLine = 0
        var firstMultilineColumn: Int?
        /// The first quoted cell with a line break in a column that allows none: its column and first line.
        var lineBreakColumn: Int?
        var lineBreakLine = 0
    }

    /// Reads one record; `nil` at the end of the input.
    func scanRecord() throws -> CSVRawRecord? {
        start = pos
        mark = pos
        if pos == end, try !fill() { return nil }
        var r = RecordState()
        r.startLine = line
        r.cells.reserveCapacity(expectedColumns ?? 16)
        var state = CellState.fieldStart
        let sep = separator, quote: UInt8 = 0x22, lf: UInt8 = 0x0A, cr: UInt8 = 0x0D

        while true {
            if pos == end {
                if end - start > options.maxRecordBytes {
                    let problem: CSVRecordProblem = state == .quoted && r.firstMultilineColumn != nil
                        ? .unterminatedQuote(column: r.column) : .recordTooLarge(limit: options.maxRecordBytes)
                    return try structural(problem, &r)
                }
                if try !fill() {
                    switch state {
                    case .fieldStart:
                        addCell(buffer + pos, 0, &r)
                    case .unquoted:
                        var e = end
                        if e > mark, buffer[e - 1] == cr { e -= 1 }
                        addCell(buffer + mark, e - mark, &r)
                    case .quoted:
                        return try structural(.unterminatedQuote(column: r.column), &r)
                    case .afterQuote:
                        addScratch(&r)
                    }
                    return try finish(&r, endedWithNewline: false)
                }
            }
            switch state {
            case .fieldStart:
                if buffer[pos] == quote {
                    pos += 1
                    state = .quoted
                    r.quotedStartLine = line
                    r.cellOversized = false
                    scratch.removeAll(keepingCapacity: true)
                } else {
                    mark = pos
                    state = .unquoted
                }
            case .unquoted:
                var i = pos
                while i < end {
                    let b = buffer[i]
                    if b == sep || b == lf || b == quote || b == cr { break }
                    i += 1
                }
                pos = i
                if i == end { continue }
                let b = buffer[i]
                if b == cr {
                    // CRLF ends the line at its LF (which drops the CR). A lone CR ends the line too, as Excel,
                    // LibreOffice and Python read it (a row saved on a Mac between others): read as the cell's, it
                    // joined the next row to this one, and that person was neither exported nor named (an export
                    // probe). A row it cuts short is quarantined for its column count, and so is the rest of it.
                    // At the end of the input the cell ends there (the end-of-input step drops the CR).
                    if pos + 1 == end, try !fill() { pos = end; continue }
                    if buffer[pos + 1] != lf {
                        addCell(buffer + mark, pos - mark, &r)
                        pos += 1
                        line += 1
                        return try finish(&r, endedWithNewline: true)
                    }
                    pos += 1
                } else if b == sep {
                    addCell(buffer + mark, i - mark, &r)
                    r.column += 1
                    pos = i + 1
                    state = .fieldStart
                } else if b == lf {
                    var e = i
                    if e > mark, buffer[e - 1] == cr { e -= 1 }
                    addCell(buffer + mark, e - mark, &r)
                    pos = i + 1
                    line += 1
                    return try finish(&r, endedWithNewline: true)
                } else {
                    return try structural(.malformedQuote(column: r.column), &r)
                }
            case .quoted:
                var i = pos
                while i < end {
                    let b = buffer[i]
                    if b == quote { break }
                    if b == lf {
                        line += 1
                        if r.firstMultilineColumn == nil { r.firstMultilineColumn = r.column }
                        if r.lineBreakColumn == nil, let allowed = multilineColumns, !allowed.contains(r.column - 1) {
                            r.lineBreakColumn = r.column
                            r.lineBreakLine = r.quotedStartLine
                        }
                    }
                    i += 1
                }
                appendScratch(buffer + pos, i - pos, &r)
                pos = i
                if line - r.startLine >= options.maxRecordLines {
                    return try structural(.unterminatedQuote(column: r.column), &r)
                }
                if i == end { continue }
                pos = i + 1
                state = .afterQuote
            case .afterQuote:
                let b = buffer[pos]
                if b == quote {
                    var q = quote
                    appendScratch(&q, 1, &r)
                    pos += 1
                    state = .quoted
                } else if b == sep {
                    addScratch(&r)
                    r.column += 1
                    pos += 1
                    state = .fieldStart
                } else if b == lf {
                    addScratch(&r)
                    pos += 1
                    line += 1
                    return try finish(&r, endedWithNewline: true)
                } else if b == cr {
                    if pos + 1 == end, try !fill() {
                        addScratch(&r)
                        pos += 1
                        return try finish(&r, endedWithNewline: false)
                    }
                    // CRLF, or a lone CR (a line end, as after an unquoted cell).
                    addScratch(&r)
                    pos += buffer[pos + 1] == lf ? 2 : 1
                    line += 1
                    return try finish(&r, endedWithNewline: true)
                } else {
                    return try structural(quoteProblem(r), &r)
                }
            }
        }
    }

    /// Text after a closing quote: an unclosed quote when the quoted cell ran over lines, else a stray quote.
    private func quoteProblem(_ r: RecordState) -> CSVRecordProblem {
        line > r.quotedStartLine ? .unterminatedQuote(column: r.column) : .malformedQuote(column: r.column)
    }

    private func addCell(_ p: UnsafePointer<UInt8>, _ n: Int, _ r: inout RecordState) {
        defer { r.cellOversized = false }
        guard r.cells.count < options.maxColumns else { return }
        if r.cellOversized || n > options.maxCellBytes {
            r.problems.append(.cellTooLarge(column: r.column, limit: options.maxCellBytes))
            r.cells.append("")
            return
        }
        let bytes = UnsafeBufferPointer(start: p, count: n)
        var ascii = true
        for b in bytes where b >= 0x80 { ascii = false; break }
        if ascii {
            r.cells.append(String(decoding: bytes, as: UTF8.self))
        } else if let s = String(validating: bytes, as: UTF8.self) {
            r.cells.append(s)
        } else {
            r.problems.append(.invalidUTF8(column: r.column))
            r.cells.append(String(decoding: bytes, as: UTF8.self))
        }
    }

    private func appendScratch(_ p: UnsafePointer<UInt8>, _ n: Int, _ r: inout RecordState) {
        guard n > 0, !r.cellOversized else { return }
        if scratch.count + n > options.maxCellBytes {
            r.cellOversized = true
            scratch.removeAll(keepingCapacity: true)
            return
        }
        scratch.append(contentsOf: UnsafeBufferPointer(start: p, count: n))
    }

    private func addScratch(_ r: inout RecordState) {
        scratch.withUnsafeBufferPointer { b in
            addCell(b.baseAddress ?? UnsafePointer(buffer), b.count, &r)
        }
    }

    private func finish(_ r: inout RecordState, endedWithNewline: Bool) throws -> CSVRawRecord {
        let count = r.column
        if let expected = expectedColumns, count != expected {
            if let c = r.firstMultilineColumn { return try structural(.unterminatedQuote(column: c), &r) }
            r.problems.insert(.wrongColumnCount(found: count, expected: expected), at: 0)
        } else if count > options.maxColumns {
            r.problems.insert(.wrongColumnCount(found: count, expected: options.maxColumns), at: 0)
        }
        if let c = r.lineBreakColumn { return try structural(.lineBreakInCell(column: c, line: r.lineBreakLine), &r) }
        if pos - start > options.maxRecordBytes {
            r.problems.insert(.recordTooLarge(limit: options.maxRecordBytes), at: 0)
        }
        return CSVRawRecord(line: r.startLine, lastLine: endedWithNewline ? line - 1 : line,
                            cells: r.cells, problems: r.problems)
    }

    /// Reports a record whose structure is lost and resumes at the physical line after its first line.
    private func structural(_ problem: CSVRecordProblem, _ r: inout RecordState) throws -> CSVRawRecord {
        let lastLine = line
        var problems = r.problems.filter { !$0.isStructural }
        problems.insert(problem, at: 0)
        try resync(startLine: r.startLine, from: start)
        return CSVRawRecord(line: r.startLine, lastLine: lastLine, cells: r.cells, problems: problems)
    }
}
