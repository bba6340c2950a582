import Diagnostics
import DriveExport
import Foundation
import Signing

/// The JSON the export routes answer with: the run summary (same keys as `consentgate export --json`)
/// and a run's status.
enum ExportJSON {
    /// One partner's part of a run.
    struct Partner: Codable, Equatable {
        var partner, folder, purpose: String
        var records, erasureNotices: Int
        var columns: [String]
        var path: String?
        enum CodingKeys: String, CodingKey { case partner, folder, purpose, records, erasureNotices = "erasure-notices", columns, path }
    }

    /// A run's summary.
    struct Summary: Codable, Equatable {
        var runID: String
        var dryRun: Bool
        var read, quarantined: Int
        var quarantineReport: String?
        var partners: [Partner]
        var recovered: [String]
        var inputSHA256: String
        /// Erasure notices owed to partners the policy no longer knows (not written; still due), by partner.
        var undeliverableNotices: [String: Int]?
        /// Quarantine reports of earlier runs beside the input, and those this run removed as past the retention period
        /// (`ExportSummary.earlierQuarantineReports`, `.removedQuarantineReports`); absent when none.
        var earlierQuarantineReports, removedQuarantineReports: Int?
        /// Consents withdrawn while the run decided, on which its records relied (they were decided again), and the
        /// partners whose part waits for the next run (`ExportSummary.withdrawalsDuringRun`, `.deferredPartners`);
        /// absent when none.
        var withdrawalsDuringRun: Int?
        var deferredPartners: [String]?
        enum CodingKeys: String, CodingKey {
            case runID = "run-id", dryRun = "dry-run", read, quarantined, quarantineReport = "quarantine-report", partners, recovered
            case inputSHA256 = "input-sha256", undeliverableNotices = "undeliverable-erasure-notices"
            case earlierQuarantineReports = "earlier-quarantine-reports", removedQuarantineReports = "removed-quarantine-reports"
            case withdrawalsDuringRun = "withdrawals-during-run", deferredPartners = "deferred-partners"
        }
        init(_ s: ExportSummary) {
            runID = s.runID; dryRun = s.dryRun; read = s.rowsRead; quarantined = s.quarantined; quarantineReport = s.quarantineReport
            partners = s.partners.map { Partner(partner: $0.partner, folder: $0.folder, purpose: $0.purpose, records: $0.records,
                                                erasureNotices: $0.notices, columns: $0.columns, path: $0.path) }
            recovered = s.recovered; inputSHA256 = s.inputSHA256
            undeliverableNotices = s.undeliverableNotices.isEmpty ? nil : s.undeliverableNotices
            earlierQuarantineReports = s.earlierQuarantineReports > 0 ? s.earlierQuarantineReports : nil
            removedQuarantineReports = s.removedQuarantineReports > 0 ? s.removedQuarantineReports : nil
            withdrawalsDuringRun = s.withdrawalsDuringRun > 0 ? s.withdrawalsDuringRun : nil
            deferredPartners = s.deferredPartners.isEmpty ? nil : s.deferredPartners
        }

        /// This summary as the API answers it: the quarantine report relative to the export input folder and
        /// each partner's path relative to the export drive folder, never an absolute path of the server.
        func relative(to configuration: WebServiceConfiguration) -> Summary {
            var s = self
            s.quarantineReport = quarantineReport.map { ExportPaths.relative($0, base: configuration.exportInputDirectory) }
            for i in s.partners.indices {
                s.partners[i].path = s.partners[i].path.map { ExportPaths.relative($0, base: configuration.exportDriveDirectory) }
            }
            return s
        }
    }

    /// A run's status (`GET /v1/exports/{id}`, and the 202 answer of `POST /v1/exports`).
    struct Status: Encodable {
        var id: String
        var state: String
        var actor: String
        var startedAt: String
        var beganAt: String?
        var finishedAt: String?
        var summary: Summary?
        var error: String?
        enum CodingKeys: String, CodingKey {
            case id, state, actor, startedAt = "started-at", beganAt = "began-at", finishedAt = "finished-at", summary, error
        }
        /// The status of `run`, with the summary's paths relative to the folders of `configuration`.
        init(_ run: ExportRunRegistry.Run, language: Language, configuration: WebServiceConfiguration) {
            id = run.id; state = run.state.rawValue; actor = run.actor; startedAt = RFC3339.format(run.startedAt)
            beganAt = run.beganAt.map { RFC3339.format($0) }
            finishedAt = run.finishedAt.map { RFC3339.format($0) }
            summary = (run.summary.map(Summary.init) ?? run.recordedSummary)?.relative(to: configuration)
            error = run.error?[language]
        }
    }
}
