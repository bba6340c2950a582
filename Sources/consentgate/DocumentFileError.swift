import Diagnostics

/// An error about a document read from a file given on the command line (`consent verify FILE`,
/// `consent import FILE`), prefixed with that file: CONTRACTS §8 wants every error to say where, and the
/// verifier's own messages name the JWS member or key, not the file. Category and exit code are the
/// underlying error's.
struct DocumentFileError: UserFacingError {
    /// The file as given on the command line.
    let path: String
    /// What was wrong with its content.
    let underlying: any UserFacingError

    /// The underlying error's category, so the exit code does not change by naming the file.
    var category: ProblemCategory { underlying.category }

    /// The underlying message, prefixed with `path:` unless it names the file already.
    func message(in language: Language) -> String {
        let text = underlying.message(in: language)
        return text.contains(path) ? text : "\(path): \(text)"
    }

    /// Runs `body`, naming `path` in any ConsentGate error it throws.
    static func naming<T>(_ path: String, _ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as any UserFacingError {
            throw DocumentFileError(path: path, underlying: error)
        }
    }
}
