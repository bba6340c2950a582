import ArgumentParser
import Diagnostics
import Foundation
import Gate
import Signing
#if canImport(Glibc)
import Glibc
#endif

/// `consentgate`: decide, prove and perform the passing of personal data between integration case
/// management and partner agencies.
@main
struct ConsentGateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "consentgate",
        abstract: HelpText.text("Consent and data-sharing policy engine.",
                                de: "Einwilligungs- und Datenweitergabe-Prüfung."),
        discussion: HelpText.text("""
            Help and messages are in English with --lang en, or when CONSENTGATE_LANG (if unset: LANG) starts \
            with "en"; otherwise in German. A command's --lang de or --lang en comes first, for its help too \
            (`consentgate check --lang en --help`); the keys and policy commands and consent form and form-language (whose \
            --language is the declaration's) have none, CONSENTGATE_LANG applies.
            """, de: """
            Hilfe und Meldungen erscheinen auf Englisch mit --lang en oder wenn CONSENTGATE_LANG (falls nicht \
            gesetzt: LANG) mit „en“ beginnt, sonst auf Deutsch. --lang de oder --lang en eines Befehls hat Vorrang, \
            auch für seine Hilfe (`consentgate check --lang en --help`); die Befehle keys und policy sowie consent form \
            und form-language (deren --language die Sprache der Erklärung ist) haben keines, dort gilt CONSENTGATE_LANG.
            """),
        subcommands: [KeysCommand.self, PolicyCommand.self, CheckCommand.self, ConsentCommand.self,
                      AuditCommand.self, ExportCommand.self, ServeCommand.self, UsersCommand.self,
                      BackupCommand.self, RestoreCommand.self]
    )

    /// Parses and runs, mapping the parser's own usage errors to exit code 2 (CONTRACTS §8) instead of
    /// the BSD `EX_USAGE` 64 that ArgumentParser uses, and printing help and usage errors with the library's
    /// words in the help language (`ParserWords`).
    static func main() async {
        // Files and folders this process creates without an explicit mode – the SQLite database with its -wal and -shm
        // files (consents, the people's birth dates, the audit log), `./data`, a consent export's folder – are not for
        // every user of the machine: no access for others, none to write for the group. Files written with a mode of
        // their own (`AtomicFile`: keys 0600, reports and exports 0640, public keys and forms 0644) keep exactly it.
        umask(0o027)
        // Before any other use of OpenSSL: an error exit while another thread decrypts a key must end with its exit code.
        CryptoLibrary.keepLoadedUntilProcessExit()
        do {
            var command = try parseAsRoot()
            // Each database a command opens is checkpointed into its file when the command is done (`ExitCheckpoint`);
            // not for `serve`, which opens a scratch database per export dry run and runs for months.
            if !(command is ServeCommand) { AppDatabase.keepOpenUntilExit() }
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            AppDatabase.checkpointOpenDatabases()
            exitIfOutputLost()
        } catch {
            // Whatever the command committed before it failed is in the database file too.
            AppDatabase.checkpointOpenDatabases()
            let code = exitCode(for: error)
            // A denial (`--fail-on-deny`, exit 1) is an answer too: its lost output is the failure to report.
            if code == .success || code.rawValue == 1 { exitIfOutputLost() }
            // Help screens and the parser's usage errors, with the library's own words in the help language.
            let text = ParserWords.localized(fullMessage(for: error), in: HelpText.language)
            if code == .success && !text.isEmpty {
                print(text)
                exitIfOutputLost()
                Foundation.exit(0)
            }
            if code == .validationFailure {
                StandardError.write(text + "\n")
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }

    /// Ends the process with exit 5 and the reason on standard error when standard output did not take all that the
    /// command printed (`StandardOutput`); before `exit`, whose own flush would lose that failure silently.
    static func exitIfOutputLost() {
        do { try StandardOutput.flush() } catch {
            StandardError.write(ErrorFormatter.format(error, language: HelpText.language) + "\n")
            Foundation.exit(ErrorFormatter.exitCode(for: error))
        }
    }
}
