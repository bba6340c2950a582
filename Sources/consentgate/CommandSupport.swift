import ArgumentParser
import Diagnostics
import Foundation

/// Options every command that touches the installation shares.
struct InstallationOptions: ParsableArguments {
    @Option(name: .long, help: HelpText.help("SQLite database file (default: $CONSENTGATE_DB, else consentgate.sqlite in $CONSENTGATE_DATA or ./data).",
                                             de: "SQLite-Datenbankdatei (Standard: $CONSENTGATE_DB, sonst consentgate.sqlite in $CONSENTGATE_DATA oder ./data)."))
    var db: String?

    @Option(name: .long, help: HelpText.help("Policy bundle folder.", de: "Ordner des Richtlinienpakets."))
    var policy: String = "policies/kim-rhein-sieg"

    @Option(name: .long, help: HelpText.help("Trust store file.", de: "Trust-Store-Datei."))
    var trust: String = "keys/trust.yaml"

    @Flag(name: .long, help: HelpText.help("Demo mode: accept the shipped demo keys (never in production).",
                                           de: "Demo-Modus: die mitgelieferten Demo-Schlüssel akzeptieren (nie im Produktivbetrieb)."))
    var demo: Bool = false

    @Option(name: .long, help: HelpText.help("Who is acting (case manager or job id), recorded in the audit log.",
                                             de: "Wer handelt (Fallmanagement oder Job-ID); wird im Audit-Protokoll vermerkt."))
    var actor: String?

    /// `--lang`: the language of this command's messages and output, and of its `--help` (which ArgumentParser prints
    /// while parsing: `HelpText` looks for `--lang` in the arguments itself).
    @Option(name: .long, help: InstallationOptions.langHelp)
    var lang: Language?

    /// The help of `--lang`, also for commands that take it without the other installation options (`backup`).
    static let langHelp = HelpText.help(
        "Language of messages: de or en (default: $CONSENTGATE_LANG, then $LANG, then de). "
            + "Also of this help (--lang en --help).",
        de: "Sprache der Meldungen: de oder en (Standard: $CONSENTGATE_LANG, dann $LANG, dann de). "
            + "Gilt auch für diese Hilfe (--lang de --help).")

    /// The language for messages.
    var language: Language {
        lang ?? Language.fromEnvironment(ProcessInfo.processInfo.environment)
    }
}

/// `--lang de|en` (any case); another value is a usage error (exit 2) naming the two, not a silent German.
extension Language: ExpressibleByArgument {
    /// `de` or `en` in any case; nil (a usage error naming the choices) for anything else.
    public init?(argument: String) { self.init(rawValue: argument.lowercased()) }
}

/// Runs a command body, printing any error through the one formatter and exiting with its code.
func reportingErrors(language: Language, _ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let exit as ExitCode {
        throw exit
    } catch let error as any UserFacingError {
        StandardError.write(ErrorFormatter.format(error, language: language) + "\n")
        throw ExitCode(ErrorFormatter.exitCode(for: error))
    } catch {
        if error is ValidationError || error is CleanExit { throw error }
        StandardError.write(ErrorFormatter.format(error, language: language) + "\n")
        throw ExitCode(ErrorFormatter.exitCode(for: error))
    }
}

/// Writes a line to standard output.
func emit(_ text: String) { print(text) }

import Gate
import Signing

extension InstallationOptions {
    /// The installation configuration these options name.
    var configuration: GateConfiguration {
        GateConfiguration(databasePath: db, policyDirectory: policy, trustFile: trust, demoMode: demo)
    }

    /// Who acts: `--actor`, else `$CONSENTGATE_ACTOR`, else `$USER`, else `cli`.
    var resolvedActor: String { CommandActor.resolve(actor, environment: ProcessInfo.processInfo.environment) }

    /// Who is acting must be fit for the audit log (`CommandActor.validate`).
    func validate() throws { try CommandActor.validated(actor, environment: ProcessInfo.processInfo.environment) }

    /// Opens the installation (policy, keys, database). A command that will append to the audit log says so
    /// (`appending`), and its audit-log key is then decrypted while the rest opens. A command that only reads what
    /// the installation holds names itself (`reading`): its database must exist (`ExistingDatabase`), so that a
    /// mistyped `--db` is reported (exit 5) instead of answered from a new, empty installation. A command that changes a
    /// record which must already exist (`consent withdraw`, `users disable`) names itself as `changing`, with the same effect.
    /// `passphraseFile` is the `--passphrase-file` of a command that signs (`KeysPassphraseOptions`): without it the
    /// keys' passphrase comes from `CONSENTGATE_PASSPHRASE`.
    func openGate(municipality: String? = nil, appending: Bool = false, reading command: String? = nil,
                  changing changer: String? = nil, passphraseFile: String? = nil) throws -> Gate {
        var configuration = configuration
        configuration.passphraseFile = passphraseFile
        if let command { try ExistingDatabase.require(configuration.databasePath, command: command) }
        if let changer { try ExistingDatabase.require(configuration.databasePath, command: changer, changing: true) }
        return try Gate.open(configuration, actor: Actor(id: resolvedActor, municipality: municipality), prefetchingAuditKey: appending)
    }
}

