import ArgumentParser
import Diagnostics
import Foundation
import Gate
import StrictJSON

/// `consentgate restore --from BACKUP [--db DB] [--keep-dir DIR] [--json] [--lang de|en]`: a backup put in the place of
/// the database while nothing uses it (`Gate.DatabaseRestore`; docs/operations.md, "Restore").
struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "restore",
        abstract: HelpText.text("Put a backup in the place of the database (only while nothing has it open); the replaced files are kept in a folder of their own.",
                                de: "Eine Sicherung an die Stelle der Datenbank bringen (nur, solange nichts sie geöffnet hat); die ersetzten Dateien bleiben in einem eigenen Ordner erhalten."))

    @Option(help: HelpText.help("The backup file (made by consentgate backup).", de: "Die Sicherungsdatei (von consentgate backup)."))
    var from: String
    @Option(name: .customLong("keep-dir"),
            help: HelpText.help("Folder for the replaced database files (must not exist; default: replaced-<UTC time> beside the database).",
                                de: "Ordner für die ersetzten Datenbankdateien (darf noch nicht bestehen; Standard: replaced-<UTC-Zeit> neben der Datenbank)."))
    var keepDir: String?
    @OptionGroup var options: DatabaseFileOptions

    /// `--keep-dir` must not exist yet, as its help says: a usage error before anything is read (found in a review: it
    /// failed later, as a storage error, exit 5).
    func validate() throws {
        if let keepDir, FileManager.default.fileExists(atPath: keepDir) {
            throw ValidationError(HelpText.text("--keep-dir \(keepDir) exists already; name a folder that does not exist yet (the replaced database files go there)",
                                                de: "--keep-dir \(keepDir) besteht bereits; bitte einen Ordner nennen, den es noch nicht gibt (dorthin kommen die ersetzten Datenbankdateien)"))
        }
    }

    func run() async throws {
        let (json, language) = (options.json, options.language)
        try await reportingErrors(language: language) {
            let path = options.database.db ?? AppDatabase.defaultPath()
            let restored = try DatabaseRestore.run(backup: from, database: path, keepFolder: keepDir)
            if json {
                AuditRun.printJSON(.object(["database": .string(restored.database), "audit-entries": .int(restored.auditEntries),
                                            "replaced-folder": restored.replacedFolder.map(JSONValue.string) ?? .null,
                                            "latest-checkpoint": restored.latestCheckpoint.map(JSONValue.string) ?? .null]))
                return
            }
            if language == .de {
                print("Wiederhergestellt: \(restored.database) aus \(from) (\(restored.auditEntries) Einträge im Audit-Protokoll)")
                if let folder = restored.replacedFolder { print("Die bisherige Datenbank liegt unverändert in \(folder).") }
                print("Jetzt gegen den neuesten bekannten Checkpoint prüfen: consentgate audit verify --db \(restored.database) --trusted-checkpoint DATEI")
            } else {
                print("restored: \(restored.database) from \(from) (\(restored.auditEntries) audit log entries)")
                if let folder = restored.replacedFolder { print("The previous database is unchanged in \(folder).") }
                print("Now check against the newest checkpoint you hold: consentgate audit verify --db \(restored.database) --trusted-checkpoint FILE")
            }
        }
    }
}
