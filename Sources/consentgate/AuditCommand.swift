import ArgumentParser

/// `consentgate audit …`: the tamper-evident audit log (CONTRACTS §6).
/// `audit explain` is added by the lead (it needs the policy engine and consent store).
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
