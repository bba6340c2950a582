#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// A test hook for the crash-safety tests: when `CONSENTGATE_EXPORT_CRASH_AT=<point>:<partner>` is set in
/// the environment, the process kills itself with SIGKILL at that point of that partner's publication,
/// exactly as a power cut or `kill -9` would (no cleanup runs). Unset, it does nothing.
enum CrashPoint: String {
    /// After the first batch of disclosures is committed (with a batch size below the run's records).
    case afterFirstBatch = "after-first-batch"
    /// After the run's audit entries are committed, before the folder is published.
    case afterAudit = "after-audit"
    /// After the folder is published, before the ledger is committed.
    case afterPublish = "after-publish"

    static let setting = ProcessInfo.processInfo.environment["CONSENTGATE_EXPORT_CRASH_AT"]

    static func reached(_ point: CrashPoint, partner: String) {
        guard let setting, setting == point.rawValue + ":" + partner else { return }
        kill(getpid(), SIGKILL)
    }
}
