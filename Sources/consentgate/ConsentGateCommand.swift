import ArgumentParser
import Foundation

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

    /// Parses and runs, mapping the parser's own usage errors to exit code 2 (CONTRACTS §8) instead of
    /// the BSD `EX_USAGE` 64 that ArgumentParser uses.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}
