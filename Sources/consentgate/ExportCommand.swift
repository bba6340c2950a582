import ArgumentParser
import Diagnostics
import DriveExport
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Gate

/// `consentgate export`: the registration list to the partners' folders on the shared drive (CONTRACTS §7).
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: HelpText.text("Export a registration list to the partners' drive folders.",
                                de: "Registrierungsliste in die Laufwerksordner der Partner exportieren."))

    @OptionGroup var installation: InstallationOptions
    /// The signing keys' passphrase for an unattended run: a file (e.g. a secret the service manager mounts), else
    /// `CONSENTGATE_PASSPHRASE`; the message for a missing passphrase names both.
    @OptionGroup var passphrase: KeysPassphraseOptions
    @Option(help: HelpText.help("The registration list (CSV from Excel).",
                                de: "Die Registrierungsliste (CSV aus Excel)."))
    var input: String
    @Option(help: HelpText.help("The shared drive folder (one folder per partner).",
                                de: "Der Ordner auf dem Gruppenlaufwerk (ein Laufwerksordner je Partner)."))
    var drive: String
    @Option(help: HelpText.help("Header mapping file (header line column;field, or Spalte;Feld).",
                                de: "Zuordnungsdatei für die Spaltenüberschriften (Spalte;Feld)."))
    var mapping: String?
    @Option(help: HelpText.help("Folder for the quarantine report (default: the input's folder; never the drive).",
                                de: "Ordner für den Quarantänebericht (Standard: der Ordner der Eingabedatei; nie das Laufwerk)."))
    var quarantineDir: String?
    @Option(name: .customLong("remove-quarantine-reports-after"), parsing: .unconditional,
            help: HelpText.help("Remove quarantine reports of runs that started more than <days> days ago (default: keep them all).",
                                de: "Quarantäneberichte von Läufen entfernen, die mehr als <tage> Tage zurückliegen (Standard: alle behalten).",
                                valueName: HelpText.text("days", de: "tage")))
    var quarantineRetentionDays: Int?
    @Option(parsing: .unconditional, help: HelpText.help("Seconds to wait for another run on the same drive or database (0: stop at once).",
                                de: "Sekunden, die auf einen anderen Lauf auf demselben Laufwerk oder derselben Datenbank gewartet wird (0: sofort abbrechen)."))
    var wait: Double = 0
    @Flag(help: HelpText.help("Re-export every record, even unchanged ones.",
                              de: "Alle Datensätze erneut exportieren, auch unveränderte."))
    var full = false
    @Flag(help: HelpText.help("Show what would go to whom; write nothing.",
                              de: "Probelauf: anzeigen, was an wen ginge; nichts schreiben."))
    var dryRun = false
    @Flag(help: HelpText.help("Create the database if it does not exist (the first run of a new installation; demo mode always may).",
                              de: "Die Datenbank anlegen, wenn sie fehlt (erster Lauf einer neuen Installation; im Demo-Modus immer erlaubt)."))
    var newDatabase = false
    @Flag(help: HelpText.help("Print the summary as JSON.", de: "Zusammenfassung als JSON ausgeben.")) var json = false

    /// `--wait` is a number of seconds from 0 to a day (a negative, `nan` or `inf` value used to be taken silently).
    func validate() throws {
        try Self.checkRetention(quarantineRetentionDays)
        guard wait.isFinite, (0...86_400).contains(wait) else {
            throw ValidationError(HelpText.text("--wait takes seconds from 0 to 86400, not \(wait)",
                                                de: "--wait erwartet Sekunden von 0 bis 86400, nicht \(wait)"))
        }
    }

    func run() async throws {
        let language = installation.language
        try await reportingErrors(language: language) {
            // A dry run writes nothing: no database is created, no migration run, no policy-loaded entry recorded.
            // Before the first run there is no database yet: the dry run then decides against an empty one in a
            // temporary folder (everything counts as new) and says so, so a mistyped --db does not go unnoticed. Scratch
            // folders that killed dry runs left behind are removed first (DryRunScratchDirectory, docs/export-job.md).
            if dryRun { DryRunScratchDirectory.removeStale() }
            var scratch: DryRunScratchDirectory? = nil
            defer { scratch?.remove() }
            var configuration = installation.configuration
            configuration.passphraseFile = passphrase.passphraseFile
            var options = ExportOptions(input: input, drive: drive, mappingFile: mapping, full: full, dryRun: dryRun,
                                        quarantineDirectory: quarantineDir, lockTimeout: wait, actor: installation.resolvedActor)
            options.quarantineRetentionDays = quarantineRetentionDays
            // The progress line goes to standard error, rewritten in place: only when that is a terminal, so a log file
            // that takes standard error (`2>>export.log`) never gets its carriage returns and escape codes.
            let line: ExportProgressLine? = (isatty(2) != 0 && !json) ? ExportProgressLine(language: language) : nil
            var report: (@Sendable (ExportProgress) -> Void)? = nil
            if let line { report = { p in line.show(p) } }
            // A run stopped by SIGTERM or SIGINT says so (an unattended run's log would otherwise just end).
            ExportTerminationNotice.install(language: language, clearLine: line != nil)
            // A real run reads the list a first time while the installation opens (FirstPassInFlight).
            var firstPass: FirstPassInFlight? = nil
            defer { firstPass?.cancel() }
            let gate: Gate
            do {
                if dryRun && !FileManager.default.fileExists(atPath: configuration.databasePath) {
                    let dir = try DryRunScratchDirectory()
                    scratch = dir
                    var config = configuration
                    config.databasePath = dir.databasePath
                    gate = try Gate.open(config, actor: Actor(id: installation.resolvedActor))
                    let path = configuration.databasePath
                    StandardError.write(language == .de
                        ? "Hinweis: keine Datenbank unter \(path): der Probelauf rechnet, als wäre es der erste Lauf (alles gilt als neu).\n"
                        : "Note: no database at \(path): the dry run counts as a first run (everything is new).\n")
                } else if dryRun {
                    gate = try Gate.openForExportDryRun(configuration)
                } else {
                    gate = try Gate.openForExportRun(configuration, actor: Actor(id: installation.resolvedActor),
                                                     createIfMissing: newDatabase,
                                                     policyLoaded: { firstPass = FirstPassInFlight(options: options, policy: $0, progress: report) })
                }
            } catch {
                firstPass?.cancel()
                line?.clear()   // pass 1 may have shown its progress meanwhile
                throw error
            }
            let summary: ExportSummary
            do {
                summary = try ExportJob(gate: gate).run(options, progress: report, firstPass: firstPass)
            } catch let error as DriveExportError {
                line?.clear()   // the error message starts on a clean line
                throw ExportLockBusy(error, waited: wait) ?? error
            } catch {
                line?.clear()
                throw error
            }
            line?.clear()
            let bundle = gate.policy.bundle
            print(json ? ExportSummaryText.json(summary)
                       : ExportSummaryText.table(summary, language: language, fieldLabel: { bundle.field($0)?.label[language] }),
                  terminator: "")
            // The run is complete and its summary printed; a list whose every row was quarantined is still invalid input.
            if summary.everyRowQuarantined { throw ExitCode(ProblemCategory.invalidInput.exitCode) }
        }
    }
}

