import Diagnostics
import StoreDiagnostics

/// Everything that can go wrong in the audit log, with German and English messages.
/// Tampering and bad signatures are `.integrity` (exit 4); unreadable input `.invalidInput` (3);
/// database failures `.storage` (5); wrong arguments `.usage` (2).
public enum AuditLogError: UserFacingError, Equatable {
    /// An entry or proof document is not the JSON we expect.
    case malformedEntry(context: String, reason: String)
    /// A value an entry may not hold (e.g. a time that is not RFC 3339 UTC).
    case invalidEntry(field: String, reason: String)
    /// The stored log differs from what its hashes and signed checkpoints commit to.
    case tampered(TamperFinding)
    /// Stored state that cannot be read back consistently (e.g. a damaged tree frontier), said in both languages.
    case corrupted(reason: LocalizedText)
    /// A checkpoint's signature does not verify or it names another log.
    case badCheckpoint(size: Int64?, problem: CheckpointProblem)
    /// A signed note or checkpoint text cannot be parsed.
    case malformedNote(source: String, reason: LocalizedText)
    /// A proof was asked for sizes or indices the log does not have.
    case outOfRange(reason: LocalizedText)
    /// The database (or a file of it) failed while the log did `operation`.
    case storage(operation: AuditStoreOperation, reason: StorageFailureReason)
    /// The log's checkpoints are signed under origin `log`, and this process was given `given` (`--origin`,
    /// `CONSENTGATE_AUDIT_ORIGIN`): appending under another origin would leave a log that verifies under neither, so
    /// nothing is appended (exit 2). A log's origin is set by its first checkpoint and never changes; a process given
    /// none takes the log's.
    case originChanged(log: String, given: String)

    public var category: ProblemCategory {
        switch self {
        case .malformedEntry, .invalidEntry, .malformedNote: return .invalidInput
        case .tampered, .corrupted, .badCheckpoint: return .integrity
        case .outOfRange, .originChanged: return .usage
        case .storage: return .storage
        }
    }

    /// A note's source in German: the names the program gives (`trusted checkpoint`, `verifier key`, …); a file's path
    /// as it is.
    static func germanSource(_ source: String) -> String {
        let words = ["trusted checkpoint": "vertrauenswürdiger Checkpoint", "verifier key": "Prüfschlüssel", "key name": "Schlüsselname",
                     "newest checkpoint": "neuester Checkpoint", "checkpoint": "Checkpoint"]
        if let german = words[source] { return german }
        if source.hasPrefix("stored checkpoint ") { return "gespeicherter Checkpoint " + source.dropFirst("stored checkpoint ".count) }
        return source
    }

    public func message(in language: Language) -> String {
        let de = language == .de
        switch self {
        case let .malformedEntry(context, reason):
            return de ? "Protokolleintrag ungültig (\(context)): \(reason)" : "malformed audit entry (\(context)): \(reason)"
        case let .invalidEntry(field, reason):
            return de ? "Protokolleintrag: Feld \(field) ungültig: \(reason)" : "audit entry: field \(field) invalid: \(reason)"
        case let .tampered(finding):
            return de ? "Audit-Protokoll manipuliert oder beschädigt: \(finding.message(in: language))"
                      : "audit log tampered with or damaged: \(finding.message(in: language))"
        case let .corrupted(reason):
            return de ? "Audit-Protokoll beschädigt: \(reason.de)" : "audit log damaged: \(reason.en)"
        case let .badCheckpoint(size, problem):
            let at = size.map { de ? "Checkpoint der Größe \($0): " : "checkpoint of size \($0): " } ?? ""
            return de ? "Checkpoint ungültig: \(at)\(problem.message(in: language))" : "invalid checkpoint: \(at)\(problem.message(in: language))"
        case let .malformedNote(source, reason):
            return de ? "Signierte Notiz \(Self.germanSource(source)) unlesbar: \(reason.de)" : "cannot read signed note \(source): \(reason.en)"
        case let .outOfRange(reason):
            return de ? "Außerhalb des Protokolls: \(reason.de)" : "outside the log: \(reason.en)"
        case let .originChanged(log, given):
            return de ? "Das Audit-Protokoll hat den Ursprung „\(log)“ (seine Checkpoints sind darunter signiert), dieser Befehl wurde mit „\(given)“ gestartet (CONSENTGATE_AUDIT_ORIGIN, bei den audit-Befehlen auch --origin); nichts wurde eingetragen. Der Ursprung eines Protokolls lässt sich nicht ändern: „\(log)“ angeben oder CONSENTGATE_AUDIT_ORIGIN weglassen (dann gilt der des Protokolls)"
                      : "the audit log's origin is \"\(log)\" (its checkpoints are signed under it), but this command was started with \"\(given)\" (CONSENTGATE_AUDIT_ORIGIN, or --origin of the audit commands); nothing was appended. A log's origin cannot change: give \"\(log)\" or leave CONSENTGATE_AUDIT_ORIGIN unset (the log's own is used then)"
        case let .storage(operation, reason):
            return de ? "Audit-Protokoll: Datenbankzugriff fehlgeschlagen (\(operation.words.de)): \(reason.text(in: .de))"
                      : "audit log: storage failed (\(operation.words.en)): \(reason.text(in: .en))"
        }
    }
}
