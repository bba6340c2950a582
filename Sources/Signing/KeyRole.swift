/// What a key may sign (CONTRACTS §2). A signature counts only if its key had the role at signing time.
public enum KeyRole: String, Sendable, Codable, CaseIterable {
    /// Signs consent declarations and withdrawals (CONTRACTS §5).
    case consentSigner = "consent-signer"
    /// Signs policy bundles.
    case policySigner = "policy-signer"
    /// Signs audit-log checkpoints (CONTRACTS §6).
    case auditLog = "audit-log"
    /// Signs export manifests (CONTRACTS §7).
    case exportSigner = "export-signer"
}
