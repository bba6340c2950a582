import ArgumentParser
import Diagnostics
import Foundation

/// Options every command that touches the installation shares.
struct InstallationOptions: ParsableArguments {
    @Option(name: .long, help: "SQLite database file (default: $CONSENTGATE_DB or ./data/consentgate.sqlite).")
    var db: String?

    @Option(name: .long, help: "Policy bundle folder.")
    var policy: String = "policies/kim-rhein-sieg"

    @Option(name: .long, help: "Trust store file.")
    var trust: String = "keys/trust.yaml"

    @Flag(name: .long, help: "Demo mode: accept the shipped demo keys (never in production).")
    var demo: Bool = false

    @Option(name: .long, help: "Who is acting (case manager or job id), recorded in the audit log.")
    var actor: String?

    @Option(name: .long, help: "Language of messages: de or en (default: $CONSENTGATE_LANG, then $LANG, then de).")
    var lang: String?

    /// The language for messages.
    var language: Language {
        if let lang, let l = Language(rawValue: lang.lowercased()) { return l }
        return Language.fromEnvironment(ProcessInfo.processInfo.environment)
    }
}

/// Runs a command body, printing any error through the one formatter and exiting with its code.
func reportingErrors(language: Language, _ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let exit as ExitCode {
        throw exit
    } catch let error as any UserFacingError {
        FileHandle.standardError.write(Data((ErrorFormatter.format(error, language: language) + "\n").utf8))
        throw ExitCode(ErrorFormatter.exitCode(for: error))
    } catch {
        if error is ValidationError || error is CleanExit { throw error }
        FileHandle.standardError.write(Data((ErrorFormatter.format(error, language: language) + "\n").utf8))
        throw ExitCode(ErrorFormatter.exitCode(for: error))
    }
}

/// Writes a line to standard output.
func emit(_ text: String) { print(text) }