/// A usage error raised by a command's own checks (exit 2).
struct UsageError: UserFacingError {
    var de: String
    var en: String
    var category: ProblemCategory { .usage }
    func message(in language: Language) -> String { language == .de ? de : en }
}

/// The entries of a comma-separated option value (each trimmed), or a usage error naming the option when one is empty:
/// `a,,b` or a trailing comma is a mistake to name, not an entry to drop unseen. `nil` gives no entries.
func commaSeparatedEntries(_ text: String?, option: String) throws -> [String] {
    let listed = text?.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) } ?? []
    if let empty = listed.firstIndex(of: "") {
        throw UsageError(de: "\(option): Eintrag \(empty + 1) von \(listed.count) ist leer",
                         en: "\(option): entry \(empty + 1) of \(listed.count) is empty")
    }
    return listed
}

/// Parses an RFC 3339 time given on the command line, or fails with a usage error naming the option. `wholeSeconds`:
/// a fractional second is refused too, for the time a signed document carries (`granted-at`, `withdrawn-at` keep whole
/// seconds: found in a review of dates, `--granted-at …09:00:00.5Z` was cut to 09:00:00, before the stated signing).
func parseTime(_ text: String, option: String, wholeSeconds: Bool = false) throws -> Date {
    guard let d = RFC3339.parse(text) else {
        if RFC3339.isLeapSecond(text) {
            throw UsageError(de: "\(option): \"\(text)\": eine Schaltsekunde (:60) wird nicht angenommen; bitte :59 angeben",
                             en: "\(option): \"\(text)\": a leap second (:60) is not accepted; give :59")
        }
        if let range = TimeRangeWords.outOfRange(text) { throw UsageError(de: "\(option): \(range.de)", en: "\(option): \(range.en)") }
        throw UsageError(de: "\(option): \"\(text)\" ist keine Zeit nach RFC 3339 (z. B. 2026-11-25T10:00:00Z)",
                         en: "\(option): \"\(text)\" is not an RFC 3339 time (e.g. 2026-11-25T10:00:00Z)")
    }
    if wholeSeconds, d.timeIntervalSince1970.rounded(.down) != d.timeIntervalSince1970 {
        throw UsageError(de: "\(option): \"\(text)\": nur ganze Sekunden, ohne Sekundenbruchteil (z. B. 2026-11-25T10:00:00Z)",
                         en: "\(option): \"\(text)\": whole seconds only, without a fractional part (e.g. 2026-11-25T10:00:00Z)")
    }
    return d
}

/// Parses a calendar date `YYYY-MM-DD` or `TT.MM.JJJJ` as midnight UTC.
func parseDay(_ text: String, option: String) throws -> Date {
    var iso = text
    let parts = text.split(separator: ".")
    if parts.count == 3, parts[2].count == 4 {
        iso = "\(parts[2])-\(parts[1].count == 1 ? "0" : "")\(parts[1])-\(parts[0].count == 1 ? "0" : "")\(parts[0])"
    }
    guard let day = UTCDay.parse(iso) else {
        // Well formed, but no such day (31.04., 29.02. of a common year): said why, not only the format (a review of dates).
        let numbers = iso.split(separator: "-").map { Int($0) }
        if numbers.count == 3, let y = numbers[0], let m = numbers[1], let d = numbers[2], iso.count == 10, (1...12).contains(m), d >= 1 {
            // The month by its name ("der 2. Monat 2020" read oddly: a wording review).
            let de = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"][m - 1]
            let en = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"][m - 1]
            throw UsageError(de: "\(option): \"\(text)\": diesen Tag gibt es nicht (der \(de) \(y) hat weniger als \(d) Tage)",
                             en: "\(option): \"\(text)\": there is no such day (\(en) \(y) has fewer than \(d) days)")
        }
        throw UsageError(de: "\(option): \"\(text)\" ist kein Datum (JJJJ-MM-TT oder TT.MM.JJJJ)",
                         en: "\(option): \"\(text)\" is not a date (YYYY-MM-DD or DD.MM.YYYY)")
    }
    return Date(timeIntervalSince1970: Double(day) * 86_400)
}

import PolicyEngine

/// `body`, with a municipality the gate refuses (`GateError.unknownMunicipality`) named as the option the user typed,
/// `--municipality`, rather than as the field of the record it would have gone into (`collected-by.municipality`,
/// `subject.municipality`), which the command line never shows.
func namingMunicipalityOption<T>(_ body: () throws -> T) throws -> T {
    do { return try body() } catch let GateError.unknownMunicipality(_, name, suggestions, known) {
        throw GateError.unknownMunicipality(field: "--municipality", name: name, suggestions: suggestions, known: known)
    }
}
