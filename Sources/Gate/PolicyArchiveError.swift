import Diagnostics

/// The policy archive does not hold what it claims to.
public enum PolicyArchiveError: UserFacingError, Equatable {
    /// The archive row filed under `expected` holds files whose loaded bundle has the digest `actual`: the archived
    /// files were changed after they were archived.
    case digestMismatch(expected: String, actual: String)

    public var category: ProblemCategory { .integrity }

    public func message(in language: Language) -> String {
        switch self {
        case let .digestMismatch(expected, actual):
            return language == .de
                ? "das archivierte Regelwerk \(expected) ist verändert: seine archivierten Dateien ergeben \(actual)"
                : "the archived policy \(expected) has been altered: its archived files give \(actual)"
        }
    }
}
