import AuditLog
import ConsentRecords
import Diagnostics
import Foundation
import GRDB

/// Checks that every erasure notice GDPR Art. 19 requires was sent or is still due.
///
/// Why: when a person withdraws a consent that an export relied on, the next export run tells each partner
/// that received data on it to erase them (an `erasure-notice` entry, `erasure-notices.csv`). Which notices
/// are still due the export job reads from its ledger (`export_reliance` without an `export_notice`). Those
/// are plain rows: deleting the reliance, or adding a notice row that was never sent, stops the notice for
/// good, and the partner keeps data the person took back. The audit log shows what really happened: every
/// export `disclosure` entry names the consent each field relied on, and every notice sent has its entry.
///
/// So for every withdrawn consent, every partner an export disclosed data to on it must have its
/// `erasure-notice` entry (`consent-withdrawn:<id>`), or the ledger must still hold the notice as due (or a
/// run in progress as staged). Referral disclosures are not the export's to notify and are not held to this.
/// When only some lines (clauses) of a consent are withdrawn, only a partner that received data under one of them is
/// owed a notice (`WithdrawnLines`); a partner that received data under lines that still hold is not.
public enum ErasureNoticeCheck {
    /// The first notice neither sent nor due (by consent id, then partner), or nil.
    public static func problem(in writer: any DatabaseWriter) throws -> ErasureNoticeFinding? {
        try writer.read { db in
            let withdrawn = try Row.fetchAll(db, sql: """
                SELECT DISTINCT c.id, c.subject FROM consent_withdrawal w JOIN consent c ON c.id = w.consent_id ORDER BY c.id
                """).map { (consent: $0[0] as String, subject: $0[1] as String) }
            // A person's entries are read once, however many of their consents were withdrawn.
            var entriesOf: [String: [StoredEntry]] = [:]
            for (consent, subject) in withdrawn {
                let lines = try ConsentStore.record(db, id: consent)?.withdrawnLines ?? WithdrawnLines(whole: .distantPast, byClause: [:])
                let entries = try entriesOf[subject] ?? AuditLogStore.entries(
                    matching: AuditQuery(subject: subject, kinds: [.disclosure, .erasureNotice]), in: db)
                entriesOf[subject] = entries
                var disclosedTo: [String: Int64] = [:], notified: Set<String> = []
                for stored in entries {
                    switch stored.entry.content {
                    case let .disclosure(d) where d.exportRun != nil && d.fields.contains(where: {
                        $0.consent?.id == consent && $0.consent.flatMap { lines.time(ofClause: $0.clause) } != nil }):
                        if disclosedTo[d.partner] == nil { disclosedTo[d.partner] = stored.index }
                    case let .erasureNotice(n) where n.reason == ErasureNoticeRecord.consentWithdrawnReason(consent):
                        notified.formUnion(n.notify)
                    default:
                        continue
                    }
                }
                for (partner, index) in disclosedTo.sorted(by: { $0.key < $1.key }) where !notified.contains(partner) {
                    if try !isDue(db, consent: consent, partner: partner, subject: subject) {
                        return .noticeSuppressed(consentID: consent, partner: partner, subject: subject, disclosureIndex: index)
                    }
                }
            }
            return nil
        }
    }

    /// Whether the ledger holds the notice to `partner` as due: relied on and not marked sent, or staged by a run
    /// that has not committed yet.
    private static func isDue(_ db: Database, consent: String, partner: String, subject: String) throws -> Bool {
        try Bool.fetchOne(db, sql: """
            SELECT (EXISTS (SELECT 1 FROM export_reliance WHERE partner = ?1 AND consent_id = ?2 AND subject = ?3)
                    AND NOT EXISTS (SELECT 1 FROM export_notice WHERE consent_id = ?2 AND partner = ?1))
                OR EXISTS (SELECT 1 FROM export_pending_reliance WHERE partner = ?1 AND consent_id = ?2 AND subject = ?3)
                OR EXISTS (SELECT 1 FROM export_pending_notice WHERE partner = ?1 AND consent_id = ?2)
            """, arguments: [partner, consent, subject]) ?? false
    }
}

/// An erasure notice that GDPR Art. 19 requires, neither sent nor due (exit 4: the export ledger was edited).
public enum ErasureNoticeFinding: UserFacingError, Equatable {
    /// Entry `disclosureIndex` passed data of `subject` to `partner` relying on consent `consentID`, which is
    /// withdrawn; no notice went to the partner and the export ledger no longer holds one as due.
    case noticeSuppressed(consentID: String, partner: String, subject: String, disclosureIndex: Int64)

    /// Always an integrity failure (exit 4): the export ledger no longer holds a notice the log shows is owed.
    public var category: ProblemCategory { .integrity }

    /// The finding in `language`, naming the disclosure entry, the person, the partner and the withdrawn consent.
    public func message(in language: Language) -> String {
        switch self {
        case let .noticeSuppressed(consent, partner, subject, index):
            language == .de
                ? "Export-Buchführung manipuliert oder beschädigt: Eintrag \(index) hat Daten von \(subject) gestützt auf die widerrufene Einwilligung \(consent) an \(partner) übermittelt; kein Löschhinweis (Art. 19 DSGVO) ging dorthin, und keiner ist mehr fällig"
                : "export ledger tampered with or damaged: entry \(index) passed data of \(subject) to \(partner) relying on the withdrawn consent \(consent); no erasure notice (GDPR Art. 19) went there, and none is due any more"
        }
    }
}
