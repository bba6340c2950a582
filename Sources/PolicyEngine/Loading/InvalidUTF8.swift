import Foundation

/// Where a file stops being UTF-8, so that "not valid UTF-8" points at the offending byte instead of line 1
/// (typically an `ä` saved as Windows-1252 by an editor, deep in a long file).
enum InvalidUTF8 {
    /// The 1-based line and column (in Unicode scalars, as YAML positions count) of the first byte that is not
    /// valid UTF-8, or nil when all of `data` is valid.
    static func firstPosition(in data: Data) -> (line: Int, column: Int)? {
        var iterator = data.makeIterator()
        var decoder = UTF8()
        var line = 1, column = 1
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let s):
                if s == "\n" { line += 1; column = 1 } else { column += 1 }
            case .emptyInput:
                return nil
            case .error:
                return (line, column)
            }
        }
    }
}
