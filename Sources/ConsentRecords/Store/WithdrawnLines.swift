import Foundation
import GRDB
import PolicyEngine

/// Which lines (clauses) of a stored consent are withdrawn, and from when, as its stored withdrawals say (read from
/// their payloads, not verified): what decides which partners are owed an erasure notice (GDPR Art. 19: only those
/// that received data under a withdrawn line) and which releases `consent withdraw --at` warns about.
public struct WithdrawnLines: Sendable, Equatable {
    /// From when the consent as a whole is withdrawn (withdrawn whole, or its last granted line withdrawn), or nil.
    public var whole: Date?
    /// The lines withdrawn singly, each from its earliest withdrawal.
    public var byClause: [String: Date]

    /// Lines withdrawn as a whole from `whole` (nil: not) and singly as `byClause` says.
    public init(whole: Date?, byClause: [String: Date]) { self.whole = whole; self.byClause = byClause }

    /// From when `clause` is withdrawn (singly or with the whole consent), or nil while it holds.
    public func time(ofClause clause: String) -> Date? {
        [byClause[clause], whole].compactMap { $0 }.min()
    }

    /// Whether any line is withdrawn.
    public var isEmpty: Bool { whole == nil && byClause.isEmpty }
}

extension StoredConsent {
    /// The withdrawn lines of this consent by its stored withdrawals (`WithdrawnLines`).
    public var withdrawnLines: WithdrawnLines {
        let granted = (try? SignedConsent(bytes: jws))?.content.clauses ?? []
        var fact = ConsentFact(id: id, templateID: templateID, templateVersion: templateVersion, clauses: granted,
                               grantedAt: grantedAt, expiresAt: expiresAt)
        fact.setWithdrawals(withdrawals.map { WithdrawalFact(at: $0.withdrawnAt, clauses: $0.clauses) })
        return WithdrawnLines(whole: fact.withdrawnAt, byClause: fact.clauseWithdrawals)
    }
}

extension ConsentStore {
    /// The stored record `id` (with its withdrawals), read with `db` inside the caller's transaction, or nil.
    public static func record(_ db: Database, id: String) throws -> StoredConsent? {
        try ConsentRows.consent(db, id: id)
    }
}
