import Diagnostics
import Foundation

extension SigningKeyRing {
    /// The trust store entry to sign, at `now`, a document that names its own signing time `documentTime`
    /// (a consent's `granted-at`, a withdrawal's `withdrawn-at`, which a case manager may date in the past).
    ///
    /// The key must pass the trust decision for `role` at **both** times: at `now`, because a key that is
    /// revoked (compromised) or past its `not-after` must never sign anything again, whatever date the document
    /// carries; and at `documentTime`, because that is the time a verifier checks the key against, so a key
    /// that was not yet valid then would make a document that never verifies. Among the keys that pass, the
    /// choice is `usableEntry(for:at:)`'s (latest `not-before`, then smaller kid); `refused` adds the caller's own
    /// refusals at `now`. Throws `noUsableKey` naming each candidate and the time it failed at.
    public func usableEntry(for role: KeyRole, at now: Date, documentTime: Date,
                            refused: (TrustedKey) -> LocalizedText? = { _ in nil }) throws -> TrustedKey {
        let demoMode = trustStore.demoMode
        return try chooseEntry(for: role) { entry in
            if let reason = entry.refusal(role: role, at: now, demoMode: demoMode) ?? refused(entry) { return reason }
            guard let reason = entry.refusal(role: role, at: documentTime, demoMode: demoMode) else { return nil }
            let when = RFC3339.format(documentTime)
            return LocalizedText(de: "nicht gültig für ein Dokument vom \(when): \(reason.de)",
                                 en: "not valid for a document dated \(when): \(reason.en)")
        }
    }
}
