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
    /// Invalid from `withdrawnAt` on (inclusive), if withdrawn.
    public var withdrawnAt: Date?
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
}
