import Diagnostics

/// Why a checkpoint was refused, in German and English.
public enum CheckpointProblem: Sendable, Equatable {
    /// The checkpoint names another log.
    case wrongOrigin(found: String, expected: String)
    /// No signature line by the expected key verifies.
    case noValidSignature(key: String)
    /// A signature line by a known key (name and key id given as `name+hex`) does not verify.
    case invalidSignature(key: String)
    /// A validly signed checkpoint was stored under another tree size.
    case storedUnderWrongSize(stored: Int64, signed: Int64)
    /// The stored note cannot be parsed.
    case unreadable(reason: LocalizedText)
    /// Signed under the log's name only by keys other than those given (`found`, each `name+hex`): the key given
    /// (`--public-key`, `--verifier-key`) may not be this log's, or the checkpoint was signed by another key.
    case signedByOtherKey(given: String, found: String)
    /// The key is not Ed25519.
    case notEd25519(algorithm: String)
    /// Signed only by `key` (`name+hex`), which the trust store revoked at `revokedAt`: a revoked key's checkpoints are
    /// not counted (it may have been compromised, so what it signed proves nothing), and the checkpoint cannot be verified.
    case signedByRevokedKey(key: String, revokedAt: String)

    /// The problem in words, in `language`; `AuditLogError.badCheckpoint` words it into its message.
    public func message(in language: Language) -> String {
        let de = language == .de
        switch self {
        case let .wrongOrigin(found, expected):
            return de ? "Ursprung \"\(found)\" ist nicht der dieses Protokolls (\"\(expected)\")" : "origin \"\(found)\" is not this log's \"\(expected)\""
        case let .noValidSignature(key):
            return de ? "keine gültige Signatur des Schlüssels \(key) (ersetzt oder verändert)" : "no valid signature by key \(key) (replaced or altered)"
        case let .signedByOtherKey(given, found):
            return de ? "signiert von \(found), nicht vom angegebenen Schlüssel \(given): ist der angegebene Schlüssel der dieses Protokolls (--public-key, --verifier-key, Trust-Store)? Wenn ja, wurde der Checkpoint von einem fremden Schlüssel signiert (ersetzt)"
                      : "signed by \(found), not by the key given, \(given): is the key given this log's (--public-key, --verifier-key, trust store)? If it is, the checkpoint was signed by a foreign key (replaced)"
        case let .invalidSignature(key):
            return de ? "die Signatur des Schlüssels \(key) ist ungültig (verändert oder gefälscht)" : "the signature by key \(key) does not verify (altered or forged)"
        case let .storedUnderWrongSize(stored, signed):
            return de ? "unter Größe \(stored) gespeichert, aber für Größe \(signed) signiert" : "stored under size \(stored) but signed for size \(signed)"
        case let .unreadable(reason):
            return de ? "unlesbar (\(reason.de))" : "unreadable (\(reason.en))"
        case let .signedByRevokedKey(key, revokedAt):
            return de ? "nur vom Schlüssel \(key) signiert, den der Trust-Store am \(revokedAt) widerrufen hat; was ein widerrufener Schlüssel signiert hat, zählt nicht (er könnte kompromittiert sein), daher ist dieser Checkpoint nicht prüfbar – kein Zeichen einer Veränderung des Protokolls (docs/keys.md)"
                      : "signed only by key \(key), which the trust store revoked at \(revokedAt); what a revoked key signed does not count (it may be compromised), so this checkpoint cannot be verified – not a sign that the log was changed (docs/keys.md)"
        case let .notEd25519(algorithm):
            return de ? "signierte Notizen brauchen einen Ed25519-Schlüssel, nicht \(algorithm)" : "signed notes need an Ed25519 key, not \(algorithm)"
        }
    }
}