/// Another run holds the drive's or the database's export lock: the lock error (exit 5), and what to do about it, which
/// the job's own message cannot say as it does not know the command line: `--wait SECONDS` to wait for the other run
/// (an unattended run started again while the last one is still going on), or how long this one waited.
struct ExportLockBusy: UserFacingError {
    /// The job's error: `runInProgress` (the drive's lock) or `databaseRunInProgress` (the database's).
    let lock: DriveExportError
    /// The `--wait` the run was given, in seconds (0: it did not wait).
    let waited: Double

    /// `nil` unless `error` is a held run lock.
    init?(_ error: DriveExportError, waited: Double) {
        switch error {
        case .runInProgress, .databaseRunInProgress: lock = error; self.waited = waited
        default: return nil
        }
    }

    /// The lock error's category (storage, exit 5).
    var category: ProblemCategory { lock.category }

    /// The lock error's message, then in `language` either how long this run waited or the hint to `--wait`.
    func message(in language: Language) -> String {
        let seconds = waited == waited.rounded() ? String(Int(waited)) : String(waited)
        if waited > 0 {
            let one = waited == 1
            return lock.message(in: language) + (language == .de ? " (\(seconds) \(one ? "Sekunde" : "Sekunden") gewartet.)"
                                                                 : " (Waited \(seconds) \(one ? "second" : "seconds").)")
        }
        return lock.message(in: language) + (language == .de
            ? " Mit --wait SEKUNDEN wartet ein Lauf, bis der andere fertig ist."
            : " With --wait SECONDS a run waits for the other one to finish.")
    }
}

extension ExportCommand {
    /// `--remove-quarantine-reports-after` (of `export` and `serve`) takes days from 1 to 36,500: 0 would remove every
    /// earlier report before anyone read it, and a negative or absurd count is a typing mistake to name.
    static func checkRetention(_ days: Int?) throws {
        if let days, !(1...36_500).contains(days) {
            throw ValidationError(HelpText.text("--remove-quarantine-reports-after takes days from 1 to 36500, not \(days)",
                                                de: "--remove-quarantine-reports-after erwartet Tage von 1 bis 36500, nicht \(days)"))
        }
    }
}
