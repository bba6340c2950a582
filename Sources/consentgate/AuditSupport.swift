import ArgumentParser
import AuditLog
import Diagnostics
import Foundation
import Gate
import PolicyEngine
import Signing
import StrictJSON

/// Errors of the audit command line itself.
enum AuditCLIError: UserFacingError {
    case missingKey
    case cannotRead(path: String, reason: LocalizedText)
    case cannotWrite(path: String, reason: LocalizedText)
    /// `value` of option `name` is not one of `allowed`.
    case badOption(name: String, value: String, allowed: [String])
    /// `--format` names another format than `--json` asks for.
    case formatAndJSON(format: String)
    /// `value` of the time option `name` (`--since`, `--until`) is neither an RFC 3339 time nor a date.
    case badTime(name: String, value: String)
    /// `--until` is not after `--since`: the period is empty.
    case emptyPeriod(since: String, until: String)
    /// A filter option `audit stats` does not apply (its counts are of disclosures and releasing checks).
    case notForStats(option: String, value: String)

    var category: ProblemCategory {
        switch self {
        case .missingKey, .badOption, .formatAndJSON, .badTime, .emptyPeriod, .notForStats: return .usage
        case .cannotRead: return .invalidInput
        case .cannotWrite: return .storage
        }
    }

    func message(in language: Language) -> String {
        let de = language == .de
        switch self {
        case .missingKey:
            return de ? "kein Audit-Schlüssel: --key DATEI angeben (Passphrase in CONSENTGATE_PASSPHRASE oder --passphrase-file)"
                      : "no audit key: pass --key FILE (passphrase in CONSENTGATE_PASSPHRASE or --passphrase-file)"
        case let .cannotRead(path, reason): return de ? "\(path) lässt sich nicht lesen: \(reason.de)" : "cannot read \(path): \(reason.en)"
        case let .cannotWrite(path, reason): return de ? "\(path) lässt sich nicht schreiben: \(reason.de)" : "cannot write \(path): \(reason.en)"
        case let .badOption(name, value, allowed):
            let list = allowed.joined(separator: ", ")
            return de ? "Option \(name) ungültig: „\(value)“ ist keiner der Werte \(list)" : "option \(name) invalid: \"\(value)\" is not one of \(list)"
        case let .formatAndJSON(format):
            return de ? "--format \(format) und --json widersprechen sich (--json heißt --format json); eines davon weglassen"
                      : "--format \(format) and --json contradict each other (--json means --format json); leave one out"
        case let .badTime(name, value):
            if let range = TimeRangeWords.outOfRange(value) { return de ? "Option \(name) ungültig: \(range.de)" : "option \(name) invalid: \(range.en)" }
            return de ? "Option \(name) ungültig: „\(value)“ ist keine Zeit (RFC 3339) und kein Datum (JJJJ-MM-TT)"
                      : "option \(name) invalid: \"\(value)\" is neither an RFC 3339 time nor a date (YYYY-MM-DD)"
        case let .notForStats(option, value):
            return de ? "Option \(option) „\(value)“ gilt nicht für audit stats: gezählt werden Weitergaben und Prüfungen mit Freigabe; \(option) bitte weglassen"
                      : "option \(option) \"\(value)\" does not apply to audit stats: it counts disclosures and releasing checks; leave \(option) out"
        case let .emptyPeriod(since, until):
            return de ? "Option --until ungültig: „\(until)“ liegt nicht nach --since „\(since)“ (--until zählt nicht mit): der Zeitraum ist leer"
                      : "option --until invalid: \"\(until)\" is not after --since \"\(since)\" (--until is exclusive): the period is empty"
        }
    }
}

/// File helpers: read text; write atomically (temp file, fsync, rename) so no half-written file is visible.
enum AuditFiles {
    /// The largest file read as text: a signed note is at most 1 MiB (`SignedNote`), a PEM key far less.
    static let maximumTextSize = 1 << 20

    /// The UTF-8 text of `path` (a checkpoint note, a PEM key); why not, in the user's language (`InputFileProblem`),
    /// rather than Foundation's English-only texts.
    static func readText(_ path: String) throws -> String {
        let data: [UInt8]
        switch InputFileProblem.read(path, limit: maximumTextSize) {
        case .read(let bytes): data = bytes
        case .refused(let reason): throw AuditCLIError.cannotRead(path: path, reason: reason)
        }
        guard let text = String(bytes: data, encoding: .utf8) else {
            throw AuditCLIError.cannotRead(path: path, reason: LocalizedText(de: "kein UTF-8-Text", en: "not UTF-8 text"))
        }
        return text
    }

    /// Writes `text` to `path` atomically (`AtomicFile`: a fresh temporary file, fsync, rename, fsync of the folder),
    /// mode 0640 as the export's files with personal data: an Art. 15 report names a person and every recipient of
    /// their data, so it is not for every user of the machine. A failure is explained in the user's language. An existing
    /// file is replaced only with `force` (`OutputFile`).
    static func writeAtomically(_ text: String, to path: String, force: Bool) throws {
        do { try OutputFile.write(Array(text.utf8), to: path, mode: 0o640, force: force, option: "--output") } catch let SigningError.io(_, reason) {
            throw AuditCLIError.cannotWrite(path: path, reason: reason)
        }
    }
}

