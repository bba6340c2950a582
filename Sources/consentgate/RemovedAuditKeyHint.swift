import AuditLog
import Diagnostics
import Signing

/// What `audit verify` says before its error when a checkpoint is signed by a key the trust store does not hold and the
/// log itself recorded audit-log keys (its `key-event` entries) that the trust store no longer holds: most likely such a
/// key was removed (an expired key tidied away after a rotation, against docs/keys.md), not a foreign key at work.
/// From the log's own record, so the hint stays after the next open of the installation has logged the removal (DPO
/// review, session 35; a first version read only the removals not yet logged). The key that signed the checkpoint is
/// named in the error by its note key hash, which the log's records do not carry, so the hint says "if".
enum RemovedAuditKeyHint {
    /// The hint, or nil when every audit-log key the log recorded is in `store` (or the log recorded none).
    static func text(log: AuditLogStore, store: TrustStore, trustFile: String, language: Language) throws -> String? {
        var recorded: [String] = []
        for e in try log.entries(matching: AuditQuery(kinds: [.keyEvent])) {
            guard case let .keyEvent(k) = e.entry.content, k.roles.contains(KeyRole.auditLog.rawValue),
                  k.event != "removed", !recorded.contains(k.kid) else { continue }
            recorded.append(k.kid)
        }
        let held = Set(store.entries.map(\.kid))
        let missing = recorded.filter { !held.contains($0) }
        guard !missing.isEmpty else { return nil }
        let kids = missing.joined(separator: ", ")
        return language == .de
            ? "Hinweis: \(trustFile) enthält Audit-Log-Schlüssel nicht mehr, die dieses Protokoll als seine festgehalten hat (\(kids)). Wurde ein abgelaufener Schlüssel entfernt, gehört sein Eintrag zurück (ältere Checkpoints und aufbewahrte Kopien sind mit ihm signiert; docs/keys.md); danach erneut prüfen."
            : "hint: \(trustFile) no longer holds audit-log key(s) this log recorded as its own (\(kids)). If an expired key was removed, put its entry back (older checkpoints and kept copies are signed with it; docs/keys.md), then verify again."
    }
}
