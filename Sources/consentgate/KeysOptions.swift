import ArgumentParser
import Diagnostics
import Foundation
import Gate
import Signing

/// Options every `keys` subcommand shares: the trust store, demo mode and JSON output.
struct KeysTrustOptions: ParsableArguments {
    @Option(name: .long, help: HelpText.help("The trust store file.",
                                             de: "Die Trust-Store-Datei."))
    var trust: String = "keys/trust.yaml"

    @Flag(name: .long, help: HelpText.help("Demo mode: accept (or, for generate, create) the demo keys shipped in keys/demo/.",
                                           de: "Demo-Modus: die in keys/demo/ mitgelieferten Demo-Schlüssel akzeptieren (bei generate: Demo-Schlüssel erzeugen)."))
    var demo = false

    @Flag(name: .long, help: HelpText.help("Print the result as JSON.", de: "Ergebnis als JSON ausgeben."))
    var json = false
}

/// Where the passphrase of a private key comes from. There is deliberately no option taking the passphrase.
struct KeysPassphraseOptions: ParsableArguments {
    @Option(name: .customLong("passphrase-file"),
            help: HelpText.help("File whose first line is the passphrase (otherwise CONSENTGATE_PASSPHRASE is read).",
                                de: "Datei, deren erste Zeile die Passphrase ist (sonst wird CONSENTGATE_PASSPHRASE gelesen)."))
    var passphraseFile: String?

    /// The passphrase source from the option or the environment.
    var source: PassphraseSource {
        PassphraseSource.resolve(passphraseFile: passphraseFile, environment: ProcessInfo.processInfo.environment)
    }
}

/// A command-line mistake found while running (exit code 2).
struct KeysUsageError: UserFacingError {
    let text: LocalizedText
    var category: ProblemCategory { .usage }
    func message(in language: Language) -> String { text[language] }
}

/// A `keys` command's input that cannot be used (exit 3), e.g. a passphrase that opens none of the installation's keys.
struct KeysInputError: UserFacingError {
    let text: LocalizedText
    var category: ProblemCategory { .invalidInput }
    func message(in language: Language) -> String { text[language] }
}

/// Running a subcommand body with ConsentGate's error reporting: the error through `ErrorFormatter` on
/// stderr in the user's language, and the exit code of its category (CONTRACTS §8).
enum KeysRunner {
    /// The user's language from `CONSENTGATE_LANG` / `LANG`.
    static var language: Language { Language.fromEnvironment(ProcessInfo.processInfo.environment) }

    static func run(_ body: () throws -> Void) throws {
        do { try body() } catch let exit as ExitCode { throw exit } catch {
            StandardError.write(ErrorFormatter.format(error, language: language) + "\n")
            throw ExitCode(ErrorFormatter.exitCode(for: error))
        }
    }

    /// Prints a line in the user's language.
    static func say(_ en: String, de: String) {
        print(language == .de ? de : en)
    }

    /// Writes a warning line to stderr in the user's language (`Warnung: …` / `warning: …`).
    static func warn(_ en: String, de: String) {
        StandardError.write((language == .de ? "Warnung: " + de : "warning: " + en) + "\n")
    }

    /// Prints a JSON object with sorted keys.
    static func printJSON(_ object: [String: Any]) throws {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        print(String(decoding: data, as: UTF8.self))
    }

    /// Parses role names given on the command line.
    static func roles(_ names: [String]) throws -> [KeyRole] {
        try names.map { name in
            guard let role = KeyRole(rawValue: name) else {
                let known = KeyRole.allCases.map(\.rawValue).joined(separator: ", ")
                throw KeysUsageError(text: LocalizedText(de: "unbekannte Rolle \(name) (bekannt: \(known))",
                                                         en: "unknown role \(name) (known: \(known))"))
            }
            return role
        }
    }

    /// Parses an optional RFC 3339 time given as option `name`; nil gives `fallback`.
    static func time(_ value: String?, option name: String, fallback: Date) throws -> Date {
        guard let value else { return fallback }
        // `t` and `z` in lower case too, as `check --at` takes them (RFC 3339 § 5.6 allows both).
        let isTime = RFC3339.upperCased(value).contains("T")
        guard isTime, let date = RFC3339.parse(value) else {
            // A well-formed time of a year outside 1900–9999 is named as such, as `check --at` and the audit filters do
            // (a date alone is no time here, whatever its year).
            if isTime, let range = TimeRangeWords.outOfRange(value) {
                throw KeysUsageError(text: LocalizedText(de: "--\(name): \(range.de)", en: "--\(name): \(range.en)"))
            }
            throw KeysUsageError(text: LocalizedText(de: "--\(name): keine RFC-3339-Zeit wie 2026-01-01T00:00:00Z: \(value)",
                                                     en: "--\(name): not an RFC 3339 time like 2026-01-01T00:00:00Z: \(value)"))
        }
        return date
    }

    /// Reads a file given on the command line, of at most `limit` bytes (invalid input, exit 3, when it cannot be
    /// read or is larger: a 300 MB file given as `--sig` was read whole before it was called an invalid signature).
    /// `option` names the option in the usage error for an empty path (": cannot be read: no such file" before).
    static func read(_ path: String, limit: Int, option: String) throws -> [UInt8] {
        if path.isEmpty { throw KeysUsageError(text: LocalizedText(de: "\(option) ist leer: bitte eine Datei angeben", en: "\(option) is empty: please give a file")) }
        switch InputFileProblem.read(path, limit: limit) {
        case .read(let bytes): return bytes
        case .refused(let reason): throw SigningError.unreadableFile(path: path, reason: reason)
        }
    }

    /// The largest message `keys sign` and `keys verify` read (`--in`): Ed25519 signs the whole message at once.
    static let maximumMessageSize = 256 << 20
    /// The largest signature file read (`--sig`): a raw Ed25519 or DER P-256 signature is under 80 bytes.
    static let maximumSignatureSize = 4096
}
