import AuditLog
import ConsentRecords
import Diagnostics
import Foundation
import GRDB

/// Checks that every erasure notice GDPR Art. 19 requires, line by line, was sent or is still due.
///
/// Why: when a person withdraws a consent that an export relied on, the next export run tells each partner
/// that received data on it to erase them (an `erasure-notice` entry, `erasure-notices.csv`). Which notices
/// are still due the export job reads from its ledger (`export_reliance` without an `export_notice` covering the line). Those
/// are plain rows: deleting the reliance, or adding a notice row that was never sent, stops the notice for
/// good, and the partner keeps data the person took back. The audit log shows what really happened: every
/// export `disclosure` entry names the consent each field relied on, and every notice sent has its entry.
///
/// So for every withdrawn consent, every withdrawn line (clause) under which an export disclosed data to a partner must
/// be covered by an `erasure-notice` entry to that partner (`consent-withdrawn:<id>`), or the ledger must still hold the
/// notice as due (or a run in progress as staged). An entry that names lines (`clauses`) covers those; one that names
/// none (a notice about the whole consent, or any notice logged before notices named lines) covers what was withdrawn
/// when it was logged: every line whose `consent-withdrawn` entry comes before it, everything if the whole consent's
/// does. Referral disclosures are not the export's to notify and are not held to this. When only some lines of a
/// consent are withdrawn, only a partner that received data under one of them is owed a notice (`WithdrawnLines`); a
/// partner that received data under lines that still hold is not.
public enum ErasureNoticeCheck {
    /// The first notice neither sent nor due (by consent id, then partner, then line), or nil.
    public static func problem(in writer: any DatabaseWriter) throws -> ErasureNoticeFinding? {
        try writer.read { db in
            let withdrawn = try Row.fetchAll(db, sql: """
                SELECT DISTINCT c.id, c.subject FROM consent_withdrawal w JOIN consent c ON c.id = w.consent_id ORDER BY c.id
                """).map { (consent: $0[0] as String, subject: $0[1] as String) }
            // A person's entries are read once, however many of their consents were withdrawn.
            var entriesOf: [String: [StoredEntry]] = [:]
            for (consent, subject) in withdrawn {
                let record = try ConsentStore.record(db, id: consent)
                let lines = record?.withdrawnLines ?? WithdrawnLines(whole: .distantPast, byClause: [:])
                let entries = try entriesOf[subject] ?? AuditLogStore.entries(
                    matching: AuditQuery(subject: subject, kinds: [.disclosure, .erasureNotice, .consentWithdrawn]), in: db)
                entriesOf[subject] = entries
                let reason = ErasureNoticeRecord.consentWithdrawnReason(consent)
                // Per partner: each withdrawn line it received data under, with the first disclosure under it; and what
                // the notice entries to it cover. `withdrawnSoFar`: the withdrawals logged up to the entry at hand.
                var received: [String: [String: Int64]] = [:]
                var covered: [String: Coverage] = [:]
                var withdrawnSoFar = Coverage()
                for stored in entries {
                    switch stored.entry.content {
                    case let .consentWithdrawn(w) where w.consentID == consent:
                        if let clauses = w.clauses { withdrawnSoFar.clauses.formUnion(clauses) } else { withdrawnSoFar.whole = true }
                    case let .disclosure(d) where d.exportRun != nil:
                        for f in d.fields {
                            guard let c = f.consent, c.id == consent, lines.time(ofClause: c.clause) != nil else { continue }
                            if received[d.partner]?[c.clause] == nil { received[d.partner, default: [:]][c.clause] = stored.index }
                        }
                    // A case manager's notice to a referral's recipient (`channel: referral`) is about the data passed on
                    // in referrals: it does not stand for the export's notice of the data the export sent.
                    case let .erasureNotice(n) where n.reason == reason && n.channel == nil:
                        for partner in n.notify {
                            if let clauses = n.clauses { covered[partner, default: Coverage()].clauses.formUnion(clauses) }
                            else { covered[partner, default: Coverage()].add(withdrawnSoFar) }
                        }
                    default:
                        continue
                    }
                }
                for (partner, under) in received.sorted(by: { $0.key < $1.key }) {
                    let notified = covered[partner] ?? Coverage()
                    var missing: [(clause: String, index: Int64)] = []
                    for (clause, index) in under.sorted(by: { $0.key < $1.key }) where !notified.covers(clause) {
                        if try !isDue(db, consent: consent, clause: clause, partner: partner, subject: subject, record: record) {
                            missing.append((clause, index))
                        }
                    }
                    guard let first = missing.first else { continue }
                    if lines.whole != nil {
                        return .noticeSuppressed(consentID: consent, partner: partner, subject: subject,
                                                 disclosureIndex: missing.map(\.index).min() ?? first.index)
                    }
                    return .lineNoticeSuppressed(consentID: consent, clause: first.clause, partner: partner, subject: subject,
                                                 disclosureIndex: first.index)
                }
            }
            return nil
        }
    }

