import Diagnostics

/// The kinds of identifiers a bundle declares, named in messages ("unknown partner `x`").
public enum PolicyIDKind: String, Sendable, Equatable, CaseIterable {
    case category, field, attribute, partner, purpose, rule, template, clause, export, testCase, language, consent

    /// The kind's name for people, in German and English.
    public var name: LocalizedText {
        switch self {
        case .category: LocalizedText(de: "Datenkategorie", en: "category")
        case .field: LocalizedText(de: "Feld", en: "field")
        case .attribute: LocalizedText(de: "Personenmerkmal", en: "subject attribute")
        case .partner: LocalizedText(de: "Partner", en: "partner")
        case .purpose: LocalizedText(de: "Zweck", en: "purpose")
        case .rule: LocalizedText(de: "Regel", en: "rule")
        case .template: LocalizedText(de: "Einwilligungsvorlage", en: "consent template")
        case .clause: LocalizedText(de: "Klausel", en: "clause")
        case .export: LocalizedText(de: "Exportprofil", en: "export profile")
        case .testCase: LocalizedText(de: "Testfall", en: "test case")
        case .language: LocalizedText(de: "Sprache", en: "language")
        case .consent: LocalizedText(de: "Einwilligung", en: "consent")
        }
    }
}

/// One problem found in a policy bundle, with where it is. The loader collects all of them.
public struct PolicyDiagnostic: Sendable, Equatable, CustomStringConvertible {
    /// A machine-readable code (stable, used by tests and `--json` output), e.g. `unknown-key`.
    public var code: String
    /// File, line and column (1-based) of the offending node; nil only for problems of the whole bundle.
    public var location: SourceLocation?
    /// What is wrong, in German and English.
    public var message: LocalizedText

    /// Creates a diagnostic; `location` nil only for a problem of the whole bundle.
    public init(code: String, location: SourceLocation?, message: LocalizedText) {
        self.code = code; self.location = location; self.message = message
    }

    /// `file:line:column: message` in the given language.
    public func formatted(in language: Language) -> String {
        (location.map { "\($0): " } ?? "") + message[language]
    }

    public var description: String { formatted(in: .en) }
}

/// Errors of the policy engine: an invalid bundle (every problem listed), an invalid request or an unreadable file.
/// All are invalid input (exit code 3, CONTRACTS §8).
public enum PolicyError: UserFacingError, Equatable {
    /// The bundle has problems; each names file, line and column.
    case invalidBundle([PolicyDiagnostic])
    /// A decision request names something the policy does not know or is malformed.
    case invalidRequest(LocalizedText)

    public var category: ProblemCategory { .invalidInput }

    /// The diagnostics of an invalid bundle (empty for other cases).
    public var diagnostics: [PolicyDiagnostic] {
        if case .invalidBundle(let d) = self { return d }
        return []
    }

    public func message(in language: Language) -> String {
        switch self {
        case .invalidBundle(let list):
            let head = language == .de
                ? "Richtlinienpaket ungültig (\(list.count) Problem\(list.count == 1 ? "" : "e")):"
                : "invalid policy bundle (\(list.count) problem\(list.count == 1 ? "" : "s")):"
            return ([head] + list.map { "  " + $0.formatted(in: language) }).joined(separator: "\n")
        case .invalidRequest(let text):
            return text[language]
        }
    }
}
