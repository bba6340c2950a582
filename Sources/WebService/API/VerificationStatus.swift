import Diagnostics
import Dispatch
import Foundation
import Gate
import Synchronization

/// Whether `audit verify` held when it last ran: every checkpoint signed and consistent with the tree, and the
/// stored consents and withdrawals are the ones the log recorded, and every erasure notice a withdrawal requires
/// was sent or is still due (`StoreChecks`). Says when it ran and over how many entries, since a page may show a
/// result that is a little older than the log (`VerificationCache`).
struct VerificationStatus: Sendable {
    var ok: Bool
    /// Entries in the log when it was checked.
    var size: Int64
    var checkpoints: Int
    /// The first problem found, in both languages.
    var problem: LocalizedText?
    /// When the check ran.
    var checkedAt: Date

    /// Runs the whole check now.
    static func check(gate: Gate, now: Date = Date()) -> VerificationStatus {
        do {
            let report = try gate.auditLog.verify(keys: try gate.auditVerifierKeys(), revoked: try gate.auditRevokedKeys())
            if let finding = try StoreChecks.problem(in: gate.database.writer) { throw finding }
            return VerificationStatus(ok: true, size: report.size, checkpoints: report.checkpoints, problem: nil, checkedAt: now)
        } catch {
            let text = (error as? any UserFacingError).map { LocalizedText(de: $0.message(in: .de), en: $0.message(in: .en)) }
                ?? LocalizedText(de: "Prüfung nicht möglich", en: "verification could not run")
            return VerificationStatus(ok: false, size: (try? gate.auditLog.size()) ?? 0, checkpoints: 0, problem: text, checkedAt: now)
        }
    }

    /// The status as `GET /v1/audit/verify` answers it, the problem in `language`.
    func json(language: Language) -> String {
        "{\"checkpoints\":\(checkpoints),\"ok\":\(ok),\"problem\":\(AuditRoutes.jsonString(problem?[language])),\"size\":\(size)}"
    }
}

/// The verification status the DPO's `/audit` page shows. `audit verify` reads every entry of the log (about a
/// second per million entries on two cores), and every view of the page and every change of its filters would
/// run it again, concurrent views each their own. The page therefore shows the last result, stating when it ran and
/// over how many entries. Once that result is older than `maxAge`, a view still shows it at once and starts a new check
/// in the background, which the next view shows; only a request to check now (`?verify=now`) waits for a check, and
/// the very first view after a start when no check has finished yet. Before 2026-12-06 a view after two minutes
/// without one waited for the whole check: 6–8 s at 2.86M entries, every morning. The API (`GET /v1/audit/verify`)
/// and `consentgate audit verify` always check afresh.
///
/// A check runs on a thread of its own, never on the threads that serve requests: on two cores the server has
/// two of those, and views waiting for a long check used to hold both, stalling every other request (a case
/// manager's referral check, the decisions API) for as long as the check took. Views that ask while a check runs
/// wait for that one (asynchronously) instead of starting their own. `serve` starts one check when it starts
/// (`warmUp`), so the first view after a restart does not wait for it either.
final class VerificationCache: Sendable {
    /// How old a result may be before a view starts a new check in the background.
    let maxAge: TimeInterval
    private let check: @Sendable (Gate) -> VerificationStatus
    private static let key = DispatchSpecificKey<Bool>()
    private let queue: DispatchQueue = {
        let q = DispatchQueue(label: "consentgate.audit-verification", qos: .utility)
        q.setSpecific(key: VerificationCache.key, value: true)
        return q
    }()
    /// Whether the calling code runs on the checks' own thread (for tests and assertions).
    static var isCheckThread: Bool { DispatchQueue.getSpecific(key: key) == true }
    private let state = Mutex<State>(State())

    private struct State {
        var last: VerificationStatus?
        /// The check running or queued last, and when it was asked for (it sees the log of that time or later).
        var pending: (asked: Date, task: Task<VerificationStatus, Never>)?
    }

    /// `check` is the whole check (replaceable for tests).
    init(maxAge: TimeInterval = 120, check: @escaping @Sendable (Gate) -> VerificationStatus = { VerificationStatus.check(gate: $0) }) {
        self.maxAge = maxAge
        self.check = check
    }

    /// The last result at once, whatever its age; one older than `maxAge` at `now` starts a new check in the background
    /// (unless one asked for within `maxAge` is running or queued), which a later view shows. Waits for a check only
    /// when `fresh` is set or no result exists yet; a check asked for at or after this request (one that is running or
    /// queued) is as good as a new one.
    func status(gate: Gate, fresh: Bool = false, now: @escaping @Sendable () -> Date = Date.init) async -> VerificationStatus {
        let asked = now()
        let (kept, task) = state.withLock { s -> (VerificationStatus?, Task<VerificationStatus, Never>?) in
            if !fresh, let kept = s.last, kept.checkedAt <= asked {
                let stale = asked.timeIntervalSince(kept.checkedAt) >= maxAge
                let recentlyAsked = s.pending.map { asked.timeIntervalSince($0.asked) < maxAge } ?? false
                if stale && !recentlyAsked { _ = start(gate: gate, asked: asked, now: now, state: &s) }
                return (kept, nil)
            }
            // A check asked for after this request (or, when any recent result will do, within `maxAge` before it).
            if let pending = s.pending, pending.asked >= asked || (!fresh && asked.timeIntervalSince(pending.asked) < maxAge) {
                return (nil, pending.task)
            }
            return (nil, start(gate: gate, asked: asked, now: now, state: &s))
        }
        if let kept { return kept }
        // Either `kept` or `task` is set above.
        return await task!.value
    }

    /// The last result, if a check has finished, at once: neither waits nor starts a check. For the DPO's pages other than
    /// the log (an entry, the Art. 15 report, the statistics), which warn when it failed: they waited for the first check
    /// after a start (6–8 s on a large log) and started checks of their own (a review).
    func lastResult() -> VerificationStatus? { state.withLock { $0.last } }

    /// The result of the check running or queued last (nil when none was ever started): for tests, to wait for a check
    /// a view started in the background.
    func pendingResult() async -> VerificationStatus? {
        guard let task = state.withLock({ $0.pending?.task }) else { return nil }
        return await task.value
    }

    /// Starts a check in the background (at the server's start), unless one is running; returns at once.
    func warmUp(gate: Gate) {
        let asked = Date()
        state.withLock { s in
            if s.pending == nil && s.last == nil { _ = start(gate: gate, asked: asked, now: Date.init, state: &s) }
        }
    }

    /// Queues a check behind any running one (the queue is serial) and remembers it as the newest.
    private func start(gate: Gate, asked: Date, now: @escaping @Sendable () -> Date, state s: inout State) -> Task<VerificationStatus, Never> {
        let task = Task<VerificationStatus, Never> { [self] in
            let status: VerificationStatus = await withCheckedContinuation { done in
                queue.async { [self] in
                    let started = now()
                    var status = check(gate)
                    status.checkedAt = started
                    done.resume(returning: status)
                }
            }
            state.withLock { s in
                if s.last.map({ $0.checkedAt <= status.checkedAt }) ?? true { s.last = status }
            }
            return status
        }
        s.pending = (asked, task)
        return task
    }
}
