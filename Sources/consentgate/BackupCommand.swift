import ArgumentParser
import Diagnostics
import Foundation
import Gate
import StrictJSON

/// `consentgate backup --out FILE [--db DB] [--force] [--json] [--lang de|en]`: a consistent copy of the database in one
/// file while the installation keeps working (`Gate.DatabaseBackup`; docs/audit-log.md, "Backup and restore").
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "backup",
        abstract: HelpText.text("Copy the database (consents, accounts, audit log) into one file, consistently, also while serve or an export runs.",
                                de: "Die Datenbank (Einwilligungen, Konten, Audit-Protokoll) in eine Datei sichern, in sich stimmig, auch während serve oder ein Export läuft."))

    @Option(help: HelpText.help("The backup file (readable only by its owner); an existing one is replaced only with --force.",
                                de: "Die Sicherungsdatei (nur für ihren Eigentümer lesbar); eine vorhandene wird nur mit --force ersetzt."))
    var out: String
    @Flag(help: HelpText.help("Replace an existing backup file.", de: "Eine vorhandene Sicherungsdatei ersetzen."))
    var force = false
    @OptionGroup var options: DatabaseFileOptions

    func run() async throws {
        let (json, language) = (options.json, options.language)
        try await reportingErrors(language: language) {
            let installation = try options.database.open(command: "backup")
            try DatabaseBackup.checkTarget(out, database: installation)
            try OutputFile.refuseExisting(out, force: force, option: "--out")
            let backup = try OutputFile.nameTakenAsExisting(option: "--out") {
                try DatabaseBackup.write(installation, to: out, overwrite: force)
            }
            if json {
                var o: [String: JSONValue] = ["path": .string(backup.path), "bytes": .int(backup.bytes),
                                              "audit-entries": .int(backup.auditEntries)]
                o["latest-checkpoint"] = backup.latestCheckpoint.map(JSONValue.string) ?? .null
                AuditRun.printJSON(.object(o))
                return
            }
            let megabytes = String(format: "%.1f", Double(backup.bytes) / 1_048_576)
            if language == .de {
                print("Sicherung geschrieben: \(backup.path) (\(megabytes.replacingOccurrences(of: ".", with: ",")) MiB, "
                      + "\(backup.auditEntries) Einträge im Audit-Protokoll)")
                if let note = backup.latestCheckpoint {
                    print("Neuester Checkpoint der Sicherung (getrennt von ihr aufbewahren; nach einer Wiederherstellung "
                          + "mit audit verify --trusted-checkpoint prüfen):")
                    print(note, terminator: note.hasSuffix("\n") ? "" : "\n")
                }
            } else {
                print("backup written: \(backup.path) (\(megabytes) MiB, \(backup.auditEntries) audit log entries)")
                if let note = backup.latestCheckpoint {
                    print("The backup's latest checkpoint (keep it apart from the backup; after a restore, check with "
                          + "audit verify --trusted-checkpoint):")
                    print(note, terminator: note.hasSuffix("\n") ? "" : "\n")
                }
            }
        }
    }
}

/// The options of the commands that work on the database file as a whole (`backup`, `restore`): `--db`, `--json`, `--lang`.
struct DatabaseFileOptions: ParsableArguments {
    @Flag(help: HelpText.help("Print the result as JSON.", de: "Ergebnis als JSON ausgeben.")) var json = false
    @OptionGroup var database: DatabaseOption
    @Option(name: .long, help: InstallationOptions.langHelp)
    var lang: Language?

    /// The language of messages and output: `--lang`, else the environment's.
    var language: Language { lang ?? Language.fromEnvironment(ProcessInfo.processInfo.environment) }
}
