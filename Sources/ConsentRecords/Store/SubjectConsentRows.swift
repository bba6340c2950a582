import Foundation
import GRDB

/// Every stored consent row of one subject (with its withdrawal), as read in ONE transaction, not yet verified.
///
/// A reader that must see the consents in the same state of the database as other rows (the decision path reads
/// the subject row beside them) reads this inside its own transaction with `ConsentStore.rows(_:subject:)`, then
/// verifies with `ConsentStore.statuses(of:now:subjectBirthDate:)` outside it. `ConsentStore.list` is both steps.
public struct SubjectConsentRows: Sendable, Equatable {
    /// The rows, oldest grant first; unreadable ones (`.corrupt`) keep their place.
    let rows: [StoredRow]

    /// Whether every row could be read. A set with an unreadable row must be read (and reported as invalid)
    /// again every time, never kept in a cache: a repaired row is then seen at once.
    public var allReadable: Bool {
        rows.allSatisfy { if case .stored = $0 { true } else { false } }
    }

    /// Whether no consent of the subject is stored (no row at all, readable or not).
    public var isEmpty: Bool { rows.isEmpty }

    init(rows: [StoredRow]) { self.rows = rows }
}

extension ConsentStore {
    /// The consent rows of `subject`, read with `db`, inside the caller's transaction: nothing is verified here.
    public func rows(_ db: Database, subject: String) throws -> SubjectConsentRows {
        SubjectConsentRows(rows: try ConsentRows.consents(db, subject: subject))
    }

    /// Every row re-verified at `now` (as `list` does): a row that cannot even be read is invalid, never skipped.
    public func statuses(of rows: SubjectConsentRows, now: Date, subjectBirthDate: Date? = nil) -> [ConsentStatus] {
        rows.rows.map { row in
            switch row {
            case .stored(let r): return verifier.status(of: r, now: now, subjectBirthDate: subjectBirthDate)
            case .corrupt(let id, let jws, let error):
                return verifier.status(ofCorruptRow: id, jws: jws.map { [UInt8]($0) }, error: error, now: now)
            }
        }
    }
}
