import ArgumentParser

/// `consentgate audit …`: the tamper-evident audit log (CONTRACTS §6): verify it, show its latest signed checkpoint,
/// inclusion and consistency proofs and its verifier key, list and count entries (`log`, `stats`), answer a person's
/// Art. 15 request (`report`) and replay a logged decision (`explain`).
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: HelpText.text("Verify, prove and query the tamper-evident audit log.",
                                de: "Das manipulationssichere Audit-Protokoll prüfen, belegen und abfragen."),
        subcommands: [AuditVerifyCommand.self, AuditCheckpointCommand.self, AuditProveCommand.self,
                      AuditConsistencyCommand.self, AuditLogCommand.self, AuditReportCommand.self,
                      AuditStatsCommand.self, AuditKeyCommand.self, AuditExplainCommand.self, AuditCrashWriterCommand.self]
    )
}
