import Diagnostics
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
            let report = try gate.auditLog.verify(keys: try gate.auditVerifierKeys())
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
/// run it again, concurrent views each their own. The page therefore shows the last result while it is younger
/// than `maxAge`, stating when it ran and over how many entries; an older one, or a request to check now, runs
/// the check again. The API (`GET /v1/audit/verify`) and `consentgate audit verify` always check afresh.
final class VerificationCache: Sendable {
    /// How long a result is shown before the next view checks again.
    let maxAge: TimeInterval
    private let last = Mutex<VerificationStatus?>(nil)
    /// Serialises the checks themselves, so concurrent views wait for one check instead of running their own.
    private let running = Mutex<Void>(())

    init(maxAge: TimeInterval = 120) { self.maxAge = maxAge }

    /// A result no older than `maxAge` at `now`, checked afresh when there is none or `fresh` is set.
    func status(gate: Gate, fresh: Bool = false, now: () -> Date = Date.init) -> VerificationStatus {
        let asked = now()
        if !fresh, let kept = usable(at: asked) { return kept }
        return running.withLock { _ in
            // Another view may have checked while this one waited: a check that started after this request did is as good.
            if let kept = last.withLock({ $0 }), kept.checkedAt >= asked, kept.checkedAt.timeIntervalSince(asked) < maxAge { return kept }
            let status = VerificationStatus.check(gate: gate, now: now())
            last.withLock { $0 = status }
            return status
        }
    }

    private func usable(at now: Date) -> VerificationStatus? {
        last.withLock { kept in
            guard let kept, now.timeIntervalSince(kept.checkedAt) < maxAge, kept.checkedAt <= now else { return nil }
            return kept
        }
    }
}