    /// Lines covered by notices: some by name, or all (`whole`).
    struct Coverage {
        var whole = false
        var clauses: Set<String> = []
        mutating func add(_ other: Coverage) { whole = whole || other.whole; clauses.formUnion(other.clauses) }
        func covers(_ clause: String) -> Bool { whole || clauses.contains(clause) }
    }

    /// Whether the ledger holds the notice of `clause` to `partner` as due: staged by a run that has not committed yet
    /// (a notice of that line, of the whole consent, or staged before notices named lines), or relied on (by a committed
    /// run or one in progress) with no notice covering the line marked sent (`SentNotices.covered(for:)`). A run in
    /// progress relies on a consent whose other lines still hold, like every run; its reliance alone does not make the line
    /// due when a row marks it sent (the notice would never go once the run commits).
    private static func isDue(_ db: Database, consent: String, clause: String, partner: String, subject: String,
                              record: StoredConsent?) throws -> Bool {
        let staged = try Bool.fetchOne(db, sql: """
            SELECT EXISTS (SELECT 1 FROM export_pending_notice WHERE partner = ? AND consent_id = ? AND clause IN (?, '*', ''))
            """, arguments: [partner, consent, clause]) ?? false
        if staged { return true }
        let relied = try Bool.fetchOne(db, sql: """
            SELECT EXISTS (SELECT 1 FROM export_reliance WHERE partner = ?1 AND consent_id = ?2 AND subject = ?3)
                OR EXISTS (SELECT 1 FROM export_pending_reliance WHERE partner = ?1 AND consent_id = ?2 AND subject = ?3)
            """, arguments: [partner, consent, subject]) ?? false
        guard relied else { return false }
        let sent = try ExportLedger.sentNotices(db, consentID: consent, partner: partner)
        let covered: (whole: Bool, clauses: Set<String>) = record.map(sent.covered(for:)) ?? (sent.whole, sent.clauses)
        return !(covered.whole || covered.clauses.contains(clause))
    }
}

/// An erasure notice that GDPR Art. 19 requires, neither sent nor due (exit 4: the export ledger was edited).
public enum ErasureNoticeFinding: UserFacingError, Equatable {
    /// Entry `disclosureIndex` passed data of `subject` to `partner` relying on consent `consentID`, which is
    /// withdrawn; no notice went to the partner and the export ledger no longer holds one as due.
    case noticeSuppressed(consentID: String, partner: String, subject: String, disclosureIndex: Int64)
    /// Entry `disclosureIndex` passed data of `subject` to `partner` under line `clause` of consent `consentID`, which
    /// is withdrawn (the consent's other lines still hold); no notice naming the line went to the partner and the export
    /// ledger no longer holds one as due.
    case lineNoticeSuppressed(consentID: String, clause: String, partner: String, subject: String, disclosureIndex: Int64)

    /// Always an integrity failure (exit 4): the export ledger no longer holds a notice the log shows is owed.
    public var category: ProblemCategory { .integrity }

    /// The finding in `language`, naming the disclosure entry, the person, the partner and the withdrawn consent.
    public func message(in language: Language) -> String {
        switch self {
        case let .noticeSuppressed(consent, partner, subject, index):
            language == .de
                ? "Export-Buchführung manipuliert oder beschädigt: Eintrag \(index) hat Daten von \(subject) gestützt auf die widerrufene Einwilligung \(consent) an \(partner) übermittelt; kein Löschhinweis (Art. 19 DSGVO) ging dorthin, und keiner ist mehr fällig"
                : "export ledger tampered with or damaged: entry \(index) passed data of \(subject) to \(partner) relying on the withdrawn consent \(consent); no erasure notice (GDPR Art. 19) went there, and none is due any more"
        case let .lineNoticeSuppressed(consent, clause, partner, subject, index):
            language == .de
                ? "Export-Buchführung manipuliert oder beschädigt: Eintrag \(index) hat Daten von \(subject) gestützt auf die widerrufene Zeile \(clause) der Einwilligung \(consent) an \(partner) übermittelt; kein Löschhinweis (Art. 19 DSGVO) zu dieser Zeile ging dorthin, und keiner ist mehr fällig"
                : "export ledger tampered with or damaged: entry \(index) passed data of \(subject) to \(partner) under the withdrawn line \(clause) of consent \(consent); no erasure notice (GDPR Art. 19) naming that line went there, and none is due any more"
        }
    }
}
