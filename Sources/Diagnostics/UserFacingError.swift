/// The language a person reads ConsentGate's messages in.
public enum Language: String, Sendable, CaseIterable, Codable {
    case de, en

    /// The language from `CONSENTGATE_LANG`, then `LANG` (German unless it starts with `en`).
    public static func fromEnvironment(_ env: [String: String]) -> Language {
        if let v = env["CONSENTGATE_LANG"]?.lowercased() { return v.hasPrefix("en") ? .en : .de }
        if let v = env["LANG"]?.lowercased(), v.hasPrefix("en") { return .en }
        return .de
    }
}

/// A text in German and English: everything a user reads exists in both.
public struct LocalizedText: Sendable, Equatable, Hashable, Codable {
    /// The German text, what users read by default.
    public var de: String
    /// The English text, for `CONSENTGATE_LANG=en` and `--lang en`.
    public var en: String
    /// A text given in both languages; neither may be left out.
    public init(de: String, en: String) { self.de = de; self.en = en }
    /// The text in `language`.
    public subscript(_ language: Language) -> String { language == .de ? de : en }
}

/// What kind of failure an error is; decides the process exit code (CONTRACTS §8).
public enum ProblemCategory: Int32, Sendable {
    /// The question was answered "no" where the command was asked to fail on denial.
    case denied = 1
    /// The command line was wrong.
    case usage = 2
    /// A policy, CSV, consent or other input is invalid.
    case invalidInput = 3
    /// A signature or integrity check failed.
    case integrity = 4
    /// The store could not be read or written.
    case storage = 5

    /// The exit code for this category.
    public var exitCode: Int32 { rawValue }
}

/// An error that knows its category and can explain itself in German and English, naming what was
/// wrong and where (file, line, column, field, record). One formatter prints every such error.
public protocol UserFacingError: Error, Sendable {
    var category: ProblemCategory { get }
    func message(in language: Language) -> String
}

/// The one formatter for errors shown to people.
public enum ErrorFormatter {
    /// `Fehler: …` / `error: …`, with the error's own localized text; non-ConsentGate errors as they describe themselves.
    /// Control and text-direction characters other than the line break are escaped in the whole message: a value from a
    /// document or file that a message quotes without `ShownValue` (a header's `kid`, a key's name) never reaches the
    /// terminal as an escape sequence or a carriage return that overwrites the line with "valid: …" (consent review,
    /// session 40, M1). Messages keep their own line breaks.
    public static func format(_ error: any Error, language: Language) -> String {
        let prefix = language == .de ? "Fehler" : "error"
        if let e = error as? any UserFacingError { return "\(prefix): \(terminalSafe(e.message(in: language)))" }
        return "\(prefix): \(terminalSafe(String(describing: error)))"
    }

    /// `text` with every control or text-direction character but the line break escaped (`\u{1B}`).
    public static func terminalSafe(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0 != "\n" && Self.isUnsafe($0) }) else { return text }
        return text.unicodeScalars.map { $0 != "\n" && Self.isUnsafe($0) ? $0.escaped(asASCII: true) : String($0) }.joined()
    }

    private static func isUnsafe(_ s: Unicode.Scalar) -> Bool {
        s.properties.generalCategory == .control || s.value == 0x2028 || s.value == 0x2029
            || DisplayUnsafeText.containsControlOrDirectionCharacter(String(s))
    }

    /// The exit code for any error: its category's, or 3 (invalid input) for errors from elsewhere.
    public static func exitCode(for error: any Error) -> Int32 {
        (error as? any UserFacingError)?.category.exitCode ?? ProblemCategory.invalidInput.exitCode
    }
}

/// A position in a text file, for error messages (1-based line and column).
public struct SourceLocation: Sendable, Equatable, Hashable, CustomStringConvertible, Codable {
    /// The file as messages name it (for a bundle file, its path relative to the bundle folder).
    public var file: String
    /// The line, counting from 1.
    public var line: Int
    /// The column, counting from 1.
    public var column: Int
    /// A position at 1-based `line` and `column` of `file`.
    public init(file: String, line: Int, column: Int) { self.file = file; self.line = line; self.column = column }
    public var description: String { "\(file):\(line):\(column)" }
}
