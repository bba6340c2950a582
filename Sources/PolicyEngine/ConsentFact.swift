import Foundation

/// A consent as the evaluator sees it: facts established elsewhere (the `ConsentRecords` module verifies
/// the signed record and turns it into this), so the engine stays pure and testable without signatures.
public struct ConsentFact: Sendable, Equatable, Hashable {
    /// Whether the signed record behind this fact verified.
    public enum Verification: Sendable, Equatable, Hashable {
        case verified
        /// The stored record failed verification; the evaluator denies with `consent-invalid`.
        case invalid(reason: String)
    }

    /// The consent id (a UUID).
    public var id: String
    /// The template id and version the person signed.
    public var templateID: String
    /// The version of that template; the consent is read against exactly this version's clauses, minimum age and validity.
    public var templateVersion: Int
    /// The granted clause ids.
    public var clauses: [String]
    /// Valid from `grantedAt` (inclusive) to `expiresAt` (exclusive).
    public var grantedAt: Date
    /// End of validity, UTC (exclusive): from this instant on the consent releases nothing (`consent-expired`).
    public var expiresAt: Date
    /// Invalid from `withdrawnAt` on (inclusive), if withdrawn: by a withdrawal of the whole consent, or from the
    /// time its last granted clause was withdrawn singly.
    public var withdrawnAt: Date?
    /// The clauses withdrawn singly (GDPR Art. 7(3): "ganz oder für einzelne Zeilen"), each with the time from which
    /// (inclusive) it releases nothing; the other clauses hold on. Empty when none was.
    public var clauseWithdrawals: [String: Date] = [:]
    /// Whether a guardian is recorded (needed below the template's minimum age).
    public var guardianPresent: Bool
    /// Whether the signed record verified; an invalid one releases nothing and is named with `consent-invalid`.
    public var verification: Verification

    /// Creates a consent fact; by default not withdrawn, without a guardian and verified (as tests and policy test cases state them).
    public init(id: String, templateID: String, templateVersion: Int, clauses: [String], grantedAt: Date,
                expiresAt: Date, withdrawnAt: Date? = nil, guardianPresent: Bool = false,
                verification: Verification = .verified) {
        self.id = id; self.templateID = templateID; self.templateVersion = templateVersion
        self.clauses = clauses; self.grantedAt = grantedAt; self.expiresAt = expiresAt
        self.withdrawnAt = withdrawnAt; self.guardianPresent = guardianPresent; self.verification = verification
    }

    /// From when clause `clause` releases nothing because it (or the whole consent) was withdrawn, or nil.
    public func withdrawalTime(ofClause clause: String) -> Date? {
        [clauseWithdrawals[clause], withdrawnAt].compactMap { $0 }.min()
    }

    /// Sets `withdrawnAt` and `clauseWithdrawals` from the consent's withdrawals (each whole or of single clauses, in
    /// any order): a clause counts as withdrawn from the earliest withdrawal naming it (or of the whole consent); the
    /// consent as a whole from its earliest whole withdrawal, or from when its last granted clause was withdrawn, if earlier.
    public mutating func setWithdrawals(_ withdrawals: [WithdrawalFact]) {
        var whole: Date? = nil
        var byClause: [String: Date] = [:]
        let granted = Set(clauses)
        for w in withdrawals {
            if let named = w.clauses {
                for c in named where granted.contains(c) { byClause[c] = min(byClause[c] ?? w.at, w.at) }
            } else {
                whole = min(whole ?? w.at, w.at)
            }
        }
        if !granted.isEmpty, granted.allSatisfy({ byClause[$0] != nil }), let last = byClause.values.max() {
            whole = min(whole ?? last, last)
        }
        withdrawnAt = whole
        clauseWithdrawals = byClause
    }
}

/// One withdrawal of a consent as the evaluator needs it: its time and, for a withdrawal of single clauses, which.
public struct WithdrawalFact: Sendable, Equatable, Hashable {
    /// From this time on (inclusive) it counts.
    public var at: Date
    /// The withdrawn clauses, or nil for the whole consent.
    public var clauses: [String]?
    /// A withdrawal at `at` of `clauses` (nil: the whole consent).
    public init(at: Date, clauses: [String]? = nil) { self.at = at; self.clauses = clauses }
}
