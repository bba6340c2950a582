import Diagnostics
import Gate
import Logging

/// Tells the service's log when the trust store file stops saying what the service started with, and when it says it
/// again: a warning naming the key events a restart would apply (`kid revoked`, …) or why the file cannot be loaded, once
/// per change of what the file says; an info line when it is back in step.
///
/// Why: `serve` loads the trust store at its start, and a key revoked (`revoked-at` in the file) or added (`consentgate
/// keys generate`) while it runs counts for it only after a restart (docs/keys.md). A forgotten restart would leave the service signing with a key
/// the file has revoked; this makes it visible in the log, beside the `/metrics` gauge `consentgate_trust_store_changed`.
struct TrustStoreWatchLog: Sendable {
    /// What was last reported (nil: in step).
    private var reported: String?

    init() {}

    /// Logs `state` if it differs from what was reported last.
    mutating func report(_ state: TrustStoreFileState, to logger: Logger) {
        let summary: String?
        switch state {
        case .unchanged: summary = nil
        case let .changed(events): summary = events.map { "\($0.kid) \($0.event)" }.joined(separator: ", ")
        case let .unreadable(error): summary = "unreadable: " + TrustStoreWatchLog.describe(error)
        }
        guard summary != reported else { return }
        reported = summary
        switch state {
        case .unchanged:
            logger.info("trust store file back in step with the store this service started with")
        case .changed:
            logger.warning("trust store file changed since this service started; the change counts only after a restart of serve",
                           metadata: ["changes": "\(summary ?? "")"])
        case .unreadable:
            logger.warning("trust store file can no longer be loaded; this service goes on with the store it started with, a restart would fail",
                           metadata: ["error": "\(summary ?? "")"])
        }
    }

    /// The error in English, as the service's log is (its user-facing text where it has one).
    static func describe(_ error: any Error) -> String {
        (error as? any UserFacingError)?.message(in: .en) ?? String(describing: error)
    }

    /// Checks the trust store file of `gate` every `interval` until cancelled, reporting to `logger`; and, as often, the
    /// keys the service signs with (`SigningKeyWatchLog`: a role without a usable key, a key's coming `not-after`).
    static func watch(gate: Gate, every interval: Duration, logger: Logger) async {
        var log = TrustStoreWatchLog()
        var keys = SigningKeyWatchLog()
        while !Task.isCancelled {
            // On the pool itself: a `stat` every `interval`, and a read of a small file only when it changed. Through
            // `BlockingWork` the warning would wait behind whatever long reads (a verification, statistics) hold its
            // threads, minutes on a large log.
            log.report(gate.trustStoreFileState(), to: logger)
            keys.report(gate, to: logger)
            do { try await Task.sleep(for: interval) } catch { return }
        }
    }
}