/// Runs a command body, printing any error in the user's language and exiting with its category's code.
enum AuditRun {
    static var language: Language { Language.fromEnvironment(ProcessInfo.processInfo.environment) }

    /// `body`, its error printed in `language` (the command's `--lang`, else the environment's).
    static func run(language: Language = language, _ body: () throws -> Void) throws {
        do { try body() } catch let e as ExitCode { throw e } catch {
            StandardError.write(ErrorFormatter.format(error, language: language) + "\n")
            throw ExitCode(ErrorFormatter.exitCode(for: error))
        }
    }

    /// The log of the database `o` names, for a command that reads or checks it: the database must exist
    /// (`ExistingDatabase`; a mistyped `--db` is exit 5, not an empty log that verifies).
    static func store(_ o: AuditKeyOptions, command: String) throws -> AuditLogStore {
        let db = try ExistingDatabase.open(o.db ?? AppDatabase.defaultPath(), command: command)
        return AuditLogStore(writer: db.writer)
    }

    /// The log of the database `o` names, created when missing (the hidden `crash-writer`, which only appends).
    static func creatingStore(_ o: AuditKeyOptions) throws -> AuditLogStore {
        let db = try AppDatabase.open(path: o.db ?? AppDatabase.defaultPath())
        return AuditLogStore(writer: db.writer)
    }

    static func printJSON(_ value: JSONValue) {
        print(value.canonicalText)
    }

    /// The output format from `--format` and `--json` (which means `--format json`): `default` when neither is
    /// given; a usage error for a value outside `allowed` or a `--format` that contradicts `--json`.
    static func format(_ option: String?, json: Bool, allowed: [String], default fallback: String = "html") throws -> String {
        if let option {
            guard allowed.contains(option) else { throw AuditCLIError.badOption(name: "--format", value: option, allowed: allowed) }
            // `--json` is `--format json`: with another format the two contradict each other (before, the message said
            // the format named, one the command has, was "not one of json").
            guard !json || option == "json" else { throw AuditCLIError.formatAndJSON(format: option) }
            return option
        }
        return json ? "json" : fallback
    }
}

/// Filters shared by `audit log` and `audit stats`.
struct AuditFilterOptions: ParsableArguments {
    @Option(help: HelpText.help("Only entries about this subject (case id).",
                                de: "Nur Einträge zu dieser Person (Fall-ID)."))
    var subject: String?
    @Option(help: HelpText.help("Only entries about this partner.",
                                de: "Nur Einträge zu diesem Partner."))
    var partner: String?
    @Option(help: HelpText.help("Only entries for this purpose.",
                                de: "Nur Einträge zu diesem Zweck."))
    var purpose: String?
    @Option(help: HelpText.help("Only these kinds (comma-separated).",
                                de: "Nur diese Eintragsarten (durch Kommas getrennt)."))
    var kind: String?
    @Option(name: .customLong("by-actor"), help: HelpText.help("Only entries caused by this actor.",
                                                               de: "Nur Einträge, die dieser Akteur ausgelöst hat."))
    var byActor: String?
    @Option(help: HelpText.help("Only entries of this municipality.",
                                de: "Nur Einträge dieser Kommune."))
    var municipality: String?
    @Option(help: HelpText.help("From this time (RFC 3339, inclusive; a date YYYY-MM-DD: its start in Germany).",
                                de: "Ab diesem Zeitpunkt (RFC 3339, einschließlich; ein Datum JJJJ-MM-TT: sein Beginn in Deutschland)."))
    var since: String?
    @Option(help: HelpText.help("Until this time (RFC 3339, exclusive; a date YYYY-MM-DD: its start in Germany).",
                                de: "Bis zu diesem Zeitpunkt (RFC 3339, ausschließlich; ein Datum JJJJ-MM-TT: sein Beginn in Deutschland)."))
    var until: String?

    func query() throws -> AuditQuery {
        // A name typed for a case id (`"Max Mustermann"`) is refused, as `audit report` refuses it, not answered "none".
        if let subject { try CheckRequestError.requireCaseID(subject) }
        var kinds: [AuditEntryKind] = []
        // `--kind ""` or `a,,b` is a mistake to name (it listed every kind), as for `--clauses` and `--fields`.
        for k in try commaSeparatedEntries(kind, option: "--kind") {
            guard let parsed = AuditEntryKind(rawValue: String(k)) else {
                throw AuditCLIError.badOption(name: "--kind", value: String(k), allowed: AuditEntryKind.allCases.map(\.rawValue))
            }
            kinds.append(parsed)
        }
        let from = try Self.time(since, option: "--since"), to = try Self.time(until, option: "--until")
        if AuditTimeBound.isEmptyPeriod(since: from, until: to), let since, let until {
            throw AuditCLIError.emptyPeriod(since: since, until: until)
        }
        return AuditQuery(subject: subject, partner: partner, purpose: purpose, kinds: kinds, actor: byActor,
                          municipality: municipality, since: from, until: to)
    }

    /// A `--since`/`--until` value as `GET /v1/audit/entries` reads it (`AuditTimeBound`: an RFC 3339 time as given, a
    /// date `YYYY-MM-DD` as the start of that day in Europe/Berlin); a usage error naming the option for anything else.
    static func time(_ value: String?, option: String) throws -> String? {
        guard let value else { return nil }
        guard let bound = AuditTimeBound.parse(value) else { throw AuditCLIError.badTime(name: option, value: value) }
        return bound
    }
}
