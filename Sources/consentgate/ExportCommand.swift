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
        abstract: "Export a registration list to the partners' drive folders / Registrierungsliste an die Partnerordner exportieren")

    @OptionGroup var installation: InstallationOptions
    @Option(help: "The registration list (CSV from Excel).") var input: String
    @Option(help: "The shared drive folder (one folder per partner).") var drive: String
    @Option(help: "Header mapping file (Spalte;Feld).") var mapping: String?
    @Option(help: "Folder for the quarantine report (default: the input's folder; never the drive).") var quarantineDir: String?
    @Option(help: "Seconds to wait for another run on the same drive (default 0: stop at once).") var wait: Double = 0
    @Flag(help: "Re-export every record, even unchanged ones.") var full = false
    @Flag(help: "Show what would go to whom; write nothing.") var dryRun = false
    @Flag(help: "Print the summary as JSON.") var json = false

    func run() async throws {
        let language = installation.language
        try await reportingErrors(language: language) {
            let gate = try installation.openGate()
            let options = ExportOptions(input: input, drive: drive, mappingFile: mapping, full: full, dryRun: dryRun,
                                        quarantineDirectory: quarantineDir, lockTimeout: wait, actor: installation.resolvedActor)
            let line: ExportProgressLine? = (isatty(1) != 0 && !json) ? ExportProgressLine(language: language) : nil
            var report: (@Sendable (ExportProgress) -> Void)? = nil
            if let line { report = { p in line.show(p) } }
            let summary = try ExportJob(gate: gate).run(options, progress: report)
            line?.clear()
            print(json ? ExportSummaryText.json(summary) : ExportSummaryText.table(summary, language: language), terminator: "")
        }
    }
}
