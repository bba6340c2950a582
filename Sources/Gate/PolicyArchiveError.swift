import Diagnostics

/// The policy archive does not hold what it claims to, or what it holds no longer loads.
public enum PolicyArchiveError: UserFacingError, Equatable {
    /// The archive row filed under `expected` holds files whose loaded bundle has the digest `actual`: the archived
    /// files were changed after they were archived (exit 4).
    case digestMismatch(expected: String, actual: String)
    /// The archive row filed under `digest` is not a blob ConsentGate writes (not JSON of paths and base64 contents, or
    /// an entry leaving the folder): it was changed after it was archived (exit 4).
    case unreadable(digest: String, reason: LocalizedText)
    /// The archived files of `digest` no longer load (`reason`: the loader's error). The digest covers the loaded
    /// bundle, not the bytes, so they cannot be checked against it: an older bundle format fails the same way as a
    /// changed file. Invalid input (exit 3), not a proven integrity failure.
    case unloadable(digest: String, reason: LocalizedText)

    /// A changed or unreadable archive row is an integrity failure (exit 4); files that no longer load are invalid
    /// input (exit 3), since the digest cannot tell a change from an older format.
    public var category: ProblemCategory {
        switch self {
        case .digestMismatch, .unreadable: return .integrity
        case .unloadable: return .invalidInput
        }
    }

    /// The problem in `language`, naming the archived bundle's digest (and for `unloadable` what to do).
    public func message(in language: Language) -> String {
        let de = language == .de
        switch self {
        case let .digestMismatch(expected, actual):
            return de
                ? "das archivierte Regelwerk \(expected) ist verändert: seine archivierten Dateien ergeben \(actual)"
                : "the archived policy \(expected) has been altered: its archived files give \(actual)"
        case let .unreadable(digest, reason):
            return de
                ? "das archivierte Regelwerk \(digest) ist verändert: der Archiveintrag ist nicht, was ConsentGate schreibt (\(reason.de))"
                : "the archived policy \(digest) has been altered: the archive row is not what ConsentGate writes (\(reason.en))"
        case let .unloadable(digest, reason):
            return de
                ? "das archivierte Regelwerk \(digest) lässt sich nicht mehr laden: \(reason.de). Die Prüfsumme gilt dem geladenen Regelwerk, nicht den Dateien; daher lässt sich nicht prüfen, ob sie verändert wurden oder in einem älteren Format geschrieben sind, das diese Version nicht mehr liest (dann mit der damaligen Version von ConsentGate erläutern)"
                : "the archived policy \(digest) can no longer be loaded: \(reason.en). Its digest covers the loaded bundle, not the files, so they cannot be checked against it: they were either changed or written in an older format this version no longer reads (then explain with the ConsentGate release of that time)"
        }
    }
}
