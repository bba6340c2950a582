import AuditLog
import Diagnostics
import GRDB

/// What `consentgate audit verify` and the web's verification status check beyond the log itself, once it
/// verified: the stored consents and withdrawals are the ones the log recorded (`ConsentLedgerCheck`), the
/// trust store's record is the one its `key-event` entries leave (`TrustRecordCheck`), the accounts are the ones
/// their `account-event` entries leave (`AccountRecordCheck`), and every erasure notice
/// a withdrawal requires was sent or is still due (`ErasureNoticeCheck`).
public enum StoreChecks {
    /// How much the checks covered, for the report of a passing verification.
    public struct Counts: Sendable, Equatable {
        /// Stored consents and withdrawals, each held to its entry.
        public var consents: Int, withdrawals: Int
        /// Keys in the trust store's record, held to the `key-event` entries.
        public var keys: Int
        /// Accounts, held to the `account-event` entries.
        public var accounts: Int
    }

    /// The first problem, or nil.
    public static func problem(in writer: any DatabaseWriter) throws -> (any UserFacingError)? {
        try run(in: writer).finding
    }

    /// Throws the first problem; else what was checked.
    public static func verify(in writer: any DatabaseWriter) throws -> Counts {
        let (finding, counts) = try run(in: writer)
        if let finding { throw finding }
        return counts
    }

    /// The consent ledger, the trust record and the accounts read one snapshot and share one pass over the log's rows.
    private static func run(in writer: any DatabaseWriter) throws -> (finding: (any UserFacingError)?, counts: Counts) {
        let (first, counts): ((any UserFacingError)?, Counts) = try writer.read { db in
            let counts = Counts(consents: try Int.fetchOne(db, sql: "SELECT count(*) FROM consent") ?? 0,
                                withdrawals: try Int.fetchOne(db, sql: "SELECT count(*) FROM consent_withdrawal") ?? 0,
                                keys: try Int.fetchOne(db, sql: "SELECT count(*) FROM trust_recorded") ?? 0,
                                accounts: try Int.fetchOne(db, sql: "SELECT count(*) FROM account") ?? 0)
            let kinds = ConsentLedgerCheck.loggedKinds + [.keyEvent, .accountEvent]
            let logged = try AuditLogStore.entries(matching: AuditQuery(kinds: kinds), in: db)
            if let finding = try ConsentLedgerCheck.problem(in: db, logged: logged) { return (finding, counts) }
            if let finding = try TrustRecordCheck.problem(in: db, logged: logged) { return (finding, counts) }
            return (try AccountRecordCheck.problem(in: db, logged: logged), counts)
        }
        if let first { return (first, counts) }
        return (try ErasureNoticeCheck.problem(in: writer), counts)
    }
}
