import Diagnostics
import StrictJSON

/// The 400 for a request body the strict JSON reader (`StrictJSON.JSONParser`) refuses: what is wrong in
/// German and English (`JSONSyntaxError.words(in:)`), and where (line and column, counted from 1).
enum JSONSyntaxMessage {
    /// `error` at its position in `bytes` as a `malformed-json` 400.
    static func webError(_ error: JSONSyntaxError, in bytes: [UInt8]) -> WebError {
        let (line, column) = position(of: error.offset, in: bytes)
        let reason = error.words(in: bytes)
        let syntax = reason.syntax
        // A value refused although the text is JSON (a fraction, a number too large, too deep) is named by its member.
        let member = syntax ? nil : error.member
        let at = member.map { (de: ", bei „\($0)“", en: " at member \"\($0)\"") } ?? (de: "", en: "")
        return .badRequest(code: "malformed-json",
            de: (syntax ? "Anfrage ist kein gültiges JSON: " : "Anfrage-JSON abgelehnt: ") + "\(reason.text.de)\(at.de) (Zeile \(line), Spalte \(column))",
            en: (syntax ? "request body is not valid JSON: " : "request JSON refused: ") + "\(reason.text.en)\(at.en) (line \(line), column \(column))")
    }

    /// Line and column (both from 1; the column counts characters) of byte `offset`.
    static func position(of offset: Int, in bytes: [UInt8]) -> (line: Int, column: Int) {
        let end = min(max(offset, 0), bytes.count)
        var line = 1
        var lineStart = 0
        for i in 0..<end where bytes[i] == 0x0A { line += 1; lineStart = i + 1 }
        return (line, String(decoding: bytes[lineStart..<end], as: UTF8.self).count + 1)
    }
}
