import ArgumentParser

/// `consentgate`: decide, prove and perform the passing of personal data between integration case
/// management and partner agencies.
@main
struct ConsentGateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "consentgate",
        abstract: "Consent and data-sharing policy engine / Einwilligungs- und Datenweitergabe-Prüfung",
        subcommands: [KeysCommand.self, PolicyCommand.self, CheckCommand.self, ConsentCommand.self,
                      AuditCommand.self, ExportCommand.self, ServeCommand.self, UsersCommand.self]
    )
}
