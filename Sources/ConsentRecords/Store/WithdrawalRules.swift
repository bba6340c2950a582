import Diagnostics
import Foundation

/// What a new withdrawal of a stored consent may be, checked inside the write transaction that would store it (so two
/// concurrent withdrawals cannot both pass): GDPR Art. 7(3) lets the person withdraw the whole consent or single lines
/// (clauses) of it, each at its own time, as simply as they gave it.
///
/// - A withdrawal of single clauses names at least one (`noClausesNamed`), only clauses the consent grants
///   (`clauseNotGranted`), none an earlier withdrawal already withdrew (`clauseAlreadyWithdrawn`), and comes before any
///   withdrawal of the whole consent (`consentAlreadyWithdrawn`). Each refusal is invalid input (exit 3): nothing is
///   signed, stored or logged.
/// - A withdrawal of the whole consent is idempotent as it always was: when the consent is already withdrawn as a whole
///   (by such a withdrawal, or because every granted clause was withdrawn singly) the withdrawal that ended it is
///   returned and nothing new is stored. After withdrawals of some clauses it withdraws the rest.
enum WithdrawalRules {
    /// The clauses as a signed withdrawal names them: sorted, each once.
    static func normalized(_ clauses: [String]) -> [String] { Array(Set(clauses)).sorted() }

    /// Nil when a new withdrawal of `clauses` (nil: the whole consent) may be stored for `row`; the withdrawal that
    /// already ended the consent when the whole consent is asked to be withdrawn again; throws the refusals above.
    static func admit(_ clauses: [String]?, to row: StoredConsent) throws(ConsentError) -> StoredWithdrawal? {
        if let clauses, clauses.isEmpty { throw .noClausesNamed(id: row.id) }
        if let whole = row.wholeWithdrawal {
            guard let clauses else { return whole }
            throw .consentAlreadyWithdrawn(id: row.id, clause: normalized(clauses)[0], withdrawnAt: whole.withdrawnAt)
        }
        let granted = (try? SignedConsent(bytes: row.jws))?.content.clauses ?? []
        // The earliest withdrawal of each clause (the rows come earliest first).
        var byClause: [String: StoredWithdrawal] = [:]
        for w in row.withdrawals { for c in w.clauses ?? [] where byClause[c] == nil { byClause[c] = w } }
        guard let clauses else {
            guard !granted.isEmpty, granted.allSatisfy({ byClause[$0] != nil }) else { return nil }
            return granted.compactMap { byClause[$0] }.max { $0.withdrawnAt < $1.withdrawnAt }
        }
        for c in normalized(clauses) {
            guard granted.contains(c) else { throw .clauseNotGranted(id: row.id, clause: c, granted: granted) }
            if let w = byClause[c] { throw .clauseAlreadyWithdrawn(id: row.id, clause: c, withdrawnAt: w.withdrawnAt) }
        }
        return nil
    }
}
