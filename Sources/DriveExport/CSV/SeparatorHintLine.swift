/// Excel's separator hint: a first line `sep=;` (or `sep=,`), which Excel reads to pick the separator and then hides.
/// Some programs write it into lists made for Excel, and people add it so Excel opens a list right; without this the
/// line was taken for the header and the list refused as having "no header line".
///
/// The line is skipped and its separator used (unless the reader was given one). It is not counted: the header is line
/// 1 and every row has the number Excel shows it under, which is what the case manager looks up.
extension CSVRecordReader {
    /// When the bytes at `pos` are `sep=X` and a line end (LF or CRLF), with X `;` or `,`: consumes that line and
    /// returns X. Otherwise nil, and nothing is consumed.
    func consumeSeparatorHint() -> UInt8? {
        let prefix: [UInt8] = Array("sep=".utf8)
        guard end - pos >= 6 else { return nil }
        for (i, b) in prefix.enumerated() where buffer[pos + i] | 0x20 != b { return nil }   // `sep=` or `SEP=`
        let separator = buffer[pos + 4]
        guard separator == UInt8(ascii: ";") || separator == UInt8(ascii: ",") else { return nil }
        var next = pos + 5
        if buffer[next] == 0x0D, next + 1 < end { next += 1 }
        guard buffer[next] == 0x0A else { return nil }
        pos = next + 1
        start = pos
        mark = pos
        return separator
    }
}
