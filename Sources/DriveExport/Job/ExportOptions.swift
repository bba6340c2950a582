import Foundation

/// What one `consentgate export` run should do.
public struct ExportOptions: Sendable {
    /// The registration list.
    public var input: String
    /// The shared drive (root folder with one folder per partner).
    public var drive: String
    /// An optional header mapping file (docs/export.md §2).
    public var mappingFile: String?
    /// Re-export every record, ignoring the ledger's fingerprints.
    public var full: Bool
    /// Decide and count, write nothing (no folder, no report, no subject, no audit entry).
    public var dryRun: Bool
    /// Where the quarantine report goes (default: the input file's folder; never the partner drive).
    public var quarantineDirectory: String?
    /// Seconds to wait for another run's lock (0: stop at once).
    public var lockTimeout: Double
    /// The run's time (decisions, run id, manifest).
    public var now: Date
    /// Who runs the job (audit `actor`).
    public var actor: String
    /// Remove the quarantine reports of runs that started more than this many days before `now` (nil: keep every
    /// report). The reports name case ids and why their rows were held back: personal data to keep no longer than
    /// needed (GDPR Art. 5(1)(e)); an unattended job can set the county's retention period here instead of relying on
    /// someone to delete them. A dry run removes nothing.
    public var quarantineRetentionDays: Int? = nil

    /// Options for a real, incremental run now, by `export-job`, not waiting for locks; quarantine report beside the input.
    public init(input: String, drive: String, mappingFile: String? = nil, full: Bool = false, dryRun: Bool = false,
                quarantineDirectory: String? = nil, lockTimeout: Double = 0, now: Date = Date(), actor: String = "export-job") {
        self.input = input; self.drive = drive; self.mappingFile = mappingFile; self.full = full; self.dryRun = dryRun
        self.quarantineDirectory = quarantineDirectory; self.lockTimeout = lockTimeout; self.now = now; self.actor = actor
    }
}
