import Diagnostics
import StrictJSON

/// What `audit verify --json` and `consent verify --json` print on standard output when the check fails: the result a
/// script asked for, `{"<result>": false, "exit-code": N, "message": "…"}` (`result` is the member the command's answer
/// names its verdict by: `ok`, `valid`), beside the message on standard error as always. Before, a failing check printed
/// nothing there (found in a black-box review), so a script reading the JSON got an empty document.
enum VerifyFailureJSON {
    static func text(_ error: any Error, result: String, language: Language) -> String {
        let message = (error as? any UserFacingError)?.message(in: language) ?? String(describing: error)
        return JSONValue.object([result: .bool(false), "exit-code": .int(Int64(ErrorFormatter.exitCode(for: error))),
                                 "message": .string(message)]).canonicalText
    }
}
